import rule from '../../rules/partition-attach-scan.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BOUND = "CHECK (created_at >= '2023-01-01' AND created_at < '2024-01-01')";
const ATTACH = "ALTER TABLE orders ATTACH PARTITION orders_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')";
const ATTACH_2024 = "ALTER TABLE orders ATTACH PARTITION orders_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
const SCAN = (parent: string, partition: string) => ({ lock: 'ACCESS EXCLUSIVE', tables: [parent, partition], rewrite: false, blocks: ['reads', 'writes'] });

ruleTester.run(rule, {
  valid: [
    {
      name: 'sql: CHECK added NOT VALID, validated in a later migration, then attached',
      sql: [
        '-- file: 0002_bound.sql',
        `ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND} NOT VALID;`,
        '-- file: 0003_validate.sql',
        'ALTER TABLE orders_2023 VALIDATE CONSTRAINT orders_2023_bound;',
        '-- file: 0004_attach.sql',
        `${ATTACH};`,
      ].join('\n'),
    },
    { name: 'sql: a validated CHECK added earlier in the same file', sql: `ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND};\n${ATTACH};` },
    { name: 'sql: a table created earlier in the same file, on PostgreSQL 12 and later', sql: `CREATE TABLE orders_2024 (LIKE orders);\n${ATTACH_2024};` },
    {
      name: 'sql: a partitioned table created earlier in the same file',
      sql: 'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\nALTER TABLE events ATTACH PARTITION events_old DEFAULT;',
    },
    {
      name: 'django: RunSQL after a validated CHECK in an earlier operation',
      django: djangoMigration([runSql(`ALTER TABLE shop_event_2023 ADD CONSTRAINT shop_event_2023_bound ${BOUND}`), runSql(ATTACH.replaceAll('orders', 'shop_event'))]),
    },
  ],
  invalid: [
    {
      name: 'sql: an existing table attached with no CHECK',
      sql: `${ATTACH};`,
      errors: [{ messageId: 'scan', data: SCAN('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 97 }],
      output: null,
    },
    {
      name: 'sql: PostgreSQL 11 also locks the partitioned table: an error',
      sql: `${ATTACH};`,
      options: { target: { pgVersion: 11 } },
      errors: [{ messageId: 'scan', data: SCAN('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 97, severity: 'error' }],
      output: null,
    },
    {
      name: 'sql: PostgreSQL 11, even for a table created in the same file',
      sql: `CREATE TABLE orders_2024 (LIKE orders);\n${ATTACH_2024};`,
      options: { target: { pgVersion: 11 } },
      errors: [{ messageId: 'scan', data: SCAN('orders', 'orders_2024'), line: 2, column: 1, endLine: 2, endColumn: 97, severity: 'error' }],
      output: null,
    },
    {
      name: 'sql: a CHECK added NOT VALID and never validated',
      sql: ['-- file: 0002_bound.sql', `ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND} NOT VALID;`, '-- file: 0003_attach.sql', `${ATTACH};`].join('\n'),
      errors: [{ messageId: 'scan', data: SCAN('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 97, file: 'db/migrations/0003_attach.sql' }],
      output: null,
    },
    {
      name: 'sql: a validated CHECK dropped again before the attach',
      sql: [
        '-- file: 0002_bound.sql',
        `ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND};`,
        'ALTER TABLE orders_2023 DROP CONSTRAINT orders_2023_bound;',
        '-- file: 0003_attach.sql',
        `${ATTACH};`,
      ].join('\n'),
      errors: [{ messageId: 'scan', data: SCAN('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 97, file: 'db/migrations/0003_attach.sql' }],
      output: null,
    },
    {
      name: 'prisma: ATTACH PARTITION written into migration.sql',
      prisma: `${ATTACH};\n`,
      errors: [{ messageId: 'scan', data: SCAN('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 97 }],
      output: null,
    },
    {
      name: 'django: RunSQL with ATTACH PARTITION',
      django: djangoMigration([runSql(ATTACH.replaceAll('orders', 'shop_event'))]),
      errors: [{ messageId: 'scan', data: SCAN('shop_event', 'shop_event_2023'), line: 7, column: 28, endLine: 7, endColumn: 132 }],
      output: null,
    },
  ],
});
