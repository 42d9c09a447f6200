import rule from '../../rules/data-step-holds-schema-lock.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FILL = ['def fill(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", "    Item.objects.filter(sku__isnull=True).update(sku='x')"];

/** `fill` on lines 4-6; `class Migration` on line 9 (10 with atomic = False); operations from line 12. */
const withOps = (ops: string[], atomic = true) =>
  ['from django.db import migrations, models', '', '', ...FILL, '', '', 'class Migration(migrations.Migration):', ...(atomic ? [] : ['    atomic = False']), "    dependencies = [('shop', '0001_initial')]", '    operations = [', ...ops.map((o) => `        ${o},`), '    ]'].join('\n');

const ADD = "migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))";
const RUN = 'migrations.RunPython(fill, migrations.RunPython.noop)';
const HELD = (extra: Record<string, unknown>) => ({ lock: 'ACCESS EXCLUSIVE', table: 'shop_item', blocks: ['reads', 'writes'], ...extra });

ruleTester.run(rule, {
  valid: [
    { name: 'the data step in its own non-atomic migration', django: withOps([RUN], false) },
    { name: 'a non-atomic migration releases each lock at once', django: withOps([ADD, RUN], false) },
    { name: 'the data step before the schema change', django: withOps([RUN, ADD]) },
    { name: 'SQL: a table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = 1;' },
    { name: 'SQL: no transaction around the statements (plain directory)', sql: 'ALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = \'\';' },
    { name: 'SQL: an index built concurrently blocks nothing', sql: 'CREATE INDEX CONCURRENTLY i ON orders (status);\nUPDATE orders SET status = \'x\' WHERE status IS NULL;' },
    { name: 'Alembic: the data step in an autocommit block', alembic: ['def upgrade():', "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))", '    with op.get_context().autocommit_block():', '        op.execute("UPDATE orders SET note = \'\'")'].join('\n') },
  ],
  invalid: [
    {
      name: 'RunPython after AddField in one atomic migration',
      django: withOps([ADD, RUN]),
      errors: [{ messageId: 'held', data: HELD({ lockedAtLine: 12 }), line: 13, column: 9, endLine: 13, endColumn: 62 }],
      output: null,
    },
    {
      name: 'SQL: UPDATE after ADD COLUMN inside BEGIN … COMMIT',
      sql: ['BEGIN;', 'ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '' WHERE note IS NULL;", 'COMMIT;'].join('\n'),
      errors: [{ messageId: 'held', data: HELD({ table: 'orders', lockedAtLine: 2 }), line: 3, column: 1, endLine: 3, endColumn: 47 }],
      output: null,
    },
    {
      name: 'SQL: INSERT … SELECT after CREATE INDEX (SHARE blocks writes)',
      prisma: ['CREATE INDEX "orders_status_idx" ON "orders"("status");', 'INSERT INTO users (email) SELECT DISTINCT status FROM orders;'].join('\n'),
      errors: [{ messageId: 'held', data: { lock: 'SHARE', table: 'orders', blocks: ['writes'], lockedAtLine: 1 }, line: 2, column: 1, endLine: 2, endColumn: 61 }],
      output: null,
    },
    {
      name: 'Alembic: op.execute UPDATE after op.add_column',
      alembic: ['def upgrade():', "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))", '    op.execute("UPDATE orders SET note = \'\' WHERE note IS NULL")'].join('\n'),
      errors: [{ messageId: 'held', data: HELD({ table: 'orders', lockedAtLine: 9 }), line: 10, column: 17, endLine: 10, endColumn: 63 }],
      output: null,
    },
  ],
});
