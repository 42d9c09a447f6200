import rule from '../../rules/destructive-reverse.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** `backwards` from line 4; the operation on line `reverse.length + 10`. */
const withReverse = (reverse: string[], op = 'migrations.RunPython(forwards, backwards)') =>
  [
    'from django.db import migrations',
    '',
    '',
    ...reverse,
    '',
    '',
    'def forwards(apps, schema_editor):',
    "    apps.get_model('shop', 'Item').objects.create(name='seed')",
    '',
    '',
    'class Migration(migrations.Migration):',
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    `        ${op},`,
    '    ]',
  ].join('\n');

ruleTester.run(rule, {
  valid: [
    { name: 'the reverse deletes only what the forward step created', django: withReverse(['def backwards(apps, schema_editor):', "    apps.get_model('shop', 'Item').objects.filter(name='seed').delete()"]) },
    { name: 'a no-op reverse', django: withReverse(['def backwards(apps, schema_editor):', '    pass']) },
    { name: 'RunSQL: dropping the table the forward SQL created', django: withReverse([], 'migrations.RunSQL("CREATE TABLE t (a int)", "DROP TABLE t")') },
  ],
  invalid: [
    {
      name: 'RunPython: the reverse deletes every row',
      django: withReverse(['def backwards(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", '    Item.objects.all().delete()']),
      errors: [{ messageId: 'destroys', data: { construct: 'migrations.RunPython', migration: 'shop.0002_change' }, line: 16, column: 9, endLine: 16, endColumn: 50 }],
      output: null,
    },
    {
      name: 'RunSQL: the reverse truncates an existing table',
      django: withReverse([], 'migrations.RunSQL("INSERT INTO shop_item (name) VALUES (\'x\')", "TRUNCATE shop_item")'),
      errors: [{ messageId: 'destroys', data: { construct: 'migrations.RunSQL', migration: 'shop.0002_change' }, line: 13, column: 9, endLine: 13, endColumn: 93 }],
      output: null,
    },
  ],
});
