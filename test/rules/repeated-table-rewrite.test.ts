import { djangoMigration } from '../../src/engine/examples.js';
import rule from '../../rules/repeated-table-rewrite.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE_REWRITE = { lock: 'ACCESS EXCLUSIVE', tables: ['orders'], rewrite: true, blocks: ['reads', 'writes'] };

ruleTester.run(rule, {
  valid: [
    { name: 'sql: both changes in one ALTER TABLE', sql: 'ALTER TABLE orders ALTER COLUMN user_id TYPE integer, ALTER COLUMN total TYPE numeric(8, 2);' },
    { name: 'sql: binary-coercible changes do not rewrite', sql: 'ALTER TABLE orders ALTER COLUMN status TYPE varchar(50);\nALTER TABLE orders ALTER COLUMN status TYPE text;' },
    { name: 'sql: different tables', sql: 'ALTER TABLE orders ALTER COLUMN user_id TYPE integer;\nALTER TABLE users ALTER COLUMN id TYPE integer;' },
    { name: 'prisma: one rewrite', prisma: 'ALTER TABLE "orders" ALTER COLUMN "user_id" TYPE INTEGER;' },
  ],
  invalid: [
    {
      name: 'sql: two type changes that each rewrite',
      sql: 'ALTER TABLE orders ALTER COLUMN user_id TYPE integer;\nALTER TABLE orders ALTER COLUMN total TYPE numeric(8, 2);',
      errors: [{ messageId: 'again', data: AE_REWRITE, line: 2, column: 1, endLine: 2, endColumn: 57 }],
      output: null,
    },
    {
      name: 'prisma: a rewrite, then a NOT NULL scan',
      prisma: 'ALTER TABLE "orders" ALTER COLUMN "user_id" TYPE INTEGER;\nALTER TABLE "orders" ALTER COLUMN "total" SET NOT NULL;',
      errors: [{ messageId: 'again', data: { ...AE_REWRITE, rewrite: false }, line: 2, column: 1, endLine: 2, endColumn: 55 }],
      output: null,
    },
    {
      name: 'django: two RunSQL type changes',
      django: djangoMigration(["migrations.RunSQL('ALTER TABLE shop_item ALTER COLUMN name TYPE varchar(50)', migrations.RunSQL.noop)", "migrations.RunSQL('ALTER TABLE shop_item ALTER COLUMN id TYPE integer', migrations.RunSQL.noop)"]),
      errors: [{ messageId: 'again', data: { ...AE_REWRITE, tables: ['shop_item'] }, line: 8, column: 28, endLine: 8, endColumn: 78 }],
      output: null,
    },
  ],
});
