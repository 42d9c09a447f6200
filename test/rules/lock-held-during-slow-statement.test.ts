import rule from '../../rules/lock-held-during-slow-statement.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const SHARE_ORDERS = { lock: 'SHARE', tables: ['orders'], rewrite: false, blocks: ['writes'] };
const django = (...ops: string[]) => djangoMigration(ops);

ruleTester.run(rule, {
  valid: [
    { name: 'sql: no transaction, so the ALTER TABLE lock is released at once', sql: 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_status_idx ON orders (status);' },
    { name: 'sql: index first, then the brief ALTER TABLE', sql: 'BEGIN;\nCREATE INDEX orders_status_idx ON orders (status);\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;' },
    { name: 'sql: the slow statement takes ACCESS EXCLUSIVE itself', sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN user_id TYPE integer;\nCOMMIT;' },
    { name: 'sql: tables created in the same transaction', sql: 'BEGIN;\nCREATE TABLE refunds (id bigint);\nALTER TABLE refunds ADD COLUMN note text;\nCREATE INDEX refunds_id_idx ON refunds (id);\nCOMMIT;' },
    { name: 'prisma: two brief statements', prisma: 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;\nALTER TABLE "orders" ADD COLUMN "tag" TEXT;' },
  ],
  invalid: [
    {
      name: 'sql: ALTER TABLE, then CREATE INDEX in one transaction',
      sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_status_idx ON orders (status);\nCOMMIT;',
      errors: [{ messageId: 'held', data: SHARE_ORDERS, line: 3, column: 1, endLine: 3, endColumn: 50 }],
      output: null,
    },
    {
      name: 'prisma: the whole file is one transaction',
      prisma: 'ALTER TABLE "users" RENAME COLUMN "email" TO "mail";\nCREATE INDEX "orders_status_idx" ON "orders"("status");',
      errors: [{ messageId: 'held', data: SHARE_ORDERS, line: 2, column: 1, endLine: 2, endColumn: 55 }],
      output: null,
    },
    {
      name: 'django: AddField, then AddIndex in the atomic migration',
      django: django(
        "migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))",
        "migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))",
      ),
      errors: [{ messageId: 'held', data: { ...SHARE_ORDERS, tables: ['shop_item'] }, line: 8, column: 9, endLine: 8, endColumn: 106 }],
      output: null,
    },
  ],
});
