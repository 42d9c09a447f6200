import rule from '../../rules/runpython-model-import.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A migration with `fn` (the module's functions and imports) and one operation, on line 8 + fn lines. */
const withCode = (fn: string[], op = 'migrations.RunPython(forwards, migrations.RunPython.noop)') =>
  ['from django.db import migrations', ...fn, '', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = [', `        ${op},`, '    ]'].join('\n');

const GET_MODEL = ['', '', 'def forwards(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", "    Item.objects.filter(name='').update(name='x')"];

ruleTester.run(rule, {
  valid: [
    { name: 'apps.get_model', django: withCode(GET_MODEL) },
    { name: 'a lambda with apps.get_model', django: withCode([], "migrations.RunPython(lambda apps, se: apps.get_model('shop', 'Item').objects.update(name='x'), migrations.RunPython.noop)") },
    { name: "Django's own models module is the field library", django: withCode(['from django.db.models import F', ...GET_MODEL.slice(0, 4), "    Item.objects.update(name=F('name'))"]) },
    { name: 'a model import the step does not use', django: withCode(['from shop.models import Item as CurrentItem', ...GET_MODEL]) },
    { name: 'extra parameters with *args', django: withCode(['', '', 'def forwards(*args):', '    pass']) },
    {
      name: 'a suppression with a reason',
      django: withCode(['from shop.models import Item', '', '', 'def forwards(apps, schema_editor):', '    Item.objects.update(name="x")'], '# migrate-lint: ignore runpython-model-import: the model is frozen\n        migrations.RunPython(forwards, migrations.RunPython.noop)'),
    },
  ],
  invalid: [
    {
      name: 'a module-level import used by the function',
      django: withCode(['from shop.models import Item', '', '', 'def forwards(apps, schema_editor):', "    Item.objects.filter(name='').update(name='x')"]),
      errors: [{ messageId: 'modelImport', data: { module: 'shop.models', names: ['Item'], line: 2 }, line: 12, column: 9, endLine: 12, endColumn: 66 }],
      output: null,
    },
    {
      name: 'an import inside the function, from another app',
      django: withCode(['', '', 'def forwards(apps, schema_editor):', '    from clerk_sync.models import ClerkUser', "    Item = apps.get_model('shop', 'Item')", '    for u in ClerkUser.objects.all():', '        Item.objects.create(name=u.email)']),
      errors: [{ messageId: 'modelImport', data: { module: 'clerk_sync.models', names: ['ClerkUser'], line: 5 }, line: 14, column: 9, endLine: 14, endColumn: 66 }],
      output: null,
    },
    {
      name: 'a relative import of the own app\'s models in the reverse',
      django: withCode(['from ..models import Item', '', '', 'def forwards(apps, schema_editor):', "    apps.get_model('shop', 'Item').objects.update(name='x')", '', '', 'def backwards(apps, schema_editor):', "    Item.objects.update(name='')"], 'migrations.RunPython(forwards, backwards)'),
      errors: [{ messageId: 'modelImport', data: { module: '..models', names: ['Item'], line: 2 }, line: 16, column: 9, endLine: 16, endColumn: 50 }],
      output: null,
    },
    {
      name: 'a function that does not take (apps, schema_editor)',
      django: withCode(['', '', 'def forwards(apps):', "    apps.get_model('shop', 'Item').objects.update(name='x')"]),
      errors: [{ messageId: 'signature', data: { construct: 'migrations.RunPython', migration: 'shop.0002_change', function: 'forwards', params: 'apps' }, line: 11, column: 9, endLine: 11, endColumn: 66 }],
      output: null,
    },
  ],
});
