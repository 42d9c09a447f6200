import rule from '../../rules/refresh-materialized-view-not-concurrent.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE = (view: string, reads: string[] = []) => ({ lock: 'ACCESS EXCLUSIVE', tables: [view, ...reads], rewrite: true, blocks: ['reads', 'writes'] });

ruleTester.run(rule, {
  valid: [
    { name: 'sql: CONCURRENTLY', sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;' },
    { name: 'sql: WITH NO DATA runs no query', sql: 'REFRESH MATERIALIZED VIEW order_totals WITH NO DATA;' },
    {
      name: 'sql: a view created earlier in the same file',
      sql: 'CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id WITH NO DATA;\nREFRESH MATERIALIZED VIEW order_totals;',
    },
    { name: 'django: RunSQL with CONCURRENTLY', django: djangoMigration([runSql('REFRESH MATERIALIZED VIEW CONCURRENTLY shop_item_stats')]) },
  ],
  invalid: [
    {
      name: 'sql: plain REFRESH',
      sql: 'REFRESH MATERIALIZED VIEW order_totals;',
      errors: [{ messageId: 'blocksReads', data: AE('order_totals'), line: 1, column: 1, endLine: 1, endColumn: 39 }],
      output: null,
    },
    {
      name: 'sql: a view created by an earlier migration',
      sql: [
        '-- file: 0002_order_totals.sql',
        'CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;',
        '-- file: 0003_refresh.sql',
        'REFRESH MATERIALIZED VIEW order_totals WITH DATA;',
      ].join('\n'),
      errors: [{ messageId: 'blocksReads', data: AE('order_totals'), line: 1, column: 1, endLine: 1, endColumn: 49, file: 'db/migrations/0003_refresh.sql' }],
      output: null,
    },
    {
      name: 'prisma: REFRESH written into migration.sql',
      prisma: 'REFRESH MATERIALIZED VIEW "order_totals";\n',
      errors: [{ messageId: 'blocksReads', data: AE('order_totals'), line: 1, column: 1, endLine: 1, endColumn: 41 }],
      output: null,
    },
    {
      name: 'django: RunSQL with a plain REFRESH',
      django: djangoMigration([runSql('REFRESH MATERIALIZED VIEW shop_item_stats')]),
      errors: [{ messageId: 'blocksReads', data: AE('shop_item_stats'), line: 7, column: 28, endLine: 7, endColumn: 69 }],
      output: null,
    },
  ],
});
