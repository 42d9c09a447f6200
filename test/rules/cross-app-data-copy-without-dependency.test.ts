import rule from '../../rules/cross-app-data-copy-without-dependency.js';
import { tree } from '../helpers/files.js';
import { DJANGO_INITIAL } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const CLERK = [
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

/** `shop.0002_copy`: copies clerk_sync.ClerkUser into shop.Item; RunPython on line 13. */
const copy = (deps: string) =>
  [
    'from django.db import migrations',
    '',
    '',
    'def copy_users(apps, schema_editor):',
    "    ClerkUser = apps.get_model('clerk_sync', 'ClerkUser')",
    "    Item = apps.get_model('shop', 'Item')",
    '    Item.objects.bulk_create(Item(name=u.email) for u in ClerkUser.objects.all().iterator(chunk_size=1000))',
    '',
    '',
    'class Migration(migrations.Migration):',
    `    dependencies = [${deps}]`,
    '    operations = [',
    '        migrations.RunPython(copy_users, migrations.RunPython.noop),',
    '    ]',
  ].join('\n');

const files = (deps: string, extra: Record<string, string> = {}) =>
  tree({ 'shop/migrations/0001_initial.py': DJANGO_INITIAL, 'clerk_sync/migrations/0001_initial.py': CLERK, 'shop/migrations/0002_copy.py': copy(deps), ...extra });

ruleTester.run(rule, {
  valid: [
    { name: 'a direct dependency on the other app', django: files("('shop', '0001_initial'), ('clerk_sync', '0001_initial')") },
    {
      name: 'a dependency through an ancestor',
      django: files("('shop', '0001_5_link')", {
        'shop/migrations/0001_5_link.py': "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial'), ('clerk_sync', '0001_initial')]\n    operations = []\n",
      }),
    },
    { name: 'models of its own app only', django: files("('shop', '0001_initial')").replace("apps.get_model('clerk_sync', 'ClerkUser')", "apps.get_model('shop', 'Item')") },
  ],
  invalid: [
    {
      name: 'copying from another app without depending on it',
      django: files("('shop', '0001_initial')"),
      errors: [{ messageId: 'noDependency', data: { model: 'clerk_sync.ClerkUser', app: 'clerk_sync' }, file: 'shop/migrations/0002_copy.py', line: 13, column: 9, endLine: 13, endColumn: 68 }],
      output: null,
    },
    {
      name: 'the other app is referenced as app.Model',
      django: files("('shop', '0001_initial')").replace("apps.get_model('clerk_sync', 'ClerkUser')", "apps.get_model('clerk_sync.ClerkUser')"),
      errors: [{ messageId: 'noDependency', data: { model: 'clerk_sync.ClerkUser', app: 'clerk_sync' }, file: 'shop/migrations/0002_copy.py', line: 13, column: 9, endLine: 13, endColumn: 68 }],
      output: null,
    },
  ],
});
