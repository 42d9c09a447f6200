import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { statementsOf, type StatementVisit } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import type { Statement } from '../src/model/types.js';
import { operationLabel } from '../src/postgres/index.js';

/** The tables a data step writes, when it names them. */
function writtenTables(st: Statement): string[] {
  if (st.kind === 'run_code') return (st.effects.writes ?? []).flatMap((t) => (t.table ? [tableKey(t.table)] : []));
  return st.kind === 'update' || st.kind === 'insert' ? [tableKey(st.table)] : [];
}

/** The column a statement makes required or constrains, on which table. */
function constrained(st: Statement): { table: string; columns: string[] } | null {
  switch (st.kind) {
    case 'set_not_null':
      return { table: st.table, columns: [st.column] };
    case 'alter_column':
      return st.to.nullable === false ? { table: st.table, columns: [st.column] } : null;
    case 'add_constraint':
      return { table: st.table, columns: [...(st.constraint.columns ?? []), ...(st.constraint.notNullColumn ? [st.constraint.notNullColumn] : [])] };
    default:
      return null;
  }
}

const FILL = ['def fill(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", "    Item.objects.filter(sku__isnull=True).update(sku='unknown')"];

const migration = (name: string, after: string, ops: string[], opts: { fill?: boolean; atomic?: false } = {}) => {
  const body = djangoMigration(ops, { dependency: `('shop', '${after}')`, ...(opts.atomic === false ? { atomic: false } : {}) }).split('\n');
  const at = body.findIndex((l) => l.startsWith('class Migration'));
  return [`# file: shop/migrations/${name}.py`, ...body.slice(0, at), ...(opts.fill ? [...FILL, '', ''] : []), ...body.slice(at)].join('\n');
};

export default defineRule({
  id: 'backfill-and-constrain-in-one-migration',
  category: 'data',
  severity: 'warning',
  fix: 'none',
  since: '0.3.0',
  description: 'One migration adds a nullable column, backfills it and makes it NOT NULL (or constrains it): the zero-downtime recipe collapsed into a single deploy.',
  messages: {
    collapsed:
      '{operation} on "{table}"."{column}" in {migration} follows the ADD COLUMN at line {addLine} and the backfill at line {fillLine} in the same migration: application code deployed before it does not write the column, so its inserts fail or the constraint does',
  },
  docs: {
    what:
      'Reports a migration that adds a nullable column to an existing table, fills it with a data step (RunPython writing the model, `UPDATE`, `op.execute`), and then, in the same migration, makes the column NOT NULL or adds a constraint on it (Django `AddField(null=True)` → `RunPython` → `AlterField(null=False)`; the SQL and Alembic equivalents).',
    why:
      "The recipe is three deploys for a reason: add the column nullable; deploy code that writes it and backfill the old rows; only then require it. In one migration the application running during the deploy is the old code, which does not know the column: rows it inserts after the backfill are NULL, so `SET NOT NULL` fails the migration, or, once it succeeds, the old code's inserts fail until every instance is replaced. In an atomic migration the ADD COLUMN's ACCESS EXCLUSIVE lock is also held through the whole backfill and the NOT NULL scan (`data-step-holds-schema-lock`). It is a warning: a table nothing writes during the deploy is safe, and that cannot be known statically.",
    example: {
      django: [
        'from django.db import migrations, models',
        '',
        '',
        ...FILL,
        '',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [',
        "        migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True)),",
        '        migrations.RunPython(fill, migrations.RunPython.noop),',
        "        migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=20)),",
        '    ]',
      ].join('\n'),
      sql: ['ALTER TABLE orders ADD COLUMN note text;', "UPDATE orders SET note = '' WHERE note IS NULL;", 'ALTER TABLE orders ALTER COLUMN note SET NOT NULL;'].join('\n'),
      alembic: [
        'def upgrade():',
        "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))",
        '    op.execute("UPDATE orders SET note = \'\' WHERE note IS NULL")',
        "    op.alter_column('orders', 'note', nullable=False)",
      ].join('\n'),
    },
    instead: {
      django: [
        migration('0002_item_sku', '0001_initial', ["migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))"]),
        '',
        migration('0003_fill_sku', '0002_item_sku', ['migrations.RunPython(fill, migrations.RunPython.noop)'], { fill: true, atomic: false }),
        '',
        migration('0004_require_sku', '0003_fill_sku', ["migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=20))"]),
      ].join('\n'),
      sql: [
        '-- file: 0002_note.sql',
        'ALTER TABLE orders ADD COLUMN note text;',
        '',
        '-- file: 0003_fill_note.sql',
        "UPDATE orders SET note = '' WHERE note IS NULL;",
        '',
        '-- file: 0004_require_note.sql',
        'ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID;',
      ].join('\n'),
      alembic: [
        'def upgrade():',
        "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))",
        '',
        'def upgrade():',
        '    op.execute("UPDATE orders SET note = \'\' WHERE note IS NULL")',
        '',
        'def upgrade():',
        "    op.alter_column('orders', 'note', nullable=False)",
      ].join('\n'),
    },
    references: [
      'Django documentation, "Writing migrations" → "Migrations that add unique fields" (add, fill, then alter: three migrations)',
      'strong_migrations, "Setting NOT NULL on an existing column" and "Backfilling data"',
      'PostgreSQL 15 manual, sql-altertable.html (SET NOT NULL scans the table under ACCESS EXCLUSIVE)',
    ],
  },
  check({ project, report }) {
    // Per migration: columns added nullable to existing tables, and the data steps that wrote them.
    const added = new Map<Statement[], Map<string, { visit: StatementVisit; fill?: StatementVisit }>>();
    for (const v of statementsOf(project)) {
      const st = v.statement;
      const cols = added.get(v.migration.statements) ?? new Map<string, { visit: StatementVisit; fill?: StatementVisit }>();
      added.set(v.migration.statements, cols);
      if (st.kind === 'add_column' && !st.tableIsNew && st.column.nullable !== false) {
        cols.set(`${tableKey(st.table)}.${st.column.name}`, { visit: v });
        continue;
      }
      for (const t of writtenTables(st)) for (const [k, c] of cols) if (k.startsWith(`${t}.`) && !c.fill) c.fill = v;
      const target = constrained(st);
      if (!target) continue;
      for (const column of target.columns) {
        const c = cols.get(`${tableKey(target.table)}.${column}`);
        if (!c?.fill) continue;
        report(v, 'collapsed', { operation: operationLabel(st), table: target.table, column, migration: v.name, addLine: c.visit.statement.span.start.line, fillLine: c.fill.statement.span.start.line }, {
          hint: 'three migrations: add the column nullable; backfill it (non-atomic) once the code writes it; then the constraint',
          facts: { table: target.table, column, addLine: c.visit.statement.span.start.line, fillLine: c.fill.statement.span.start.line },
        });
        cols.delete(`${tableKey(target.table)}.${column}`);
      }
    }
  },
});
