import { defineRule } from '../src/engine/rule.js';
import { statementsOf } from '../src/engine/statements.js';

const migrationWith = (reverse: string[], op: string) =>
  [
    'from django.db import migrations',
    '',
    '',
    'def forwards(apps, schema_editor):',
    "    Tag = apps.get_model('shop', 'Tag')",
    "    Tag.objects.bulk_create([Tag(name='new'), Tag(name='sale')])",
    '',
    '',
    ...reverse,
    '',
    '',
    'class Migration(migrations.Migration):',
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    `        ${op},`,
    '    ]',
  ].join('\n');

export default defineRule({
  id: 'destructive-reverse',
  category: 'reversibility',
  severity: 'warning',
  fix: 'none',
  since: '0.3.0',
  description: 'A reverse step empties or drops a table the forward step did not create, so rolling back loses every row written since.',
  messages: {
    destroys: 'The reverse of {construct} in {migration} empties or drops data the forward step did not create: rolling back loses every row written since the migration ran',
  },
  docs: {
    what:
      'Reports a reverse step that deletes every row of a table (`Model.objects.all().delete()`, `DELETE` without `WHERE`), truncates it, or drops a table the forward step did not create: a RunPython `reverse_code` or a RunSQL `reverse_sql`.',
    why:
      "A rollback usually happens under pressure, after the new code has run for a while. A reverse that deletes everything in a table removes what users wrote in the meantime, not just what the migration added. Undo exactly what the forward step did (delete the rows it inserted, by a key it set), or make the reverse a no-op and say so. It is a warning: sometimes the table really holds only what the migration put there.",
    knownProblems: 'Down steps of Alembic, Knex and the SQL-file tools are not read yet; only Django reverses are.',
    example: {
      django: migrationWith(['def backwards(apps, schema_editor):', "    apps.get_model('shop', 'Tag').objects.all().delete()"], 'migrations.RunPython(forwards, backwards)'),
    },
    instead: {
      django: migrationWith(['def backwards(apps, schema_editor):', "    apps.get_model('shop', 'Tag').objects.filter(name__in=['new', 'sale']).delete()"], 'migrations.RunPython(forwards, backwards)'),
    },
    references: ['django/db/migrations/operations/special.py `RunPython.database_backwards`, `RunSQL.database_backwards`'],
  },
  check({ project, report }) {
    for (const v of statementsOf(project)) {
      const st = v.statement;
      if ((st.kind !== 'run_code' && st.kind !== 'raw_sql') || !st.reverse?.effects?.destroys) continue;
      report(v, 'destroys', { construct: st.construct, migration: v.name }, { hint: 'undo only what the forward step did (delete the rows it created, by their keys), or use a no-op reverse' });
    }
  },
});
