import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { lockOf, statementsOf, type StatementVisit } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import type { Statement } from '../src/model/types.js';
import { blockedBy, operationLabel, type LockMode } from '../src/postgres/index.js';

/**
 * A step that reads or writes rows: code (RunPython, whatever it can be seen to do, unless it provably does
 * nothing), or SQL that changes rows of a table (`UPDATE`, `DELETE`, `INSERT … SELECT`).
 */
function isDataStep(st: Statement): boolean {
  if (st.kind === 'run_code') {
    const e = st.effects;
    return e.opaque || e.deletes || e.updates || e.inserts || (e.reads?.length ?? 0) > 0 || (e.writes?.length ?? 0) > 0;
  }
  return st.kind === 'update' || st.kind === 'delete' || (st.kind === 'insert' && st.fromQuery);
}

function touchedTables(st: Statement): string[] {
  if (st.kind === 'run_code') return [...(st.effects.writes ?? []), ...(st.effects.reads ?? [])].flatMap((t) => (t.table ? [tableKey(t.table)] : []));
  return st.kind === 'update' || st.kind === 'delete' || st.kind === 'insert' ? [tableKey(st.table)] : [];
}

function stepLabel(st: Statement): string {
  return st.kind === 'run_code' ? st.construct : operationLabel(st);
}

const FILL = [
  'def fill(apps, schema_editor):',
  "    Item = apps.get_model('shop', 'Item')",
  "    Item.objects.filter(sku__isnull=True).update(sku='unknown')",
];

export default defineRule({
  id: 'data-step-holds-schema-lock',
  category: 'lock',
  severity: 'warning',
  fix: 'none',
  since: '0.3.0',
  description: 'A data step runs in the same transaction after a schema change locked an existing table against reads or writes, so the lock is held for the whole data step.',
  messages: {
    held: '{step} in {migration} runs while {earlier} from line {line} holds {lock} on "{table}": {blocked} of "{table}" wait until the data step has finished and the transaction commits',
  },
  docs: {
    what:
      'Reports a data step — RunPython, or SQL that changes rows (`UPDATE`, `DELETE`, `INSERT … SELECT`, through `RunSQL`, `op.execute`, `knex(…).update()` or a plain file) — that runs in the same transaction after a statement took a lock that blocks reads or writes (ACCESS EXCLUSIVE, EXCLUSIVE, SHARE ROW EXCLUSIVE, SHARE, as the lock table says) on a table that existed before the migration.',
    why:
      "PostgreSQL holds every lock until the transaction ends. An `ADD COLUMN` alone holds ACCESS EXCLUSIVE for milliseconds; followed by a backfill in the same atomic migration, it holds it for as long as the backfill takes, and every query on the table — reads included — queues behind it. Data steps are the slowest part of a migration and their duration grows with the table. It is a warning, like `lock-held-during-slow-statement`, because how long the step runs depends on the data, which a static check cannot see; the fix is always the same split: the schema change, the data step in its own migration outside the schema change's transaction (Django `atomic = False`, Alembic `autocommit_block()`, Knex `config.transaction = false`), then the constraint.",
    knownProblems: 'RunPython code whose effect cannot be seen (a function imported from another module) counts as a data step.',
    example: {
      django: [
        'from django.db import migrations, models',
        '',
        '',
        ...FILL,
        '',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [',
        "        migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True)),",
        '        migrations.RunPython(fill, migrations.RunPython.noop),',
        '    ]',
      ].join('\n'),
      sql: ['BEGIN;', 'ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '' WHERE note IS NULL;", 'COMMIT;'].join('\n'),
      alembic: ['def upgrade():', "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))", '    op.execute("UPDATE orders SET note = \'\' WHERE note IS NULL")'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_item_sku.py',
        djangoMigration(["migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))"]),
        '',
        '# file: shop/migrations/0003_fill_sku.py',
        'from django.db import migrations',
        '',
        '',
        ...FILL,
        '',
        '',
        'class Migration(migrations.Migration):',
        '    atomic = False',
        "    dependencies = [('shop', '0002_item_sku')]",
        '    operations = [',
        '        migrations.RunPython(fill, migrations.RunPython.noop),',
        '    ]',
      ].join('\n'),
      sql: ['-- file: 0002_note.sql', 'ALTER TABLE orders ADD COLUMN note text;', '', '-- file: 0003_fill_note.sql', "UPDATE orders SET note = '' WHERE note IS NULL;"].join('\n'),
      alembic: [
        'def upgrade():',
        "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))",
        '    with op.get_context().autocommit_block():',
        '        op.execute("UPDATE orders SET note = \'\' WHERE note IS NULL")',
      ].join('\n'),
      knex: [
        '// 20240102000000_note.js',
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('note'));",
        '// 20240102000001_fill_note.js',
        'exports.config = { transaction: false };',
        "exports.up = (knex) => knex('orders').whereNull('note').update({ note: '' });",
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, explicit-locking.html 13.3.1 ("Once acquired, a lock is normally held until the end of the transaction")',
      'django/db/migrations/migration.py `Migration.apply` (an atomic migration runs every operation in one transaction)',
      'strong_migrations, "Backfilling data" (backfill outside the transaction that altered the table)',
    ],
  },
  check({ project, settings, report }) {
    // Per transaction block: existing tables locked against reads or writes so far, and what locked them.
    const held = new Map<string, Map<string, { visit: StatementVisit; mode: LockMode }>>();
    for (const v of statementsOf(project, { postgres: true })) {
      if (v.tx.block === null) continue;
      const blockKey = `${v.migration.file}#${v.tx.block}`;
      const inBlock = held.get(blockKey) ?? new Map<string, { visit: StatementVisit; mode: LockMode }>();
      held.set(blockKey, inBlock);
      if (isDataStep(v.statement) && inBlock.size > 0) {
        // Name the locked table the step itself touches, when it touches one.
        const touched = touchedTables(v.statement);
        const [table, first] = [...inBlock].find(([t]) => touched.includes(t)) ?? [...inBlock][0]!;
        report(v, 'held', { step: stepLabel(v.statement), migration: v.name, earlier: operationLabel(first.visit.statement), line: first.visit.statement.span.start.line, lock: first.mode, table, blocked: blockedBy(first.mode).join(' and ') }, {
          hint: {
            default: 'split it: the schema change, the data step in its own migration outside that transaction, then the constraint',
            django: 'split it: the schema change, then the data step in its own migration with atomic = False, then the constraint',
            alembic: 'split it: the schema change, then the data step in another revision or in op.get_context().autocommit_block(), then the constraint',
            knex: "split it: the schema change, then the data step in its own migration with exports.config = { transaction: false }, then the constraint",
          },
          facts: { lock: first.mode, table, blocks: blockedBy(first.mode), lockedAtLine: first.visit.statement.span.start.line },
        });
      }
      if (v.statement.tableIsNew) continue;
      const lock = lockOf(v.statement, settings, v.tx);
      for (const l of lock?.facts.locks ?? []) {
        if (l.relation !== 'table' || l.table === null || blockedBy(l.mode).length === 0) continue;
        const t = tableKey(l.table);
        const prev = inBlock.get(t);
        if (!prev || blockedBy(prev.mode).length < blockedBy(l.mode).length) inBlock.set(t, { visit: v, mode: l.mode });
      }
    }
  },
});
