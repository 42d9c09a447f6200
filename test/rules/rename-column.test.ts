import rule from '../../rules/rename-column.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { DJANGO_INITIAL } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const RENAME_NAME = "migrations.RenameField(model_name='item', old_name='name', new_name='title')";

/** shop 0001_initial, then 0002 adding `field`, then 0003 running `operation`. */
function afterAddField(field: string, operation: string): string {
  return [
    '# file: shop/migrations/0001_initial.py',
    DJANGO_INITIAL,
    '# file: shop/migrations/0002_add.py',
    djangoMigration([field]),
    '# file: shop/migrations/0003_rename.py',
    djangoMigration([operation], { dependency: "('shop', '0002_add')" }),
  ].join('\n');
}

ruleTester.run(rule, {
  valid: [
    {
      name: 'sql: a column of a table created earlier in the same file',
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, note text);\nALTER TABLE refunds RENAME COLUMN note TO reason;',
    },
    {
      name: 'django: AlterField keeping the column with db_column, then RenameField (what makemigrations writes)',
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(db_column='name', max_length=100))", RENAME_NAME]),
    },
    {
      name: 'django: RenameField of a field whose db_column keeps the column',
      django: afterAddField(
        "migrations.AddField(model_name='item', name='code', field=models.CharField(db_column='code', max_length=10, null=True))",
        "migrations.RenameField(model_name='item', old_name='code', new_name='sku')",
      ),
    },
    {
      name: 'django: RenameField in the state alone',
      django: djangoMigration([`migrations.SeparateDatabaseAndState(state_operations=[${RENAME_NAME}])`]),
    },
  ],
  invalid: [
    {
      name: 'sql: RENAME COLUMN on an existing table',
      sql: 'ALTER TABLE orders RENAME COLUMN status TO state;',
      errors: [{ messageId: 'renameColumn', data: { table: 'orders', column: 'status', newName: 'state' }, line: 1, column: 1, endLine: 1, endColumn: 49 }],
      output: null,
    },
    {
      name: 'prisma: RENAME COLUMN written into migration.sql',
      prisma: '-- AlterTable\nALTER TABLE "orders" RENAME COLUMN "status" TO "state";\n',
      errors: [{ messageId: 'renameColumn', data: { table: 'orders', column: 'status', newName: 'state' }, line: 2, column: 1, endLine: 2, endColumn: 55 }],
      output: null,
    },
    {
      name: 'django: RenameField',
      django: djangoMigration([RENAME_NAME]),
      errors: [{ messageId: 'renameColumn', data: { table: 'shop_item', column: 'name', newName: 'title' }, line: 7, column: 9, endLine: 7, endColumn: 85 }],
      output: null,
    },
    {
      name: 'django: RunSQL with RENAME COLUMN',
      django: djangoMigration([runSql('ALTER TABLE shop_item RENAME COLUMN name TO title')]),
      errors: [{ messageId: 'renameColumn', data: { table: 'shop_item', column: 'name', newName: 'title' }, line: 7, column: 28, endLine: 7, endColumn: 77 }],
      output: null,
    },
    {
      name: 'django: RenameField of a ForeignKey renames its <name>_id column',
      django: afterAddField(
        "migrations.AddField(model_name='item', name='parent', field=models.ForeignKey(null=True, on_delete=models.CASCADE, to='shop.item'))",
        "migrations.RenameField(model_name='item', old_name='parent', new_name='owner')",
      ),
      errors: [
        {
          messageId: 'renameColumn',
          data: { table: 'shop_item', column: 'parent_id', newName: 'owner_id' },
          line: 7,
          column: 9,
          endLine: 7,
          endColumn: 87,
          file: 'shop/migrations/0003_rename.py',
        },
      ],
      output: null,
    },
  ],
});
