import { defineRule } from '../src/engine/rule.js';
import { statementsOf } from '../src/engine/statements.js';

const migrationWith = (fn: string[], op: string) =>
  ['from django.db import migrations', ...fn, '', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = [', `        ${op},`, '    ]'].join('\n');

export default defineRule({
  id: 'runpython-model-import',
  category: 'data',
  severity: 'error',
  fix: 'none',
  since: '0.3.0',
  description: "RunPython code imports the app's models instead of asking apps.get_model(), or does not take (apps, schema_editor).",
  messages: {
    modelImport: "{construct} in {migration} uses {names} imported from {module} instead of apps.get_model(): it runs against today's model, not the one this migration's history defines",
    signature: '{construct} in {migration} runs {function}({params}), but Django calls it as {function}(apps, schema_editor): the migration fails with a TypeError',
  },
  docs: {
    what:
      "Reports RunPython code that imports model classes from an app's `models` module (`from shop.models import Item`, inside the function or at the top of the migration and used by it) instead of getting the historical model with `apps.get_model('shop', 'Item')`. Also reports a RunPython function that cannot take the two positional arguments Django passes it (`apps, schema_editor`).",
    why:
      "A migration must see the models as they were when it was written: Django builds them from the migration history and hands them to RunPython as `apps`. An imported model is today's class. Once a later change adds a field, renames one or removes the model, the old migration queries columns that do not exist yet on a fresh database (tests, a new environment) or fails to import at all, and `squashmigrations` cannot reorder it. django-migration-linter reports the same import (`RUNPYTHON_MODEL_IMPORT`); Django's documentation says to use `apps.get_model`. RunPython calls `code(from_state.apps, schema_editor)`, so a function with fewer parameters fails as soon as the migration runs.",
    knownProblems:
      "Only functions defined in the migration's own module are read. A model module is one whose dotted name has a `models` part (`shop.models`, `shop.models.orders`, a relative `..models`); `django.db.models` is Django's field library and is not reported.",
    example: {
      django: migrationWith(
        ['from shop.models import Item', '', '', 'def forwards(apps, schema_editor):', "    Item.objects.filter(name='').update(name='unnamed')", '', '', 'def backwards(apps, schema_editor):', '    pass'],
        'migrations.RunPython(forwards, backwards)',
      ),
    },
    instead: {
      django: migrationWith(
        ['', '', 'def forwards(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", "    Item.objects.filter(name='').update(name='unnamed')"],
        'migrations.RunPython(forwards, migrations.RunPython.noop)',
      ),
    },
    references: [
      'Django documentation, "Writing migrations" → "Data migrations" (use `apps.get_model`, not a direct import)',
      'django/db/migrations/operations/special.py `RunPython.database_forwards` (`self.code(from_state.apps, schema_editor)`)',
      'django-migration-linter RUNPYTHON_MODEL_IMPORT, RUNPYTHON_ARGS_NAMING_CONVENTION',
    ],
  },
  check({ project, report }) {
    for (const v of statementsOf(project)) {
      const st = v.statement;
      if (st.kind !== 'run_code' || st.language !== 'python') continue;
      const fx = [st.effects, st.reverse?.effects].filter((e) => e !== undefined);
      for (const imp of fx.flatMap((e) => e.codeImports ?? []).filter((x, i, all) => all.findIndex((y) => y.span.offset === x.span.offset && y.module === x.module) === i)) {
        report(v, 'modelImport', { construct: st.construct, migration: v.name, names: imp.names.join(', '), module: imp.module }, {
          hint: "get the historical model inside the function: Item = apps.get_model('shop', 'Item')",
          facts: { module: imp.module, names: imp.names, line: imp.span.start.line },
        });
      }
      const params = st.effects.params;
      if (params && st.forward) {
        const positional = params.names.filter((n) => !n.startsWith('*'));
        if (positional.length < 2 && !params.names.some((n) => n.startsWith('*') && !n.startsWith('**'))) {
          report(v, 'signature', { construct: st.construct, migration: v.name, function: st.forward, params: params.names.join(', ') }, { hint: `def ${st.forward}(apps, schema_editor):` });
        }
      }
    }
  },
});
