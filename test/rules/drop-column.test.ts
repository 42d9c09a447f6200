import rule from '../../rules/drop-column.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { DJANGO_INITIAL } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const REMOVE_NAME = "migrations.RemoveField(model_name='item', name='name')";

ruleTester.run(rule, {
  valid: [
    {
      name: 'sql: a column of a table created earlier in the same file',
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, note text);\nALTER TABLE refunds DROP COLUMN note;',
    },
    {
      name: 'sql: the contract step, acknowledged with a reason',
      sql: '-- migrate-lint-ignore drop-column: release 41 stopped using orders.status\nALTER TABLE orders DROP COLUMN status;',
    },
    {
      name: 'prisma: a column of a table the same migration creates',
      prisma: '-- CreateTable\nCREATE TABLE "Refund" ("id" SERIAL NOT NULL, "note" TEXT);\n\n-- AlterTable\nALTER TABLE "Refund" DROP COLUMN "note";',
    },
    {
      name: 'django: SeparateDatabaseAndState removing the field from the state alone',
      django: djangoMigration([`migrations.SeparateDatabaseAndState(state_operations=[${REMOVE_NAME}])`]),
    },
    {
      name: 'django: RemoveField on a model created earlier in the same migration',
      django: djangoMigration([
        "migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True)), ('note', models.TextField())])",
        "migrations.RemoveField(model_name='refund', name='note')",
      ]),
    },
    {
      name: 'django: the database drop after an earlier migration removed the field from the state',
      django: [
        '# file: shop/migrations/0001_initial.py',
        DJANGO_INITIAL,
        '# file: shop/migrations/0002_remove_item_name_from_state.py',
        djangoMigration([`migrations.SeparateDatabaseAndState(state_operations=[${REMOVE_NAME}])`]),
        '# file: shop/migrations/0003_drop_item_name.py',
        djangoMigration([runSql('ALTER TABLE shop_item DROP COLUMN name')], { dependency: "('shop', '0002_remove_item_name_from_state')" }),
      ].join('\n'),
    },
  ],
  invalid: [
    {
      name: 'sql: DROP COLUMN on an existing table',
      sql: 'ALTER TABLE orders DROP COLUMN status;',
      errors: [{ messageId: 'dropColumn', data: { table: 'orders', column: 'status' }, line: 1, column: 1, endLine: 1, endColumn: 38 }],
      output: null,
    },
    {
      name: 'sql: two columns in one ALTER TABLE, IF EXISTS and CASCADE',
      sql: 'ALTER TABLE orders DROP COLUMN status, DROP COLUMN IF EXISTS total CASCADE;',
      errors: [
        { messageId: 'dropColumn', data: { table: 'orders', column: 'status' }, line: 1, column: 1, endLine: 1, endColumn: 75 },
        { messageId: 'dropColumn', data: { table: 'orders', column: 'total' }, line: 1, column: 1, endLine: 1, endColumn: 75 },
      ],
      output: null,
    },
    {
      name: 'prisma: generated DROP COLUMN',
      prisma: '-- AlterTable\nALTER TABLE "orders" DROP COLUMN "status";\n',
      errors: [{ messageId: 'dropColumn', data: { table: 'orders', column: 'status' }, line: 2, column: 1, endLine: 2, endColumn: 42 }],
      output: null,
    },
    {
      name: 'django: RemoveField',
      django: djangoMigration([REMOVE_NAME]),
      errors: [{ messageId: 'dropColumn', data: { table: 'shop_item', column: 'name' }, line: 7, column: 9, endLine: 7, endColumn: 63 }],
      output: null,
    },
    {
      name: 'django: RunSQL with DROP COLUMN',
      django: djangoMigration([runSql('ALTER TABLE shop_item DROP COLUMN name')]),
      errors: [{ messageId: 'dropColumn', data: { table: 'shop_item', column: 'name' }, line: 7, column: 28, endLine: 7, endColumn: 66 }],
      output: null,
    },
    {
      name: 'django: state and database changed in the same migration, so in the same release',
      django: djangoMigration([
        [
          'migrations.SeparateDatabaseAndState(',
          `    database_operations=[${runSql('ALTER TABLE shop_item DROP COLUMN name')}],`,
          `    state_operations=[${REMOVE_NAME}],`,
          ')',
        ].join('\n'),
      ]),
      errors: [{ messageId: 'dropColumn', data: { table: 'shop_item', column: 'name' }, line: 8, column: 53, endLine: 8, endColumn: 91 }],
      output: null,
    },
    {
      name: 'django: RemoveField of a ForeignKey drops its <name>_id column',
      django: [
        '# file: shop/migrations/0001_initial.py',
        DJANGO_INITIAL,
        '# file: shop/migrations/0002_item_parent.py',
        djangoMigration(["migrations.AddField(model_name='item', name='parent', field=models.ForeignKey(null=True, on_delete=models.CASCADE, to='shop.item'))"]),
        '# file: shop/migrations/0003_remove_item_parent.py',
        djangoMigration(["migrations.RemoveField(model_name='item', name='parent')"], { dependency: "('shop', '0002_item_parent')" }),
      ].join('\n'),
      errors: [
        {
          messageId: 'dropColumn',
          data: { table: 'shop_item', column: 'parent_id' },
          line: 7,
          column: 9,
          endLine: 7,
          endColumn: 65,
          file: 'shop/migrations/0003_remove_item_parent.py',
        },
      ],
      output: null,
    },
  ],
});
