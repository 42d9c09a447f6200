import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { CONCURRENT_INDEX_INSTEAD } from './shared/concurrent-index.js';
import { lockData, lockOf, statementsOf } from '../src/engine/statements.js';

export default defineRule({
  id: 'index-not-concurrent',
  category: 'lock',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'An index is built, dropped or rebuilt without CONCURRENTLY on a table that already exists.',
  messages: {
    build: '{lock}, for as long as it takes to read the whole table',
    drop: '{lock}',
    reindex: '{lock}, for as long as it takes to rebuild',
  },
  docs: {
    what:
      'Reports `CREATE INDEX`, `DROP INDEX` and `REINDEX` without `CONCURRENTLY` on a table that existed before the migration, whichever framework construct produced them: a Django `AddIndex` or `ForeignKey` field, an Alembic `op.create_index`, a Knex `table.index()`, or a line of SQL. Tables created earlier in the same migration are exempt: nobody else can be using them yet.',
    why:
      'A plain `CREATE INDEX` takes a SHARE lock on the table: every INSERT, UPDATE and DELETE waits until the index is built and the transaction commits, which on a large table is minutes. `DROP INDEX` takes ACCESS EXCLUSIVE, so even reads wait, and they also queue behind it while it waits for its own lock. `REINDEX` locks writes while it rebuilds. The CONCURRENTLY forms take SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.',
    knownProblems:
      '`CONCURRENTLY` cannot run inside a transaction block, so the safe form needs a migration the framework does not wrap in one (see `cannot-run-in-transaction`). A concurrent build that fails leaves an INVALID index behind that must be dropped before retrying. Indexes that back a constraint cannot be dropped concurrently.',
    example: {
      django: djangoMigration(["migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"]),
      sql: 'CREATE INDEX orders_status_idx ON orders (status);',
      prisma: ['-- CreateIndex', 'CREATE INDEX "orders_status_idx" ON "orders"("status");'].join('\n'),
    },
    instead: {
      django: djangoMigration(["AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"], { atomic: false, imports: ['from django.contrib.postgres.operations import AddIndexConcurrently'] }),
      alembic: [
        'def upgrade():',
        '    with op.get_context().autocommit_block():',
        "        op.create_index('orders_status_idx', 'orders', ['status'], postgresql_concurrently=True)",
      ].join('\n'),
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      prisma: [
        '-- This migration.sql holds nothing else: a file with one statement runs outside a transaction.',
        'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");',
      ].join('\n'),
      ...CONCURRENT_INDEX_INSTEAD,
    },
    references: [
      'PostgreSQL 15 manual, sql-createindex.html, "Building Indexes Concurrently"',
      'PostgreSQL 15 manual, sql-dropindex.html (CONCURRENTLY), sql-reindex.html (CONCURRENTLY, from 12)',
      'PostgreSQL 15 manual, explicit-locking.html, Table 13.2 (SHARE conflicts with ROW EXCLUSIVE)',
      'squawk `require-concurrent-index-creation`, `require-concurrent-index-deletion`; django-migration-linter CREATE_INDEX, DROP_INDEX, REINDEX',
    ],
  },
  check({ project, settings, report }) {
    for (const v of statementsOf(project, { postgres: true })) {
      const st = v.statement;
      if (st.tableIsNew) continue;
      const messageId = st.kind === 'create_index' ? 'build' : st.kind === 'drop_index' ? 'drop' : st.kind === 'reindex' ? 'reindex' : null;
      if (messageId === null || !('concurrently' in st) || st.concurrently) continue;
      const lock = lockOf(st, settings, v.tx);
      if (!lock) continue;
      report(v, messageId, { lock: lock.text }, {
        facts: lockData(lock.facts),
        hint: {
          default: `use ${st.kind === 'create_index' ? 'CREATE INDEX' : st.kind === 'drop_index' ? 'DROP INDEX' : 'REINDEX'} CONCURRENTLY, in a migration that runs outside a transaction`,
          django: st.kind === 'create_index' ? 'use AddIndexConcurrently in a migration with atomic = False' : st.kind === 'drop_index' ? 'use RemoveIndexConcurrently in a migration with atomic = False' : 'use REINDEX CONCURRENTLY in a RunSQL of a migration with atomic = False',
          prisma: 'put the CONCURRENTLY statement alone in its own migration.sql (one statement runs outside a transaction)',
        },
      });
    }
  },
});
