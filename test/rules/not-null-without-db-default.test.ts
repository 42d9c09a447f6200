import rule from '../../rules/not-null-without-db-default.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const addField = (field: string, extra = '') => `migrations.AddField(model_name='item', name='price', field=${field}${extra})`;

ruleTester.run(rule, {
  valid: [
    { name: 'sql: the default is kept', sql: 'ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;' },
    {
      name: 'sql: the default is dropped in a later migration',
      sql: '-- file: 0002_add_priority.sql\nALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;\n-- file: 0003_drop_default.sql\nALTER TABLE orders ALTER COLUMN priority DROP DEFAULT;',
    },
    {
      name: 'sql: a nullable column whose default is dropped (old code inserts NULL)',
      sql: 'ALTER TABLE orders ADD COLUMN priority int DEFAULT 0;\nALTER TABLE orders ALTER COLUMN priority DROP DEFAULT;',
    },
    {
      name: 'sql: the default is set again before the migration ends',
      sql: 'ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;\nALTER TABLE orders ALTER COLUMN priority DROP DEFAULT;\nALTER TABLE orders ALTER COLUMN priority SET DEFAULT 1;',
    },
    {
      name: 'sql: a table created earlier in the same file',
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY);\nALTER TABLE refunds ADD COLUMN amount int NOT NULL DEFAULT 0;\nALTER TABLE refunds ALTER COLUMN amount DROP DEFAULT;',
    },
    { name: 'prisma: a @default stays in the database', prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;' },
    { name: 'django: db_default (Django 5.0+) keeps the default in the database', django: djangoMigration([addField('models.IntegerField(db_default=0)')]) },
    { name: 'django: null=True with a default', django: djangoMigration([addField('models.IntegerField(null=True, default=0)')]) },
    {
      name: 'django: a model created earlier in the same migration',
      django: djangoMigration([
        "migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True))])",
        "migrations.AddField(model_name='refund', name='amount', field=models.IntegerField(default=0))",
      ]),
    },
  ],
  invalid: [
    {
      name: 'sql: ADD COLUMN NOT NULL DEFAULT, then DROP DEFAULT',
      sql: 'ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;\nALTER TABLE orders ALTER COLUMN priority DROP DEFAULT;',
      errors: [{ messageId: 'defaultDropped', data: { table: 'orders', column: 'priority' }, line: 2, column: 1, endLine: 2, endColumn: 54 }],
      output: null,
    },
    {
      name: 'prisma: a hand-edited migration.sql that drops the default',
      prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;\nALTER TABLE "orders" ALTER COLUMN "priority" DROP DEFAULT;',
      errors: [{ messageId: 'defaultDropped', data: { table: 'orders', column: 'priority' }, line: 3, column: 1, endLine: 3, endColumn: 58 }],
      output: null,
    },
    {
      name: 'django: AddField(default=...) emits ADD COLUMN ... DEFAULT 0 NOT NULL, then DROP DEFAULT',
      django: djangoMigration([addField('models.IntegerField(default=0)')]),
      errors: [{ messageId: 'defaultDropped', data: { table: 'shop_item', column: 'price' }, line: 7, column: 9, endLine: 7, endColumn: 99 }],
      output: null,
    },
    {
      name: 'django: the one-off default makemigrations asks for (preserve_default=False)',
      django: djangoMigration([addField('models.IntegerField(default=0)', ', preserve_default=False')]),
      errors: [{ messageId: 'defaultDropped', data: { table: 'shop_item', column: 'price' }, line: 7, column: 9, endLine: 7, endColumn: 123 }],
      output: null,
    },
    {
      name: "django: CharField(blank=True) gets '' and loses it",
      django: djangoMigration([addField('models.CharField(max_length=20, blank=True)')]),
      errors: [{ messageId: 'defaultDropped', data: { table: 'shop_item', column: 'price' }, line: 7, column: 9, endLine: 7, endColumn: 112 }],
      output: null,
    },
  ],
});
