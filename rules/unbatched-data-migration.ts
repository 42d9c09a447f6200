import { defineRule } from '../src/engine/rule.js';
import { statementsOf } from '../src/engine/statements.js';
import { operationLabel } from '../src/postgres/index.js';

const migrationWith = (fn: string[], op: string, atomic = true) =>
  ['from django.db import migrations', ...fn, '', '', 'class Migration(migrations.Migration):', ...(atomic ? [] : ['    atomic = False']), "    dependencies = [('shop', '0001_initial')]", '    operations = [', `        ${op},`, '    ]'].join('\n');

/** What a model or table is called in messages: the model as the code names it, else its table. */
const nameOf = (t: { model?: string; table?: string } | undefined) => t?.model ?? (t?.table ? `"${t.table}"` : 'a query');

export default defineRule({
  id: 'unbatched-data-migration',
  category: 'data',
  severity: 'warning',
  fix: 'none',
  since: '0.3.0',
  description: 'A data step walks a whole table row by row with a write per row, or updates or deletes every row of a table in one statement.',
  messages: {
    rowByRow: '{construct} in {migration} loops over {model} and calls {calls} once per row{memory}: one query per row, all in one long step',
    wholeTable: '{operation} on "{table}" in {migration} has no WHERE: it changes every row in one statement, each row locked until the transaction commits',
  },
  docs: {
    what:
      'Reports a data step that iterates over a queryset (`for user in ClerkUser.objects.all():`, `.filter(...)`) and writes once per row inside the loop (`.save()`, `.create()`, `.delete()`, `.update()`, `get_or_create`), and an `UPDATE` or `DELETE` without `WHERE` on an existing table (plain SQL, `RunSQL`, `op.execute`, `knex(...).update()`).',
    why:
      'A per-row loop issues one query per row: a million rows are a million round trips, inside one transaction that holds every changed row locked (and, in an atomic migration, whatever locks the schema operations before it took) until it commits. Without `.iterator(chunk_size=…)` Django also loads the whole queryset into memory first. A full-table `UPDATE` or `DELETE` locks every row it touches until commit and writes a new version of each, bloating the table and the WAL at once. Batches (`bulk_create` / `bulk_update` / a queryset `.update()` per chunk, or a keyed `UPDATE … WHERE id BETWEEN …` per chunk) keep each transaction short.',
    knownProblems:
      'Only loops whose iterable is a queryset of a model the step names (`apps.get_model(...)` or an imported class) are read; a sliced queryset (`[:1000]`) is a batch and is not reported. Whether a table is large cannot be known statically.',
    example: {
      django: migrationWith(
        ['', '', 'def forwards(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", '    for item in Item.objects.all():', '        item.name = item.name.strip()', '        item.save()'],
        'migrations.RunPython(forwards, migrations.RunPython.noop)',
      ),
      sql: "UPDATE orders SET status = 'open';",
      alembic: ['def upgrade():', '    op.execute("UPDATE orders SET status = \'open\'")'].join('\n'),
    },
    instead: {
      django: migrationWith(
        [
          '',
          '',
          'def forwards(apps, schema_editor):',
          "    Item = apps.get_model('shop', 'Item')",
          '    batch = []',
          '    for item in Item.objects.all().iterator(chunk_size=1000):',
          '        item.name = item.name.strip()',
          '        batch.append(item)',
          '        if len(batch) == 1000:',
          "            Item.objects.bulk_update(batch, ['name'])",
          '            batch = []',
          "    Item.objects.bulk_update(batch, ['name'])",
        ],
        'migrations.RunPython(forwards, migrations.RunPython.noop, atomic=False)',
        false,
      ),
      sql: ['-- One short transaction per batch of keys, repeated until it updates nothing.', "UPDATE orders SET status = 'open' WHERE id IN (SELECT id FROM orders WHERE status IS NULL LIMIT 1000);"].join('\n'),
      alembic: ['def upgrade():', '    op.execute("UPDATE orders SET status = \'open\' WHERE id IN (SELECT id FROM orders WHERE status IS NULL LIMIT 1000)")'].join('\n'),
      knex: ["exports.up = (knex) => knex('orders').whereNull('status').update({ status: 'open' });"].join('\n'),
    },
    references: [
      'Django documentation, QuerySet API: `iterator(chunk_size=…)`, `bulk_create`, `bulk_update`, `update`',
      'PostgreSQL 15 manual, explicit-locking.html 13.3.2 (row-level locks are held until the transaction ends)',
    ],
  },
  check({ project, report }) {
    for (const v of statementsOf(project)) {
      const st = v.statement;
      if (st.kind === 'run_code') {
        for (const loop of st.effects.rowLoops ?? []) {
          if (loop.perRow.length === 0) continue;
          report(v, 'rowByRow', { construct: st.construct, migration: v.name, model: nameOf(loop.source), calls: loop.perRow.map((c) => `.${c}()`).join(', '), memory: loop.chunked ? '' : ', after loading every row into memory' }, {
            hint: 'fetch with .iterator(chunk_size=1000) and write each chunk with bulk_create / bulk_update, in a non-atomic migration',
            facts: { model: loop.source?.model ?? null, table: loop.source?.table ?? null, perRow: loop.perRow, chunked: loop.chunked, line: loop.span.start.line },
          });
        }
      } else if ((st.kind === 'update' || st.kind === 'delete') && !st.where && !st.tableIsNew) {
        report(v, 'wholeTable', { operation: operationLabel(st), table: st.table, migration: v.name }, { hint: 'update in batches of keys, one short transaction each (WHERE id IN (SELECT id … LIMIT 1000))' });
      }
    }
  },
});
