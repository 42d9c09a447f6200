import rule from '../../rules/not-null-without-check.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ORDERS = { lock: 'ACCESS EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: ['reads', 'writes'] };
const CHECK_THEN_SET = [
  'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID;',
  'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null;',
  'ALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
].join('\n');
const addSku = "migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))";
const skuRequired = "migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=20))";

ruleTester.run(rule, {
  valid: [
    { name: 'sql: a CHECK validated earlier in the same file proves it (PostgreSQL 12+)', sql: CHECK_THEN_SET },
    { name: 'sql: a CHECK added valid proves it too', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL);\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;' },
    {
      name: 'sql: a CHECK validated in an earlier migration',
      sql: [
        '-- file: 0002_total_check.sql',
        'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID;',
        '-- file: 0003_total_not_null.sql',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null;',
        'ALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
      ].join('\n'),
    },
    { name: 'sql: PostgreSQL 18 NOT NULL ... NOT VALID takes no scan', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null NOT NULL total NOT VALID;' },
    { name: 'sql: DROP NOT NULL', sql: 'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;' },
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, reason text);\nALTER TABLE refunds ALTER COLUMN reason SET NOT NULL;' },
    {
      name: 'prisma: the check validated in an earlier migration',
      prisma: [
        '-- file: 20240102000000_total_check',
        'ALTER TABLE "orders" ADD CONSTRAINT "orders_total_not_null" CHECK ("total" IS NOT NULL) NOT VALID;',
        '-- file: 20240103000000_total_required',
        'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_total_not_null";',
        'ALTER TABLE "orders" ALTER COLUMN "total" SET NOT NULL;',
      ].join('\n'),
    },
    {
      name: 'django: AlterField to null=False after AddConstraintNotValid and ValidateConstraint (atomic = False)',
      django: `from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint\nfrom django.db.models import Q\n${djangoMigration(
        [
          addSku,
          "AddConstraintNotValid(model_name='item', constraint=models.CheckConstraint(condition=Q(sku__isnull=False), name='item_sku_not_null'))",
          "ValidateConstraint(model_name='item', name='item_sku_not_null')",
          skuRequired,
        ],
        { atomic: false },
      )}`,
    },
    { name: 'django: AlterField that keeps null=True', django: djangoMigration([addSku, "migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=40, null=True))"]) },
    {
      name: 'django: a model created earlier in the same migration',
      django: djangoMigration([
        "migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True)), ('reason', models.TextField(null=True))])",
        "migrations.AlterField(model_name='refund', name='reason', field=models.TextField())",
      ]),
    },
  ],
  invalid: [
    {
      name: 'sql: SET NOT NULL on an existing table',
      sql: 'ALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
      errors: [{ messageId: 'scan', data: { ...ORDERS, column: 'total' }, line: 1, column: 1, endLine: 1, endColumn: 51 }],
      output: null,
    },
    {
      name: 'sql: a NOT VALID check that was never validated proves nothing',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
      errors: [{ messageId: 'scan', data: { ...ORDERS, column: 'total' }, line: 2, column: 1, endLine: 2, endColumn: 51 }],
      output: null,
    },
    {
      name: 'sql: a check on another column proves nothing',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_status_not_null CHECK (status IS NOT NULL);\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
      errors: [{ messageId: 'scan', data: { ...ORDERS, column: 'total' }, line: 2, column: 1, endLine: 2, endColumn: 51 }],
      output: null,
    },
    {
      name: 'sql: PostgreSQL 11 scans even with a validated check',
      sql: CHECK_THEN_SET,
      options: { target: { pgVersion: 11 } },
      errors: [{ messageId: 'checkIgnoredBefore12', data: { ...ORDERS, column: 'total' }, line: 3, column: 1, endLine: 3, endColumn: 51 }],
      output: null,
    },
    {
      name: 'prisma: a field made required',
      prisma: '-- AlterTable\nALTER TABLE "orders" ALTER COLUMN "total" SET NOT NULL;',
      errors: [{ messageId: 'scan', data: { ...ORDERS, column: 'total' }, line: 2, column: 1, endLine: 2, endColumn: 55 }],
      output: null,
    },
    {
      name: 'django: AlterField from null=True to null=False',
      django: djangoMigration([addSku, skuRequired]),
      errors: [{ messageId: 'scan', data: { lock: 'ACCESS EXCLUSIVE', tables: ['shop_item'], rewrite: false, blocks: ['reads', 'writes'], column: 'sku' }, line: 8, column: 9, endLine: 8, endColumn: 100 }],
      output: null,
    },
  ],
});
