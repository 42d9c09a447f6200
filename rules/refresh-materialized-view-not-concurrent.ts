import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

export default defineRule({
  id: 'refresh-materialized-view-not-concurrent',
  category: 'lock',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of an existing view while its query runs.',
  messages: {
    blocksReads: "{lock}, for as long as the view's query runs",
  },
  docs: {
    what:
      'Reports `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` on a materialized view that existed before the migration, in a SQL migration, a Django `RunSQL` or any framework\'s raw SQL. A view created earlier in the same migration is exempt, and so is `WITH NO DATA`, which runs no query (and cannot be concurrent).',
    why:
      "A plain refresh takes ACCESS EXCLUSIVE on the view and holds it while the view's whole query runs and its result is written to new files, so every query that reads the view waits, on a large view for minutes, and until the migration's transaction commits. `REFRESH MATERIALIZED VIEW CONCURRENTLY` takes EXCLUSIVE instead, which lets reads go on: it computes the new result beside the old one and applies the difference. It needs a unique index on the view that uses only column names and covers every row (no expression, no WHERE), and a view that is already populated.",
    knownProblems:
      'A concurrent refresh is slower and writes more when most rows change; for a view that is rebuilt wholesale and read rarely, the plain form outside busy hours may be the better trade, and the finding can be suppressed with that reason.',
    example: {
      django: djangoMigration([runSql('REFRESH MATERIALIZED VIEW shop_item_stats')]),
      sql: 'REFRESH MATERIALIZED VIEW order_totals;',
    },
    instead: {
      django: djangoMigration([
        '# shop_item_stats has a unique index on (item_id), which CONCURRENTLY needs.',
        runSql('REFRESH MATERIALIZED VIEW CONCURRENTLY shop_item_stats'),
      ]),
      alembic: ['def upgrade():', "    # order_totals has a unique index on (user_id), which CONCURRENTLY needs.", "    op.execute('REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals')"].join('\n'),
      sql: ['-- order_totals has a unique index on (user_id), which CONCURRENTLY needs.', 'REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;'].join('\n'),
      prisma: ['-- order_totals has a unique index on (user_id), which CONCURRENTLY needs.', 'REFRESH MATERIALIZED VIEW CONCURRENTLY "order_totals";'].join('\n'),
      knex: "exports.up = (knex) => knex.raw('REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals');",
      typeorm: ['async up(q: QueryRunner) {', "  await q.query('REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals');", '}'].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-refreshmaterializedview.html (CONCURRENTLY: unique index, populated view; WITH NO DATA)',
      'PostgreSQL 15 manual, explicit-locking.html 13.3.1 (REFRESH MATERIALIZED VIEW: ACCESS EXCLUSIVE; CONCURRENTLY: EXCLUSIVE)',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['refresh_materialized_view'])) {
      const st = v.statement;
      if (st.concurrently || !st.withData) continue;
      report(v, 'blocksReads', { lock: v.lock.text }, {
        facts: lockData(v.lock.facts),
        hint: 'use REFRESH MATERIALIZED VIEW CONCURRENTLY, after creating a unique index on the view over plain columns (no expression, no WHERE)',
      });
    }
  },
});
