import rule from '../../rules/rename-table.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const RENAME_ITEM = "migrations.RenameModel(old_name='Item', new_name='Product')";

ruleTester.run(rule, {
  valid: [
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY);\nALTER TABLE refunds RENAME TO returns;' },
    {
      name: 'django: RenameModel and AlterModelTable keeping the table, in the state alone',
      django: djangoMigration([
        `migrations.SeparateDatabaseAndState(state_operations=[${RENAME_ITEM}, migrations.AlterModelTable(name='product', table='shop_item')])`,
      ]),
    },
    {
      name: 'django: RenameModel of a model whose db_table keeps the table',
      django: [
        '# file: shop/migrations/0001_initial.py',
        djangoMigration(["migrations.CreateModel(name='Item', fields=[('id', models.BigAutoField(primary_key=True))], options={'db_table': 'items'})"], { dependency: '' }),
        '# file: shop/migrations/0002_rename.py',
        djangoMigration([RENAME_ITEM]),
      ].join('\n'),
    },
  ],
  invalid: [
    {
      name: 'sql: RENAME TO on an existing table',
      sql: 'ALTER TABLE orders RENAME TO purchases;',
      errors: [{ messageId: 'renameTable', data: { table: 'orders', newName: 'purchases' }, line: 1, column: 1, endLine: 1, endColumn: 39 }],
      output: null,
    },
    {
      name: 'prisma: RENAME TO written into migration.sql',
      prisma: '-- AlterTable\nALTER TABLE "orders" RENAME TO "purchases";\n',
      errors: [{ messageId: 'renameTable', data: { table: 'orders', newName: 'purchases' }, line: 2, column: 1, endLine: 2, endColumn: 43 }],
      output: null,
    },
    {
      name: 'django: RenameModel',
      django: djangoMigration([RENAME_ITEM]),
      errors: [{ messageId: 'renameTable', data: { table: 'shop_item', newName: 'shop_product' }, line: 7, column: 9, endLine: 7, endColumn: 68 }],
      output: null,
    },
    {
      name: 'django: AlterModelTable',
      django: djangoMigration(["migrations.AlterModelTable(name='item', table='catalog_item')"]),
      errors: [{ messageId: 'renameTable', data: { table: 'shop_item', newName: 'catalog_item' }, line: 7, column: 9, endLine: 7, endColumn: 70 }],
      output: null,
    },
    {
      name: 'django: RunSQL with RENAME TO',
      django: djangoMigration([runSql('ALTER TABLE shop_item RENAME TO catalog_item')]),
      errors: [{ messageId: 'renameTable', data: { table: 'shop_item', newName: 'catalog_item' }, line: 7, column: 28, endLine: 7, endColumn: 72 }],
      output: null,
    },
  ],
});
