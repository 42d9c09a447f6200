import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { operationLabel } from '../src/postgres/index.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const REPACK_HINT =
  'rewrite the table online with pg_repack (or pg_squeeze) from an operations job instead of a migration: it copies the rows while reads and writes go on, and holds ACCESS EXCLUSIVE only briefly to swap the files';
const NO_ONLINE_FORM =
  'there is no online form: create a new table with the persistence or access method wanted, copy the rows in batches while a trigger mirrors writes, then swap the names in one short transaction; or run it in a maintenance window';

export default defineRule({
  id: 'table-rewrite-maintenance',
  category: 'rewrite',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'CLUSTER, VACUUM FULL, SET LOGGED / UNLOGGED or SET ACCESS METHOD rewrites a whole existing table under ACCESS EXCLUSIVE.',
  messages: {
    rewrite: '{lock}, for as long as it takes to copy the whole table and rebuild its indexes',
    everyTable: '{operation} names no table: {scope}',
  },
  docs: {
    what:
      'Reports maintenance statements that rewrite a whole existing table under ACCESS EXCLUSIVE: `CLUSTER`, `VACUUM FULL`, `ALTER TABLE ... SET LOGGED` / `SET UNLOGGED`, and `ALTER TABLE ... SET ACCESS METHOD` (PostgreSQL 15 and later), in a SQL migration, a Django `RunSQL` or any framework\'s raw SQL. `CLUSTER` and `VACUUM FULL` without a table name are reported too: they rewrite table after table. A table created earlier in the same migration is exempt. Plain `VACUUM` and `ANALYZE` are not reported.',
    why:
      'Each of these copies every row into new files and rebuilds every index while holding ACCESS EXCLUSIVE, so nothing can read or write the table until it finishes, which is minutes to hours on a large table, and the copy needs as much free disk again. A migration is the wrong place for it: it runs at deploy time, and a deploy that stalls for a table copy is an outage. pg_repack and pg_squeeze do what `CLUSTER` and `VACUUM FULL` do while the table stays in use, holding ACCESS EXCLUSIVE only briefly to swap the files. `SET LOGGED`, `SET UNLOGGED` and `SET ACCESS METHOD` have no online form.',
    knownProblems:
      "PostgreSQL's own `REPACK` command is not in the lock table yet, so the rule neither suggests it nor knows from which version it has a concurrent form (squawk's `prefer-repack` suggests it only from its `pg_version` 19). `SET ACCESS METHOD` naming the method the table already has does not rewrite it, but the rule cannot see the current method.",
    example: {
      django: djangoMigration([runSql('CLUSTER shop_item USING shop_item_pkey')]),
      sql: 'VACUUM FULL orders;',
      prisma: ['-- Turn off WAL for the bulk load', 'ALTER TABLE "orders" SET UNLOGGED;'].join('\n'),
    },
    instead: {
      django: djangoMigration(['# CLUSTER is not a deploy step: an operations job runs `pg_repack --table=shop_item --order-by=name` instead.']),
      alembic: '# No revision: an operations job runs `pg_repack --table=orders` outside the deploy.',
      sql: '-- No migration: an operations job runs `pg_repack --table=orders --order-by=created_at` outside the deploy.',
      prisma: '-- No migration: an operations job runs `pg_repack --table=orders` outside the deploy.',
      knex: '// No migration: an operations job runs `pg_repack --table=orders` outside the deploy.',
      typeorm: '// No migration: an operations job runs `pg_repack --table=orders` outside the deploy.',
    },
    references: [
      'PostgreSQL 15 manual, sql-cluster.html, sql-vacuum.html (FULL), sql-altertable.html (SET LOGGED / UNLOGGED, SET ACCESS METHOD from 15)',
      'PostgreSQL 15 manual, explicit-locking.html, Table 13.2 (ACCESS EXCLUSIVE conflicts with every mode)',
      'pg_repack documentation (reorganize tables online; --order-by for CLUSTER)',
      'squawk `prefer-repack`; Atlas PG307 (SET LOGGED / UNLOGGED), PG311 (SET ACCESS METHOD)',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['cluster', 'vacuum', 'set_logged', 'set_access_method'])) {
      const { statement: st, lock } = v;
      if (st.kind === 'vacuum' && !st.full) continue;
      const facts = lockData(lock.facts);
      if ((st.kind === 'cluster' || st.kind === 'vacuum') && st.table === undefined) {
        // The lock table names no relation here; its note says what happens to every table.
        const scope = (lock.facts.notes[0] ?? 'it processes every table').replace(/^It /, 'it ').replace(/\.$/, '');
        report(v, 'everyTable', { operation: operationLabel(st), scope }, { facts: { ...facts, everyTable: true }, hint: REPACK_HINT });
        continue;
      }
      report(v, 'rewrite', { lock: lock.text }, { facts, hint: st.kind === 'cluster' || st.kind === 'vacuum' ? REPACK_HINT : NO_ONLINE_FORM });
    }
  },
});
