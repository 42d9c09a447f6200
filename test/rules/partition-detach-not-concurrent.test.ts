import rule from '../../rules/partition-detach-not-concurrent.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const DETACH = 'ALTER TABLE orders DETACH PARTITION orders_2023';
const BLOCKS_ALL = (parent: string, partition: string) => ({ lock: 'ACCESS EXCLUSIVE', tables: [parent, partition], rewrite: false, blocks: ['reads', 'writes'] });

ruleTester.run(rule, {
  valid: [
    { name: 'sql: CONCURRENTLY', sql: `${DETACH} CONCURRENTLY;` },
    { name: 'sql: FINALIZE of an interrupted concurrent detach', sql: `${DETACH} FINALIZE;` },
    {
      name: 'sql: a partitioned table created earlier in the same file',
      sql: [
        'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);',
        "CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');",
        'ALTER TABLE events DETACH PARTITION events_2023;',
      ].join('\n'),
    },
    {
      name: 'django: CONCURRENTLY in a migration with atomic = False',
      django: djangoMigration([runSql('ALTER TABLE shop_event DETACH PARTITION shop_event_2023 CONCURRENTLY')], { atomic: false }),
    },
  ],
  invalid: [
    {
      name: 'sql: plain DETACH PARTITION',
      sql: `${DETACH};`,
      errors: [{ messageId: 'detach', data: BLOCKS_ALL('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 48 }],
      output: null,
    },
    {
      name: 'sql: PostgreSQL 13 has no concurrent form',
      sql: `${DETACH};`,
      options: { target: { pgVersion: 13 } },
      errors: [
        { messageId: 'noConcurrentForm', data: { ...BLOCKS_ALL('orders', 'orders_2023'), concurrentFrom: 14 }, line: 1, column: 1, endLine: 1, endColumn: 48 },
      ],
      output: null,
    },
    {
      name: 'prisma: DETACH PARTITION written into migration.sql',
      prisma: 'ALTER TABLE "orders" DETACH PARTITION "orders_2023";\n',
      errors: [{ messageId: 'detach', data: BLOCKS_ALL('orders', 'orders_2023'), line: 1, column: 1, endLine: 1, endColumn: 52 }],
      output: null,
    },
    {
      name: 'django: RunSQL with a plain DETACH PARTITION',
      django: djangoMigration([runSql('ALTER TABLE shop_event DETACH PARTITION shop_event_2023')]),
      errors: [{ messageId: 'detach', data: BLOCKS_ALL('shop_event', 'shop_event_2023'), line: 7, column: 28, endLine: 7, endColumn: 83 }],
      output: null,
    },
  ],
});
