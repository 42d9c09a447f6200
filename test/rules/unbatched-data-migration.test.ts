import rule from '../../rules/unbatched-data-migration.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** A migration with `fn` before the class; its one operation is on line `fn.length + 7` (+1 non-atomic). */
const withCode = (fn: string[], op = 'migrations.RunPython(forwards, migrations.RunPython.noop)', atomic = true) =>
  ['from django.db import migrations', ...fn, '', '', 'class Migration(migrations.Migration):', ...(atomic ? [] : ['    atomic = False']), "    dependencies = [('shop', '0001_initial')]", '    operations = [', `        ${op},`, '    ]'].join('\n');

const fn = (...body: string[]) => ['', '', 'def forwards(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", "    Tag = apps.get_model('shop', 'Tag')", ...body];

ruleTester.run(rule, {
  valid: [
    { name: 'a queryset update', django: withCode(fn("    Item.objects.filter(name='').update(name='x')")) },
    {
      name: 'iterator(chunk_size) and bulk_create in batches',
      django: withCode(
        fn('    batch = []', '    for item in Item.objects.all().iterator(chunk_size=1000):', '        batch.append(Tag(name=item.name))', '        if len(batch) == 1000:', '            Tag.objects.bulk_create(batch)', '            batch = []', '    Tag.objects.bulk_create(batch)'),
        'migrations.RunPython(forwards, migrations.RunPython.noop)',
        false,
      ),
    },
    { name: 'a sliced queryset is a batch', django: withCode(fn('    for item in Item.objects.filter(name__isnull=True)[:1000]:', '        item.save()')) },
    { name: 'a loop over a list that is not a queryset', django: withCode(fn('    for name in ["a", "b"]:', '        Tag.objects.create(name=name)')) },
    { name: 'a loop that only reads', django: withCode(fn('    for item in Item.objects.all():', '        print(item.name)')) },
    { name: 'UPDATE with WHERE', sql: "UPDATE orders SET status = 'open' WHERE status IS NULL;" },
    { name: 'UPDATE of a table created in the same migration', sql: 'CREATE TABLE t (a int);\nUPDATE t SET a = 1;' },
    { name: 'an Alembic UPDATE with WHERE', alembic: ['def upgrade():', '    op.execute("DELETE FROM orders WHERE status = \'void\'")'].join('\n') },
  ],
  invalid: [
    {
      name: 'a per-row copy between apps (the seed pattern)',
      django: withCode(['', '', 'def forwards(apps, schema_editor):', "    ClerkUser = apps.get_model('clerk_sync', 'ClerkUser')", "    Item = apps.get_model('shop', 'Item')", '    for user in ClerkUser.objects.all():', '        Item.objects.create(name=user.email)']),
      errors: [{ messageId: 'rowByRow', data: { model: 'clerk_sync.ClerkUser', table: null, perRow: ['create'], chunked: false, line: 7 }, line: 14, column: 9, endLine: 14, endColumn: 66 }],
      output: null,
    },
    {
      name: 'a per-row save with iterator(chunk_size)',
      django: withCode(fn('    for item in Item.objects.filter(name__startswith=" ").iterator(chunk_size=500):', '        item.name = item.name.strip()', '        item.save()')),
      errors: [{ messageId: 'rowByRow', data: { model: 'shop.Item', table: 'shop_item', perRow: ['save'], chunked: true, line: 7 }, line: 15, column: 9, endLine: 15, endColumn: 66 }],
      output: null,
    },
    {
      name: 'UPDATE without WHERE in SQL',
      sql: "UPDATE orders SET status = 'open';",
      errors: [{ messageId: 'wholeTable', data: { operation: 'UPDATE', table: 'orders', migration: 'db/migrations/0002_change.sql' }, line: 1, column: 1, endLine: 1, endColumn: 34 }],
      output: null,
    },
    {
      name: 'DELETE without WHERE in RunSQL',
      django: withCode([], 'migrations.RunSQL("DELETE FROM shop_item", migrations.RunSQL.noop)'),
      errors: [{ messageId: 'wholeTable', data: { operation: 'DELETE', table: 'shop_item', migration: 'shop.0002_change' }, line: 7, column: 28, endLine: 7, endColumn: 49 }],
      output: null,
    },
    {
      name: 'UPDATE without WHERE through op.execute',
      alembic: ['def upgrade():', '    op.execute("UPDATE orders SET status = \'open\'")'].join('\n'),
      errors: [{ messageId: 'wholeTable', data: { operation: 'UPDATE', table: 'orders', migration: 'alembic/versions/a0002_change.py' }, line: 9, column: 17, endLine: 9, endColumn: 50 }],
      output: null,
    },
  ],
});
