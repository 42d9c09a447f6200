import rule from '../../rules/irreversible-operation.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A migration whose operations start on line 13 (after two helper functions). */
const withOps = (...ops: string[]) =>
  [
    'from django.db import migrations',
    '',
    '',
    'def forwards(apps, schema_editor):',
    "    apps.get_model('shop', 'Item').objects.filter(name='').delete()",
    '',
    '',
    'def backwards(apps, schema_editor):',
    "    apps.get_model('shop', 'Item').objects.create(name='')",
    '',
    'class Migration(migrations.Migration):',
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    ...ops.map((o) => `        ${o},`),
    '    ]',
  ].join('\n');

ruleTester.run(rule, {
  valid: [
    { name: 'RunPython with reverse_code', django: withOps('migrations.RunPython(forwards, backwards)') },
    { name: 'RunPython with reverse_code as a keyword', django: withOps('migrations.RunPython(code=forwards, reverse_code=backwards)') },
    { name: 'RunSQL with reverse_sql', django: withOps("migrations.RunSQL('CREATE INDEX i ON t (c)', 'DROP INDEX i')") },
    { name: 'a no-op reverse for a step that only inserts', django: withOps('migrations.RunPython(lambda apps, se: apps.get_model("shop", "Item").objects.create(name="x"), migrations.RunPython.noop)') },
    { name: 'RunSQL.noop reverse for SQL that changes no rows', django: withOps("migrations.RunSQL('CREATE EXTENSION IF NOT EXISTS pg_trgm', migrations.RunSQL.noop)") },
    { name: 'RunSQL.noop reverse for SQL built at run time', django: withOps('migrations.RunSQL(build_sql(), migrations.RunSQL.noop)') },
    { name: 'schema operations are reversed by Django itself', django: withOps("migrations.RemoveField('item', 'name')") },
    {
      name: 'state-only operations inside SeparateDatabaseAndState do not run',
      django: withOps("migrations.SeparateDatabaseAndState(state_operations=[migrations.RunSQL('SELECT 1')])"),
    },
    {
      name: 'a suppression with a reason',
      django: withOps('# migrate-lint: ignore irreversible-operation: data is re-imported nightly', 'migrations.RunPython(forwards)'),
    },
  ],
  invalid: [
    {
      name: 'RunPython without reverse_code',
      django: withOps('migrations.RunPython(forwards)'),
      errors: [{ messageId: 'noReverse', data: { construct: 'migrations.RunPython', migration: 'shop.0002_change' }, line: 14, column: 9, endLine: 14, endColumn: 39 }],
      output: null,
    },
    {
      name: 'RunPython with reverse_code=None',
      django: withOps('migrations.RunPython(forwards, reverse_code=None)'),
      errors: [{ messageId: 'noReverse', data: { construct: 'migrations.RunPython', migration: 'shop.0002_change' }, line: 14, column: 9, endLine: 14, endColumn: 58 }],
      output: null,
    },
    {
      name: 'RunSQL without reverse_sql, inside SeparateDatabaseAndState database_operations',
      django: withOps("migrations.SeparateDatabaseAndState(database_operations=[migrations.RunSQL('DELETE FROM t')])"),
      errors: [{ messageId: 'noReverse', data: { construct: 'migrations.RunSQL', migration: 'shop.0002_change' }, line: 14, column: 66, endLine: 14, endColumn: 100 }],
      output: null,
    },
    {
      name: 'a no-op reverse for a step that deletes rows',
      django: withOps('migrations.RunPython(forwards, migrations.RunPython.noop)'),
      errors: [
        {
          messageId: 'noopReverse',
          data: { construct: 'migrations.RunPython', migration: 'shop.0002_change', effects: 'deletes rows' },
          severity: 'warning',
          line: 14,
          column: 9,
          endLine: 14,
          endColumn: 66,
        },
      ],
      output: null,
    },
    {
      name: 'a no-op reverse for SQL that deletes rows',
      django: withOps("migrations.RunSQL('DELETE FROM shop_item WHERE name = \\'\\'', migrations.RunSQL.noop)"),
      errors: [
        {
          messageId: 'noopReverse',
          data: { construct: 'migrations.RunSQL', migration: 'shop.0002_change', effects: 'deletes rows' },
          severity: 'warning',
          line: 14,
          column: 9,
          endLine: 14,
          endColumn: 93,
        },
      ],
      output: null,
    },
    {
      name: 'a reverse function whose body is only pass',
      django: withOps('migrations.RunPython(forwards, undo)').replace('class Migration', 'def undo(apps, schema_editor):\n    pass\n\n\nclass Migration'),
      errors: [
        {
          messageId: 'noopReverse',
          data: { construct: 'migrations.RunPython', migration: 'shop.0002_change', effects: 'deletes rows' },
          severity: 'warning',
          line: 18,
          column: 9,
          endLine: 18,
          endColumn: 45,
        },
      ],
      output: null,
    },
    {
      name: 'a no-op reverse for a step that copies rows between models',
      django: withOps(
        'migrations.RunPython(copy, migrations.RunPython.noop)',
      ).replace('class Migration', "def copy(apps, schema_editor):\n    Item = apps.get_model('shop', 'Item')\n    for u in apps.get_model('clerk_sync', 'ClerkUser').objects.all():\n        Item.objects.create(name=u.email)\n\n\nclass Migration"),
      errors: [
        {
          messageId: 'noopReverse',
          data: { construct: 'migrations.RunPython', migration: 'shop.0002_change', effects: 'copies rows from clerk_sync.ClerkUser into shop.Item' },
          severity: 'warning',
          line: 20,
          column: 9,
          endLine: 20,
          endColumn: 62,
        },
      ],
      output: null,
    },
    {
      name: 'the suppression names another rule, so it does not apply',
      django: withOps('# migrate-lint: ignore parse-error: unrelated', 'migrations.RunPython(forwards)'),
      errors: [{ messageId: 'noReverse', data: { construct: 'migrations.RunPython', migration: 'shop.0002_change' }, line: 15, column: 9, endLine: 15, endColumn: 39 }],
      output: null,
    },
  ],
});
