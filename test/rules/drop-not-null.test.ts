import rule from '../../rules/drop-not-null.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const STATUS = { table: 'orders', column: 'status' };

ruleTester.run(rule, {
  valid: [
    {
      name: 'sql: a column of a table created earlier in the same file',
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, note text NOT NULL);\nALTER TABLE refunds ALTER COLUMN note DROP NOT NULL;',
    },
    { name: 'sql: a sentinel default instead', sql: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'unknown';" },
    {
      name: 'django: AlterField that keeps the field NOT NULL',
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(blank=True, default='', max_length=100))"]),
    },
    {
      name: 'django: AlterField on a model created earlier in the same migration',
      django: djangoMigration([
        "migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True)), ('note', models.TextField())])",
        "migrations.AlterField(model_name='refund', name='note', field=models.TextField(null=True))",
      ]),
    },
  ],
  invalid: [
    {
      name: 'sql: DROP NOT NULL on an existing table',
      sql: 'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;',
      errors: [{ messageId: 'dropNotNull', data: STATUS, line: 1, column: 1, endLine: 1, endColumn: 53 }],
      output: null,
    },
    {
      name: 'sql: only the DROP NOT NULL action of an ALTER TABLE with two',
      sql: 'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL, ALTER COLUMN total SET NOT NULL;',
      errors: [{ messageId: 'dropNotNull', data: STATUS, line: 1, column: 1, endLine: 1, endColumn: 86 }],
      output: null,
    },
    {
      name: 'prisma: a field made optional',
      prisma: '-- AlterTable\nALTER TABLE "orders" ALTER COLUMN "status" DROP NOT NULL;\n',
      errors: [{ messageId: 'dropNotNull', data: STATUS, line: 2, column: 1, endLine: 2, endColumn: 57 }],
      output: null,
    },
    {
      name: 'django: AlterField adding null=True',
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=100, null=True))"]),
      errors: [{ messageId: 'dropNotNull', data: { table: 'shop_item', column: 'name' }, line: 7, column: 9, endLine: 7, endColumn: 113 }],
      output: null,
    },
    {
      name: 'django: RunSQL with DROP NOT NULL',
      django: djangoMigration([runSql('ALTER TABLE shop_item ALTER COLUMN name DROP NOT NULL')]),
      errors: [{ messageId: 'dropNotNull', data: { table: 'shop_item', column: 'name' }, line: 7, column: 28, endLine: 7, endColumn: 81 }],
      output: null,
    },
  ],
});
