import { fileTree } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { statementsOf } from '../src/engine/statements.js';
import { nodeKey } from '../src/model/history.js';
import type { DataTarget } from '../src/model/types.js';

const CLERK_INITIAL = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    initial = True',
  '    dependencies = []',
  '    operations = [',
  "        migrations.CreateModel(name='ClerkUser', fields=[('id', models.BigAutoField(primary_key=True)), ('email', models.CharField(max_length=254))]),",
  '    ]',
].join('\n');

const copy = (deps: string) =>
  [
    'from django.db import migrations',
    '',
    '',
    'def copy_users(apps, schema_editor):',
    "    ClerkUser = apps.get_model('clerk_sync', 'ClerkUser')",
    "    Item = apps.get_model('shop', 'Item')",
    "    Item.objects.bulk_create(Item(name=u.email) for u in ClerkUser.objects.all().iterator(chunk_size=1000))",
    '',
    '',
    'class Migration(migrations.Migration):',
    `    dependencies = [${deps}]`,
    '    operations = [',
    '        migrations.RunPython(copy_users, migrations.RunPython.noop),',
    '    ]',
  ].join('\n');

export default defineRule({
  id: 'cross-app-data-copy-without-dependency',
  category: 'data',
  severity: 'error',
  fix: 'none',
  since: '0.3.0',
  description: "RunPython uses another app's model through apps.get_model() while its migration does not depend on any migration of that app.",
  messages: {
    noDependency:
      "{construct} in {migration} uses apps.get_model() for {model}, but {migration} does not depend on any migration of \"{app}\": Django may apply it before {model} exists in the migration state, and it then fails with LookupError",
  },
  docs: {
    what:
      "Reports RunPython code that gets a model of another app (`apps.get_model('clerk_sync', 'ClerkUser')` in a migration of `shop`) when the migration does not depend, directly or through its ancestors, on any migration of that app.",
    why:
      "The `apps` a RunPython function receives holds only the models of the migrations planned before it. Django orders migrations by their dependencies alone: without one on the other app, a fresh database (CI, a new environment, a teammate's machine) can apply this migration first, and `apps.get_model` raises `LookupError: No installed app with label 'clerk_sync'` or `App 'clerk_sync' doesn't have a 'ClerkUser' model`. On a database where the other app happens to be migrated already it works, so the mistake survives review and fails later. It is an error because the migration then cannot run at all.",
    knownProblems: 'Models named by variables (`apps.get_model(label, name)`) cannot be read and are not judged.',
    example: {
      django: fileTree({ 'clerk_sync/migrations/0001_initial.py': CLERK_INITIAL, 'shop/migrations/0002_copy_users.py': copy("('shop', '0001_initial')") }),
    },
    instead: {
      django: fileTree({ 'clerk_sync/migrations/0001_initial.py': CLERK_INITIAL, 'shop/migrations/0002_copy_users.py': copy("('shop', '0001_initial'), ('clerk_sync', '0001_initial')") }),
    },
    references: [
      'django/db/migrations/executor.py `MigrationExecutor._migrate_all_forwards` (the state each migration sees is built from the plan before it)',
      'django/db/migrations/state.py `StateApps.get_model` (LookupError for an app or model not in the state)',
      'Django documentation, "Writing migrations" → "Accessing models from other apps"',
    ],
  },
  check({ project, report }) {
    for (const v of statementsOf(project)) {
      const st = v.statement;
      if (st.kind !== 'run_code' || v.set.ordering !== 'graph') continue;
      const history = project.historyOf(v.set);
      if (!history) continue;
      const targets = [...(st.effects.reads ?? []), ...(st.effects.writes ?? [])].filter((t): t is DataTarget & { set: string; model: string } => !t.imported && !!t.set && !!t.model && t.set !== v.set.name);
      const seen = new Set<string>();
      let ancestors: Set<string> | undefined;
      for (const t of targets) {
        if (seen.has(t.model)) continue;
        seen.add(t.model);
        ancestors ??= history.ancestors(nodeKey(v.set.name, v.migration.name));
        if ([...ancestors].some((k) => history.label(k).set === t.set)) continue;
        report(v, 'noDependency', { construct: st.construct, migration: v.name, model: t.model, app: t.set }, {
          hint: `add ('${t.set}', '<its latest migration>') to dependencies`,
          facts: { model: t.model, app: t.set },
        });
      }
    }
  },
});
