import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { lockOf, statementsOf } from '../src/engine/statements.js';
import type { Migration, MigrationSet, Statement } from '../src/model/types.js';
import { operationLabel } from '../src/postgres/index.js';

/** What a statement needs so that running it a second time, after a partial failure, succeeds. */
function missingGuard(st: Statement): 'IF NOT EXISTS' | 'IF EXISTS' | null {
  switch (st.kind) {
    case 'create_table':
    case 'create_index':
    case 'add_column':
      return st.ifNotExists ? null : 'IF NOT EXISTS';
    case 'drop_table':
    case 'drop_index':
    case 'drop_column':
    case 'drop_constraint':
      return st.ifExists ? null : 'IF EXISTS';
    default:
      return null;
  }
}

export default defineRule({
  id: 'prefer-robust-statements',
  category: 'transaction',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A migration that runs outside a transaction has statements that fail when it is run again after a partial failure.',
  messages: {
    notRetryable: '{operation} runs outside a transaction in a migration with {count} statements and has no {guard}: if a later statement fails, running the migration again fails here',
  },
  docs: {
    what:
      "Reports `CREATE TABLE`, `CREATE INDEX` and `ADD COLUMN` without `IF NOT EXISTS`, and `DROP TABLE`, `DROP INDEX`, `DROP COLUMN` and `DROP CONSTRAINT` without `IF EXISTS`, in a migration of more than one statement that runs outside a transaction (Django `atomic = False`, a plain SQL file with no `BEGIN` that holds a statement such as `CREATE INDEX CONCURRENTLY`, which cannot run in one). A migration that is a single statement is not reported: it either ran or it did not. A plain SQL file with only transactional statements is not reported either: its runner is not known, and most wrap each file in a transaction.",
    why:
      "Without a transaction, a failure part-way leaves the first statements applied and the migration unrecorded. The retry then stops at the first statement (`relation \"orders_status_idx\" already exists`) and someone has to repair the database by hand during an incident. A failed `CREATE INDEX CONCURRENTLY` also leaves an INVALID index behind under its name.",
    knownProblems:
      '`IF NOT EXISTS` on `CREATE INDEX CONCURRENTLY` also skips an INVALID index left by an earlier failed build; drop it with `DROP INDEX CONCURRENTLY IF EXISTS` first. Django operations have no `IF NOT EXISTS` form: keep non-atomic Django migrations to one operation.',
    example: {
      sql: ['CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);', 'CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);'].join('\n'),
      django: djangoMigration(["AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))", "AddIndexConcurrently(model_name='item', index=models.Index(fields=['id', 'name'], name='item_id_name_idx'))"], { atomic: false, imports: ['from django.contrib.postgres.operations import AddIndexConcurrently'] }),
    },
    instead: {
      sql: [
        'DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_idx ON orders (user_id);',
      ].join('\n'),
      django: [
        '# file: shop/migrations/0002_item_name_idx.py',
        'from django.contrib.postgres.operations import AddIndexConcurrently',
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    atomic = False',
        "    dependencies = [('shop', '0001_initial')]",
        "    operations = [AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))]",
        '',
        '# file: shop/migrations/0003_item_id_name_idx.py',
        'from django.contrib.postgres.operations import AddIndexConcurrently',
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    atomic = False',
        "    dependencies = [('shop', '0002_item_name_idx')]",
        "    operations = [AddIndexConcurrently(model_name='item', index=models.Index(fields=['id', 'name'], name='item_id_name_idx'))]",
      ].join('\n'),
      prisma: ['-- file: 20240102000000_status_idx', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_status_idx" ON "orders"("status");', '', '-- file: 20240102000001_user_idx', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_user_idx" ON "orders"("user_id");'].join('\n'),
      alembic: ['with op.get_context().autocommit_block():', "    op.create_index('orders_status_idx', 'orders', ['status'], postgresql_concurrently=True, if_not_exists=True)"].join('\n'),
      knex: ['exports.config = { transaction: false };', "exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)');"].join('\n'),
      typeorm: ["await q.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)');"].join('\n'),
    },
    references: ['PostgreSQL 15 manual, sql-createindex.html ("If a problem arises while scanning the table ... the index is left invalid")', 'squawk `prefer-robust-stmts`'],
  },
  check({ project, settings, report }) {
    // A plain SQL directory's runner is not known and most runners wrap each file in a transaction; such a
    // file is judged only when it holds a statement that cannot run in one (so its author runs it without).
    const outsideKnown = new Map<Migration, boolean>();
    const knownOutside = (m: Migration, set: MigrationSet): boolean => {
      let v = outsideKnown.get(m);
      if (v === undefined) {
        v = set.transaction !== 'none' || m.statements.some((st) => lockOf(st, settings)?.facts.nonTransactional === true);
        outsideKnown.set(m, v);
      }
      return v;
    };
    for (const v of statementsOf(project, { postgres: true })) {
      if (v.tx.kind !== null || !knownOutside(v.migration, v.set)) continue;
      const count = v.migration.statements.filter((s) => !s.stateOnly && s.kind !== 'set_setting' && s.kind !== 'raw_sql').length;
      const guard = missingGuard(v.statement);
      if (count < 2 || guard === null) continue;
      report(v, 'notRetryable', { operation: operationLabel(v.statement), count, guard }, {
        hint: { default: `write it with ${guard}`, django: 'put each non-atomic operation in a migration of its own' },
      });
    }
  },
});
