import rule from '../../rules/trigger-on-existing-table.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const TRIGGER = 'CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row()';
const ITEM_TRIGGER = 'CREATE TRIGGER shop_item_audit AFTER UPDATE ON shop_item FOR EACH ROW EXECUTE FUNCTION audit_row()';
const SRE = (table: string) => ({ lock: 'SHARE ROW EXCLUSIVE', tables: [table], rewrite: false, blocks: ['writes'] });

ruleTester.run(rule, {
  valid: [
    { name: 'sql: after SET lock_timeout', sql: `SET lock_timeout = '2s';\n${TRIGGER};` },
    { name: 'sql: a table created earlier in the same file', sql: `CREATE TABLE orders_archive (id int);\nALTER TABLE orders_archive DISABLE TRIGGER ALL;` },
    { name: 'prisma: SET LOCAL lock_timeout holds for the rest of the file (one implicit transaction)', prisma: `SET LOCAL lock_timeout = '2s';\n${TRIGGER};` },
    { name: 'django: SET LOCAL lock_timeout earlier in the same atomic migration', django: djangoMigration([runSql("SET LOCAL lock_timeout = '2s'"), runSql(ITEM_TRIGGER)]) },
  ],
  invalid: [
    {
      name: 'sql: CREATE TRIGGER',
      sql: `${TRIGGER};`,
      errors: [{ messageId: 'blocksWrites', data: SRE('orders'), line: 1, column: 1, endLine: 1, endColumn: 93 }],
      output: null,
    },
    {
      name: 'sql: DISABLE and ENABLE TRIGGER',
      sql: 'ALTER TABLE orders DISABLE TRIGGER orders_audit;\nALTER TABLE orders ENABLE TRIGGER ALL;',
      errors: [
        { messageId: 'blocksWrites', data: SRE('orders'), line: 1, column: 1, endLine: 1, endColumn: 48 },
        { messageId: 'blocksWrites', data: SRE('orders'), line: 2, column: 1, endLine: 2, endColumn: 38 },
      ],
      output: null,
    },
    {
      name: 'sql: SET LOCAL outside a transaction block sets nothing',
      sql: `SET LOCAL lock_timeout = '2s';\n${TRIGGER};`,
      errors: [{ messageId: 'blocksWrites', data: SRE('orders'), line: 2, column: 1, endLine: 2, endColumn: 93 }],
      output: null,
    },
    {
      name: 'sql: a timeout turned off again by RESET',
      sql: "SET lock_timeout = '2s';\nRESET lock_timeout;\nALTER TABLE orders DISABLE TRIGGER ALL;",
      errors: [{ messageId: 'blocksWrites', data: SRE('orders'), line: 3, column: 1, endLine: 3, endColumn: 39 }],
      output: null,
    },
    {
      name: 'prisma: CREATE TRIGGER written into migration.sql',
      prisma: `${TRIGGER};\n`,
      errors: [{ messageId: 'blocksWrites', data: SRE('orders'), line: 1, column: 1, endLine: 1, endColumn: 93 }],
      output: null,
    },
    {
      name: 'django: RunSQL with CREATE TRIGGER',
      django: djangoMigration([runSql(ITEM_TRIGGER, 'DROP TRIGGER shop_item_audit ON shop_item')]),
      errors: [{ messageId: 'blocksWrites', data: SRE('shop_item'), line: 7, column: 28, endLine: 7, endColumn: 126 }],
      output: null,
    },
  ],
});
