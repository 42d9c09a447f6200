import rule from '../../rules/table-rewrite-maintenance.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const REWRITE = (table: string) => ({ lock: 'ACCESS EXCLUSIVE', tables: [table], rewrite: true, blocks: ['reads', 'writes'] });
const EVERY_TABLE = { lock: 'none', tables: [], rewrite: false, blocks: [], everyTable: true };

ruleTester.run(rule, {
  valid: [
    { name: 'sql: plain VACUUM and ANALYZE', sql: 'VACUUM orders;\nVACUUM ANALYZE orders;\nANALYZE orders;' },
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE staging (id int);\nALTER TABLE staging SET UNLOGGED;\nCLUSTER staging;' },
    {
      name: 'django: RunSQL on a model created earlier in the same migration',
      django: djangoMigration([
        "migrations.CreateModel(name='Staging', fields=[('id', models.BigAutoField(primary_key=True))])",
        runSql('ALTER TABLE shop_staging SET UNLOGGED'),
      ]),
    },
  ],
  invalid: [
    {
      name: 'sql: VACUUM FULL',
      sql: 'VACUUM FULL orders;',
      errors: [{ messageId: 'rewrite', data: REWRITE('orders'), line: 1, column: 1, endLine: 1, endColumn: 19 }],
      output: null,
    },
    {
      name: 'sql: CLUSTER',
      sql: 'CLUSTER orders USING orders_pkey;',
      errors: [{ messageId: 'rewrite', data: REWRITE('orders'), line: 1, column: 1, endLine: 1, endColumn: 33 }],
      output: null,
    },
    {
      name: 'sql: SET UNLOGGED and SET LOGGED',
      sql: 'ALTER TABLE orders SET UNLOGGED;\nALTER TABLE orders SET LOGGED;',
      errors: [
        { messageId: 'rewrite', data: REWRITE('orders'), line: 1, column: 1, endLine: 1, endColumn: 32 },
        { messageId: 'rewrite', data: REWRITE('orders'), line: 2, column: 1, endLine: 2, endColumn: 30 },
      ],
      output: null,
    },
    {
      name: 'sql: SET ACCESS METHOD',
      sql: 'ALTER TABLE orders SET ACCESS METHOD heap;',
      errors: [{ messageId: 'rewrite', data: REWRITE('orders'), line: 1, column: 1, endLine: 1, endColumn: 42 }],
      output: null,
    },
    {
      name: 'sql: VACUUM FULL of two tables',
      sql: 'VACUUM (FULL, ANALYZE) orders, users;',
      errors: [
        { messageId: 'rewrite', data: REWRITE('orders'), line: 1, column: 1, endLine: 1, endColumn: 37 },
        { messageId: 'rewrite', data: REWRITE('users'), line: 1, column: 1, endLine: 1, endColumn: 37 },
      ],
      output: null,
    },
    {
      name: 'sql: VACUUM FULL and CLUSTER without a table',
      sql: 'VACUUM FULL;\nCLUSTER;',
      errors: [
        { messageId: 'everyTable', data: EVERY_TABLE, line: 1, column: 1, endLine: 1, endColumn: 12 },
        { messageId: 'everyTable', data: EVERY_TABLE, line: 2, column: 1, endLine: 2, endColumn: 8 },
      ],
      output: null,
    },
    {
      name: 'prisma: SET UNLOGGED written into migration.sql',
      prisma: '-- Turn off WAL for the bulk load\nALTER TABLE "orders" SET UNLOGGED;\n',
      errors: [{ messageId: 'rewrite', data: REWRITE('orders'), line: 2, column: 1, endLine: 2, endColumn: 34 }],
      output: null,
    },
    {
      name: 'django: RunSQL with CLUSTER',
      django: djangoMigration([runSql('CLUSTER shop_item USING shop_item_pkey')]),
      errors: [{ messageId: 'rewrite', data: REWRITE('shop_item'), line: 7, column: 28, endLine: 7, endColumn: 66 }],
      output: null,
    },
  ],
});
