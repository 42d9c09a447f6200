import rule from '../../rules/require-lock-timeout.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE_ORDERS = { lock: 'ACCESS EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: ['reads', 'writes'] };
const django = (...ops: string[]) => djangoMigration(ops);
const ADD_FIELD = "migrations.AddField(model_name='item', name='note', field=models.TextField(null=True))";

ruleTester.run(rule, {
  valid: [
    { name: 'sql: SET lock_timeout first', sql: "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;" },
    { name: 'sql: SET LOCAL inside the same transaction', sql: "BEGIN;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;" },
    { name: 'sql: only a new table is locked', sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY);\nCREATE INDEX refunds_id_idx ON refunds (id);' },
    { name: 'sql: a weak lock (VALIDATE takes SHARE UPDATE EXCLUSIVE)', sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;' },
    { name: 'django: SET LOCAL in RunSQL before AddField in the atomic migration', django: django(`migrations.RunSQL("SET LOCAL lock_timeout = '2s'", migrations.RunSQL.noop)`, ADD_FIELD) },
    {
      name: 'sql: maxLockTimeout, a timeout within it',
      sql: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
      options: { ruleOptions: { 'require-lock-timeout': { maxLockTimeout: '5s' } } },
    },
    {
      name: 'sql: maxLockTimeout in milliseconds, SET LOCAL within it',
      sql: "BEGIN;\nSET LOCAL lock_timeout = '500ms';\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;",
      options: { ruleOptions: { 'require-lock-timeout': { maxLockTimeout: 1000 } } },
    },
    { name: 'sql: off unless turned on', sql: 'ALTER TABLE orders ADD COLUMN note text;', options: { rules: { 'require-lock-timeout': 'off' } } },
  ],
  invalid: [
    {
      name: 'sql: maxLockTimeout, a longer timeout is reported',
      sql: "SET lock_timeout = '2min';\nALTER TABLE orders ADD COLUMN note text;",
      options: { ruleOptions: { 'require-lock-timeout': { maxLockTimeout: '10s' } } },
      errors: [{ messageId: 'timeoutTooLong', data: { ...AE_ORDERS, lockTimeoutMs: 120000, maxLockTimeoutMs: 10000 }, line: 2, column: 1, endLine: 2, endColumn: 40 }],
      output: null,
    },
    {
      name: 'django: maxLockTimeout, SET LOCAL above the limit',
      django: django(`migrations.RunSQL("SET LOCAL lock_timeout = '30s'", migrations.RunSQL.noop)`, ADD_FIELD),
      options: { ruleOptions: { 'require-lock-timeout': { maxLockTimeout: 5000 } } },
      errors: [{ messageId: 'timeoutTooLong', data: { ...AE_ORDERS, tables: ['shop_item'], lockTimeoutMs: 30000, maxLockTimeoutMs: 5000 }, line: 8, column: 9, endLine: 8, endColumn: 95 }],
      output: null,
    },
    {
      name: 'sql: no timeout',
      sql: 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD COLUMN tag text;',
      errors: [{ messageId: 'noTimeout', data: AE_ORDERS, line: 1, column: 1, endLine: 1, endColumn: 40 }],
      output: null,
    },
    {
      name: 'sql: SET LOCAL outside a transaction block does nothing',
      sql: "SET LOCAL lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;",
      errors: [{ messageId: 'noTimeout', data: AE_ORDERS, line: 2, column: 1, endLine: 2, endColumn: 40 }],
      output: null,
    },
    {
      name: 'sql: lock_timeout = 0 turns it off',
      sql: "SET lock_timeout = 0;\nCREATE INDEX orders_status_idx ON orders (status);",
      errors: [{ messageId: 'noTimeout', data: { lock: 'SHARE', tables: ['orders'], rewrite: false, blocks: ['writes'] }, line: 2, column: 1, endLine: 2, endColumn: 50 }],
      output: null,
    },
    {
      name: 'django: AddField with no timeout',
      django: django(ADD_FIELD),
      errors: [{ messageId: 'noTimeout', data: { ...AE_ORDERS, tables: ['shop_item'] }, line: 7, column: 9, endLine: 7, endColumn: 95 }],
      output: null,
    },
  ],
});
