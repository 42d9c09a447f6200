import { djangoMigration } from '../../src/engine/examples.js';
import rule from '../../rules/prefer-robust-statements.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    { name: 'sql: one statement', sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' },
    { name: 'sql: guarded statements', sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);\nDROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;' },
    { name: 'sql: inside a transaction', sql: 'BEGIN;\nCREATE TABLE refunds (id bigint);\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;' },
    { name: 'prisma: a file is one implicit transaction', prisma: 'CREATE TABLE "Refund" ("id" INTEGER);\nALTER TABLE "orders" ADD COLUMN "note" TEXT;' },
    { name: 'django: atomic migration', django: "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = [\n        migrations.AddField(model_name='item', name='a', field=models.TextField(null=True)),\n        migrations.AddField(model_name='item', name='b', field=models.TextField(null=True)),\n    ]" },
  ],
  invalid: [
    {
      name: 'sql: two unguarded statements outside a transaction',
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\nALTER TABLE orders DROP COLUMN total;',
      errors: [
        { messageId: 'notRetryable', data: { operation: 'CREATE INDEX CONCURRENTLY', count: 2, guard: 'IF NOT EXISTS' }, line: 1, column: 1, endLine: 1, endColumn: 63 },
        { messageId: 'notRetryable', data: { operation: 'DROP COLUMN', count: 2, guard: 'IF EXISTS' }, line: 2, column: 1, endLine: 2, endColumn: 37 },
      ],
      output: null,
    },
    {
      name: 'django: two operations in a non-atomic migration',
      django: djangoMigration(["AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))", "migrations.AddField(model_name='item', name='note', field=models.TextField(null=True))"], { atomic: false, imports: ['from django.contrib.postgres.operations import AddIndexConcurrently'] }),
      errors: [
        { messageId: 'notRetryable', data: { operation: 'CREATE INDEX CONCURRENTLY', count: 2, guard: 'IF NOT EXISTS' }, line: 9, column: 9, endLine: 9, endColumn: 107 },
        { messageId: 'notRetryable', data: { operation: 'ADD COLUMN', count: 2, guard: 'IF NOT EXISTS' }, line: 10, column: 9, endLine: 10, endColumn: 95 },
      ],
      output: null,
    },
  ],
});
