import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { CONCURRENT_INDEX_INSTEAD } from './shared/concurrent-index.js';
import { lockData, lockOf, statementsOf } from '../src/engine/statements.js';
import type { TransactionKind } from '../src/model/migration-facts.js';
import { operationLabel } from '../src/postgres/index.js';

/** Why the statement is inside a transaction block, in words. */
const WHERE: Record<TransactionKind, string> = {
  framework: 'the framework runs the migration inside a transaction',
  implicit: 'the file is sent as one multi-statement query, which PostgreSQL runs as one implicit transaction',
  explicit: 'the migration opened a transaction with BEGIN',
};

export default defineRule({
  id: 'cannot-run-in-transaction',
  category: 'transaction',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A statement that PostgreSQL refuses inside a transaction block runs in one, so the migration fails.',
  messages: {
    inTransaction: '{operation} cannot run inside a transaction block, and here {where}: the migration fails with "cannot run inside a transaction block"',
  },
  docs: {
    what:
      'Reports `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY`, `DETACH PARTITION CONCURRENTLY`, `VACUUM`, and (before PostgreSQL 12) `ALTER TYPE ... ADD VALUE` when the migration runs them inside a transaction block. Where the transaction comes from is read from the framework: Django wraps each migration unless `atomic = False`; Prisma and golang-migrate send a file with several statements as one query, which PostgreSQL runs as one implicit transaction (even after a `COMMIT` inside it); Flyway, dbmate and goose wrap each file unless told not to; and any file can open one with `BEGIN`.',
    why:
      'PostgreSQL rejects these statements with `ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block`. The deploy stops at this migration. With Prisma the failure is recorded in `_prisma_migrations` and every later `migrate deploy` refuses to run until someone resolves it by hand (P3018, prisma/prisma#14456); with golang-migrate the database is left dirty.',
    knownProblems:
      'Newer Prisma engines (prisma-engines PR #5767, 2026) may run a lone `CREATE INDEX CONCURRENTLY` differently; the rule follows the documented behaviour of a file sent as one query.',
    example: {
      django: djangoMigration(["AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"], { imports: ['from django.contrib.postgres.operations import AddIndexConcurrently'] }),
      sql: ['BEGIN;', 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);', 'COMMIT;'].join('\n'),
      prisma: [
        '-- AlterTable',
        'ALTER TABLE "orders" ADD COLUMN "note" TEXT;',
        '',
        '-- CreateIndex',
        'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");',
      ].join('\n'),
    },
    instead: {
      django: djangoMigration(["AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"], { atomic: false, imports: ['from django.contrib.postgres.operations import AddIndexConcurrently'] }),
      alembic: [
        'def upgrade():',
        '    # autocommit_block() commits what ran before it and runs its body outside a transaction.',
        '    with op.get_context().autocommit_block():',
        "        op.create_index('orders_status_idx', 'orders', ['status'], postgresql_concurrently=True)",
      ].join('\n'),
      sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      prisma: [
        '-- file: 20240102000000_add_note',
        'ALTER TABLE "orders" ADD COLUMN "note" TEXT;',
        '',
        '-- file: 20240102000001_orders_status_idx',
        '-- The only statement in its migration.sql: a single-statement query runs outside a transaction.',
        'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");',
      ].join('\n'),
      ...CONCURRENT_INDEX_INSTEAD,
    },
    references: [
      'PostgreSQL 15 manual, sql-createindex.html ("a regular CREATE INDEX command can be performed within a transaction block, but CREATE INDEX CONCURRENTLY cannot"), sql-dropindex.html, sql-reindex.html, sql-altertable.html (DETACH PARTITION CONCURRENTLY), sql-vacuum.html',
      'PostgreSQL 11 manual, sql-altertype.html ("ALTER TYPE ... ADD VALUE cannot be executed inside a transaction block"); release notes 12',
      'PostgreSQL 15 manual, protocol-flow.html 55.2.2.1 "Multiple Statements in a Simple Query" (one implicit transaction)',
      'django/contrib/postgres/operations.py `NotInTransactionMixin._ensure_not_in_transaction`; reference/frameworks.md §1, §5.4, §13, §14',
      'squawk `ban-concurrent-index-creation-in-transaction`; Atlas PG103',
    ],
  },
  check({ project, settings, report }) {
    for (const v of statementsOf(project, { postgres: true })) {
      if (v.tx.kind === null) continue;
      const lock = lockOf(v.statement, settings, v.tx);
      if (!lock?.facts.nonTransactional) continue;
      report(v, 'inTransaction', { operation: operationLabel(v.statement), where: WHERE[v.tx.kind] }, {
        facts: { operation: operationLabel(v.statement), transaction: v.tx.kind, ...lockData(lock.facts) },
        hint: {
          default: 'run it in a migration of its own that the runner does not wrap in a transaction',
          django: 'move it into a migration of its own with atomic = False',
          prisma: 'move it into a migration.sql of its own, as the only statement',
          sql: v.tx.kind === 'explicit' ? 'take it out of the BEGIN ... COMMIT block' : 'run it in a migration of its own, outside a transaction',
        },
      });
    }
  },
});
