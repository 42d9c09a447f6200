import rule from '../../rules/backfill-and-constrain-in-one-migration.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FILL = ['def fill(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", "    Item.objects.filter(sku__isnull=True).update(sku='x')"];

/** `fill` on lines 4-6; operations from line 12. */
const withOps = (ops: string[]) =>
  ['from django.db import migrations, models', '', '', ...FILL, '', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = [', ...ops.map((o) => `        ${o},`), '    ]'].join('\n');

const ADD = "migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))";
const RUN = 'migrations.RunPython(fill, migrations.RunPython.noop)';
const REQUIRE = "migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=20))";

ruleTester.run(rule, {
  valid: [
    { name: 'add and backfill, constraint later', django: withOps([ADD, RUN]) },
    { name: 'add and constrain without a backfill (another rule judges it)', django: withOps([ADD, REQUIRE]) },
    { name: 'SQL: the recipe in three migrations', sql: ['-- file: 0002_a.sql', 'ALTER TABLE orders ADD COLUMN note text;', '-- file: 0003_b.sql', "UPDATE orders SET note = '';", '-- file: 0004_c.sql', 'ALTER TABLE orders ALTER COLUMN note SET NOT NULL;'].join('\n') },
    { name: 'SQL: the backfill writes another table', sql: ['ALTER TABLE orders ADD COLUMN note text;', "UPDATE users SET email = '';", 'ALTER TABLE orders ALTER COLUMN note SET NOT NULL;'].join('\n') },
  ],
  invalid: [
    {
      name: 'Django: AddField(null=True), RunPython, AlterField(null=False)',
      django: withOps([ADD, RUN, REQUIRE]),
      errors: [{ messageId: 'collapsed', data: { table: 'shop_item', column: 'sku', addLine: 12, fillLine: 13 }, line: 14, column: 9, endLine: 14, endColumn: 100 }],
      output: null,
    },
    {
      name: 'SQL: ADD COLUMN, UPDATE, SET NOT NULL',
      sql: ['ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '' WHERE note IS NULL;", 'ALTER TABLE orders ALTER COLUMN note SET NOT NULL;'].join('\n'),
      errors: [{ messageId: 'collapsed', data: { table: 'orders', column: 'note', addLine: 1, fillLine: 2 }, line: 3, column: 1, endLine: 3, endColumn: 50 }],
      output: null,
    },
    {
      name: 'SQL: a CHECK constraint on the backfilled column',
      sql: ['ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '';", 'ALTER TABLE orders ADD CONSTRAINT note_set CHECK (note IS NOT NULL) NOT VALID;'].join('\n'),
      errors: [{ messageId: 'collapsed', data: { table: 'orders', column: 'note', addLine: 1, fillLine: 2 }, line: 3, column: 1, endLine: 3, endColumn: 78 }],
      output: null,
    },
    {
      name: 'Alembic: add_column, op.execute, alter_column(nullable=False)',
      alembic: ['def upgrade():', "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))", '    op.execute("UPDATE orders SET note = \'\'")', "    op.alter_column('orders', 'note', nullable=False)"].join('\n'),
      errors: [{ messageId: 'collapsed', data: { table: 'orders', column: 'note', addLine: 9, fillLine: 10 }, line: 11, column: 5, endLine: 11, endColumn: 54 }],
      output: null,
    },
  ],
});
