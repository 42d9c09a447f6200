import { defineRule } from '../src/engine/rule.js';
import type { DataEffects } from '../src/model/types.js';

function describeEffects(e: DataEffects): string | null {
  const parts: string[] = [];
  // A copy: rows inserted into one model from another it reads (`for u in Old.objects.all():
  // New.objects.create(...)`).
  const written = new Set((e.writes ?? []).map((t) => t.model ?? t.table));
  const sources = (e.reads ?? []).filter((t) => !written.has(t.model ?? t.table));
  if (e.inserts && sources.length > 0 && written.size > 0) parts.push(`copies rows from ${sources.map((t) => t.model ?? t.table).join(', ')} into ${[...written].join(', ')}`);
  if (e.deletes) parts.push('deletes rows');
  if (e.updates) parts.push('changes rows');
  if (e.dropsData) parts.push('drops data');
  return parts.length ? parts.join(' and ') : null;
}

export default defineRule({
  id: 'irreversible-operation',
  category: 'reversibility',
  severity: 'error',
  fix: 'none',
  since: '0.1.0',
  description: 'A data or raw-SQL step has no reverse, or a no-op reverse for a step that destroys or rewrites data.',
  messages: {
    noReverse: '{construct} in {migration} has no reverse: rolling back past this migration fails',
    noopReverse: '{construct} in {migration} {effects}, but its reverse does nothing, so it is not really reversible: rolling back leaves the data changed',
  },
  docs: {
    what:
      "Reports a code step (`RunPython`) or raw SQL step (`RunSQL`) with no reverse at all, as an error. Reports, as a warning, a reverse that does nothing — declared so (`RunPython.noop`, `RunSQL.noop`, an empty string) or a function whose body is only `pass` — when the forward step copies rows from one model into another, deletes, updates or drops data: it is not really reversible, the rollback 'succeeds' but the data stays as the forward step left it.",
    why:
      "Without a reverse, `migrate <app> <earlier>` raises `IrreversibleError: Operation <RunPython …> in shop.0005_data is not reversible` and a failed deploy cannot be rolled back past this migration. A no-op reverse of a destructive step is worse in a quieter way: the schema goes back, the data does not.",
    knownProblems:
      'Whether RunPython code changes data is read from the calls in the function body (`.delete()`, `.update()`, `.save()`, `bulk_update`); code imported from another module cannot be seen and is not judged. Whether RunSQL changes data is read with the PostgreSQL parser (`UPDATE`, `DELETE`, `TRUNCATE`, `DROP`); SQL built at run time cannot be seen and is not judged.',
    example: {
      django: [
        'from django.db import migrations',
        '',
        '',
        'def forwards(apps, schema_editor):',
        "    Item = apps.get_model('shop', 'Item')",
        '    Item.objects.filter(price__isnull=True).update(price=0)',
        '',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [',
        '        migrations.RunPython(forwards),',
        '    ]',
      ].join('\n'),
    },
    instead: {
      django: [
        'from django.db import migrations',
        '',
        '',
        'def forwards(apps, schema_editor):',
        "    Item = apps.get_model('shop', 'Item')",
        '    Item.objects.filter(price__isnull=True).update(price=0)',
        '',
        '',
        'def backwards(apps, schema_editor):',
        "    Item = apps.get_model('shop', 'Item')",
        '    Item.objects.filter(price=0).update(price=None)',
        '',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [',
        '        migrations.RunPython(forwards, backwards),',
        '    ]',
      ].join('\n'),
    },
    references: [
      'django/db/migrations/operations/special.py `RunPython.reversible`, `RunSQL.reversible`, `noop`',
      'django/db/migrations/migration.py `Migration.unapply` (IrreversibleError)',
    ],
  },
  check({ project, report }) {
    for (const set of project.sets) {
      for (const migration of set.migrations) {
        const name = `${set.name}.${migration.name}`;
        migration.statements.forEach((statement, statementIndex) => {
          if (statement.stateOnly || !statement.reverse) return;
          const target = { statement, migration, statementIndex };
          if (statement.reverse.status === 'missing') {
            report(target, 'noReverse', { construct: statement.construct, migration: name }, {
              hint: statement.kind === 'raw_sql' ? 'give it reverse_sql (RunSQL.noop if nothing needs undoing)' : 'give it reverse_code (RunPython.noop if nothing needs undoing)',
            });
            return;
          }
          if ((statement.reverse.status === 'noop' || statement.reverse.status === 'empty') && (statement.kind === 'run_code' || statement.kind === 'raw_sql')) {
            const effects = describeEffects(statement.effects);
            if (!effects) return;
            report(target, 'noopReverse', { construct: statement.construct, migration: name, effects }, {
              severity: 'warning',
              hint: 'write a reverse that restores the data, or document why the change cannot be undone with a suppression',
            });
          }
        });
      }
    }
  },
});
