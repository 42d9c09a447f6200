import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { djangoBackfill } from './shared/backfill.js';
import { djangoMigration } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const EXPAND_CONTRACT = {
  default: 'expand and contract: add a column of the new type, keep it in step (trigger or application), backfill it in batches, move reads and writes over, and drop the old column in a later release',
  django: 'add a new field of the new type (null=True), write both from the application and backfill in batches (RunPython, atomic = False), move reads over, and remove the old field in a later release',
  prisma: 'add a new field of the new type, backfill it in batches in a later migration, move the application over, and drop the old column in a later release',
};
const UNKNOWN_HINT =
  'if the change is binary-coercible (varchar widening, varchar to text, numeric precision widening at the same scale) it does not rewrite; otherwise expand and contract (add a column of the new type, backfill it, switch over, drop the old one)';
const MAY_HINT =
  'if the migration runs with the session TimeZone set to UTC on PostgreSQL 12+, say so with --time-zone UTC (timestamp to timestamptz then does not rewrite); otherwise expand and contract';

const CENTS = 'ALTER TABLE orders ALTER COLUMN total TYPE bigint USING (total * 100)::bigint;';

export default defineRule({
  id: 'column-type-rewrite',
  category: 'rewrite',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'ALTER COLUMN TYPE rewrites the whole table (int to bigint, varchar shrink, a USING expression); binary-coercible changes are not reported.',
  messages: {
    rewrites: '{lock}, and {change} rewrites "{table}" and all its indexes',
    mayRewrite: '{lock}, and {change} may rewrite "{table}" and all its indexes: {reason}',
    unknownFrom: '{lock}; the current type of "{column}" is not known here, so whether changing it to {to} rewrites "{table}" cannot be decided',
  },
  docs: {
    what:
      "Reports `ALTER COLUMN ... TYPE` on a table that existed before the migration when PostgreSQL has to rewrite every row: a change that needs a conversion (`integer` to `bigint`, `text` to `integer`), a shorter length or smaller precision or scale, a `USING` expression that computes something, `timestamp` to `timestamptz` unless the session time zone is UTC (PostgreSQL 12+). Changes PostgreSQL makes in the catalog alone are not reported: `varchar(n)` to a longer `varchar` or to `text`, `numeric(p,s)` to a larger precision with the same scale, `cidr` to `inet`, and `timestamp` to `timestamptz` with `--time-zone UTC`. Where the column's current type is not known, it says so as a warning rather than guessing. Django's `AlterField` emits these statements. Tables created earlier in the same migration are exempt.",
    why:
      'A rewrite copies every row into new files and rebuilds every index while ACCESS EXCLUSIVE is held: reads and writes of the table wait for the whole copy, which on a large table is minutes to hours, and it needs the table\'s size again in free disk space. The old application code may also break on the new type.',
    knownProblems:
      '`timestamp` to `timestamptz` depends on the session time zone when the migration runs, which the files do not say: without `--time-zone` it is a warning. Domains and other user-defined types are assumed to rewrite (a warning). In SQL migrations the current type is known when the same file created the column; a column from an earlier file is known only where the front end carries schema state from one migration to the next. A Django `AlterField` whose previous definition is not known (a model of an app outside the repository) is not reported.',
    example: {
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=50))"]),
      sql: CENTS,
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ALTER COLUMN "total" SET DATA TYPE BIGINT USING ("total" * 100)::bigint;'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_item_short_name.py',
        djangoMigration(["migrations.AddField(model_name='item', name='short_name', field=models.CharField(max_length=50, null=True))"]),
        '',
        djangoBackfill({ name: '0003_fill_item_short_name', after: '0002_item_short_name', field: 'short_name', value: "Left('name', 50)", imports: ['from django.db.models.functions import Left'] }),
        '# Later releases: read short_name, stop writing name, then remove name.',
      ].join('\n'),
      alembic: [
        '# Widening is free: varchar(n) to a longer varchar or to text, numeric precision at the same scale.',
        "op.alter_column('orders', 'status', type_=sa.String(50))",
        '# Anything else: expand and contract.',
        "op.add_column('orders', sa.Column('total_cents', sa.BigInteger(), nullable=True))",
      ].join('\n'),
      sql: [
        '-- file: 0002_add_total_cents.sql',
        'ALTER TABLE orders ADD COLUMN total_cents bigint;',
        'CREATE FUNCTION orders_total_cents() RETURNS trigger LANGUAGE plpgsql AS $$',
        'BEGIN NEW.total_cents := (NEW.total * 100)::bigint; RETURN NEW; END $$;',
        'CREATE TRIGGER orders_total_cents BEFORE INSERT OR UPDATE ON orders',
        '    FOR EACH ROW EXECUTE FUNCTION orders_total_cents();',
        '-- file: 0003_backfill_total_cents.sql',
        '-- Repeat until it updates no row; then move the application to total_cents and drop total later.',
        'UPDATE orders SET total_cents = (total * 100)::bigint',
        'WHERE id IN (SELECT id FROM orders WHERE total_cents IS NULL AND total IS NOT NULL LIMIT 10000);',
      ].join('\n'),
      prisma: [
        '-- file: 20240102000000_add_total_cents',
        'ALTER TABLE "orders" ADD COLUMN "total_cents" BIGINT;',
        '-- file: 20240103000000_backfill_total_cents',
        '-- Repeat until it updates no row (the application writes both columns meanwhile).',
        'UPDATE "orders" SET "total_cents" = ("total" * 100)::bigint',
        'WHERE "id" IN (SELECT "id" FROM "orders" WHERE "total_cents" IS NULL AND "total" IS NOT NULL LIMIT 10000);',
      ].join('\n'),
      knex: [
        '// migration 1',
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.bigInteger('total_cents'));",
        '// migration 2, exports.config = { transaction: false }: backfill in batches',
        "exports.up = (knex) => knex.raw('UPDATE orders SET total_cents = (total * 100)::bigint WHERE id IN (SELECT id FROM orders WHERE total_cents IS NULL LIMIT 10000)');",
      ].join('\n'),
      typeorm: [
        '// migration 1',
        "await q.addColumn('orders', new TableColumn({ name: 'total_cents', type: 'bigint', isNullable: true }));",
        '// migration 2 (transaction = false): backfill in batches',
        "await q.query('UPDATE orders SET total_cents = (total * 100)::bigint WHERE id IN (SELECT id FROM orders WHERE total_cents IS NULL LIMIT 10000)');",
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, SET DATA TYPE and Notes ("changing the type of an existing column will require the entire table and its indexes to be rewritten", and the binary-coercible exception)',
      'PostgreSQL 12 release notes (timestamp to timestamptz without a rewrite when the session time zone is UTC)',
      'squawk `changing-column-type`; strong_migrations `change_column` (`change_type_safe?`); Atlas PG301; eugene E5; django-migration-linter ALTER_COLUMN',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['alter_column_type'])) {
      const { statement: st, lock } = v;
      if (!lock.facts.rewrite) continue;
      const computed = st.using !== undefined && !st.usingIsColumn;
      const base = { lock: lock.text, table: st.table };
      const facts = { ...lockData(lock.facts), column: st.column, ...(st.fromType !== undefined ? { from: st.fromType } : {}), to: st.toType };
      if (st.fromType === undefined && !computed) {
        report(v, 'unknownFrom', { ...base, column: st.column, to: st.toType }, { severity: 'warning', hint: UNKNOWN_HINT, facts });
        continue;
      }
      const change = `changing "${st.column}" ${st.fromType !== undefined ? `from ${st.fromType} ` : ''}to ${st.toType}${computed ? ` USING ${st.using}` : ''}`;
      if (lock.facts.assumptions.includes('rewrite')) report(v, 'mayRewrite', { ...base, change, reason: lock.facts.notes[0] ?? '' }, { severity: 'warning', hint: MAY_HINT, facts });
      else report(v, 'rewrites', { ...base, change }, { hint: EXPAND_CONTRACT, facts });
    }
  },
});
