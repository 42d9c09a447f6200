import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { statementsOf, type StatementVisit } from '../src/engine/statements.js';
import { wrapperOf } from '../src/model/migration-facts.js';
import type { Migration } from '../src/model/types.js';

export default defineRule({
  id: 'transaction-nesting',
  category: 'transaction',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A migration opens, commits or leaves open a transaction in a way that fights the runner that wraps it.',
  messages: {
    nestedBegin: 'BEGIN inside a transaction that is already open ({where}): PostgreSQL ignores it with a warning, and the COMMIT that follows ends the outer transaction early',
    commitsWrapper: '{operation} ends the transaction the framework opened for {migration}: what follows runs outside it, and a failure can no longer roll back what came before',
    uncommitted: 'BEGIN in {migration} is never committed: the transaction stays open until the connection closes, holding every lock taken in it',
  },
  docs: {
    what:
      'Reports transaction control that does not fit the runner: a `BEGIN` inside a transaction that is already open (the one the framework wraps the migration in, or the file\'s own), a `COMMIT` or `ROLLBACK` inside the framework\'s transaction, and a `BEGIN` that the file never commits when nothing else will.',
    why:
      "The framework that wraps a migration in a transaction expects to commit it. A `COMMIT` in the middle commits the framework's transaction early: the statements after it run in a transaction of their own, a failure no longer rolls back the statements before it, and the framework then commits or rolls back something else. A `BEGIN` that is never committed keeps every lock it took until the session ends.",
    knownProblems:
      'Prisma and golang-migrate send a file as one query: `BEGIN`/`COMMIT` in such a file split it into explicit transactions without harm, so they are not reported there.',
    example: {
      django: djangoMigration(["migrations.RunSQL('BEGIN; UPDATE shop_item SET name = trim(name); COMMIT;', migrations.RunSQL.noop)"]),
      sql: ['BEGIN;', 'ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '';"].join('\n'),
    },
    instead: {
      django: djangoMigration(["migrations.RunSQL('UPDATE shop_item SET name = trim(name)', migrations.RunSQL.noop)"]),
      alembic: ['def upgrade():', '    # Alembic already runs upgrade() in a transaction: no op.execute("BEGIN") / ("COMMIT").', "    op.add_column('orders', sa.Column('note', sa.Text()))"].join('\n'),
      sql: ['BEGIN;', 'ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '';", 'COMMIT;'].join('\n'),
      prisma: ['-- Prisma sends migration.sql as one query: it already runs as one transaction.', 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;', 'UPDATE "orders" SET "note" = \'\';'].join('\n'),
      knex: ['// Knex wraps the migration in a transaction: use the builder, no BEGIN/COMMIT.', "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('note'));"].join('\n'),
      typeorm: ['async up(q: QueryRunner) {', '  // The runner owns the transaction: no START TRANSACTION / COMMIT here.', "  await q.query('ALTER TABLE orders ADD COLUMN note text');", '}'].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-begin.html ("Issuing BEGIN when already inside a transaction block will provoke a warning message. The state of the transaction is not affected")',
      'django/db/migrations/executor.py `apply_migration` (atomic migrations run in `schema_editor(atomic=migration.atomic)`)',
      'squawk `transaction-nesting`, `ban-uncommitted-transaction`; Atlas TX201',
    ],
  },
  check({ project, report }) {
    // The BEGIN still open per migration the runner does not wrap; reported once its file has been read.
    const open = new Map<Migration, StatementVisit>();
    for (const v of statementsOf(project)) {
      const st = v.statement;
      if (st.kind !== 'transaction') continue;
      if (v.tx.nestedBegin) {
        report(v, 'nestedBegin', { where: v.tx.kind === 'framework' ? 'the framework opened it for the migration' : 'the migration opened it earlier' });
      } else if (st.action === 'begin' && v.tx.kind === 'explicit' && wrapperOf(v.set, v.migration) === null) {
        open.set(v.migration, v);
      } else if (st.action === 'commit' || st.action === 'rollback') {
        if (v.tx.kind === 'framework') report(v, 'commitsWrapper', { operation: st.action.toUpperCase(), migration: v.name });
        open.delete(v.migration);
      }
    }
    for (const v of open.values()) report(v, 'uncommitted', { migration: v.name });
  },
});
