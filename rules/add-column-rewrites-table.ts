import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import type { ColumnFacts } from '../src/model/statement.js';
import { djangoBackfill } from './shared/backfill.js';
import { djangoMigration } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

/**
 * Why the lock table says the column is filled by a rewrite, in words and as a code for JSON. The lock
 * table (src/postgres/locks.ts `addColumn`) decides *whether*; this only names which of its reasons applies.
 */
function causeOf(c: ColumnFacts, pgVersion: number): { code: string; text: string } {
  if (c.serial) return { code: 'serial', text: 'a serial column is filled from its sequence row by row' };
  if (c.identity) return { code: 'identity', text: 'an identity column is filled from its sequence row by row' };
  if (c.generated) return { code: 'stored-generated', text: 'a stored generated column is computed for every row' };
  if (c.default?.volatile) return { code: 'volatile-default', text: `the volatile default ${c.default.text} is evaluated for every row` };
  return { code: 'default-before-11', text: `PostgreSQL ${pgVersion} writes the default into every row (11 and later do not)` };
}

const HINT = {
  default: 'add the column nullable and without the default, give new rows their value with ALTER COLUMN SET DEFAULT (or a trigger), and backfill existing rows in batches in a later migration',
  django: 'add the field with null=True and no default, backfill it in batches in a later migration (RunPython with atomic = False), then make it required',
  prisma: 'edit migration.sql: add the column nullable, ALTER COLUMN SET DEFAULT for new rows, and backfill existing rows in a later migration',
};

export default defineRule({
  id: 'add-column-rewrites-table',
  category: 'rewrite',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A column is added in a way that rewrites the whole table: a volatile default, serial, identity or stored generated column, or any default before PostgreSQL 11.',
  messages: {
    rewrites: '{lock}, and it rewrites "{table}" and all its indexes because {cause}',
    mayRewrite: '{lock}, and if its default {default} is volatile it rewrites "{table}" and all its indexes',
  },
  docs: {
    what:
      'Reports `ADD COLUMN` on a table that existed before the migration when PostgreSQL has to write a value into every existing row: a volatile default (`random()`, `gen_random_uuid()`, `clock_timestamp()`, `nextval(...)`), a `serial`/`bigserial` or identity column, a stored generated column, or, on PostgreSQL 10 and older (`--pg-version`), any non-null default. A default whose volatility is not known (a function the lock table does not list) is reported as a warning. Stable and immutable defaults (`0`, `now()`, `CURRENT_TIMESTAMP`) are not reported: from PostgreSQL 11 they are stored once in the catalog. Tables created earlier in the same migration are exempt.',
    why:
      'The rewrite copies every row and rebuilds every index while ACCESS EXCLUSIVE is held, so every read and write of the table waits for the whole copy, which on a large table is minutes to hours, and the table needs twice its disk space meanwhile.',
    knownProblems:
      'The volatility of functions is read from a built-in list of common functions; a user-defined function is assumed to be volatile (PostgreSQL\'s default for `CREATE FUNCTION`), which gives a warning rather than an error. PostgreSQL 18 virtual generated columns do not rewrite and are not reported.',
    example: {
      django: `from django.contrib.postgres.functions import RandomUUID\n${djangoMigration(["migrations.AddField(model_name='item', name='ref', field=models.UUIDField(db_default=RandomUUID()))"])}`,
      sql: 'ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ADD COLUMN "seq" SERIAL NOT NULL;'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_item_ref.py',
        djangoMigration(['# Nullable and without a default: nothing to write into existing rows.', "migrations.AddField(model_name='item', name='ref', field=models.UUIDField(null=True))"]),
        '',
        djangoBackfill({ name: '0003_fill_item_ref', after: '0002_item_ref', field: 'ref', value: 'uuid.uuid4()', stdlib: ['uuid'] }),
      ].join('\n'),
      alembic: [
        'def upgrade():',
        "    op.add_column('orders', sa.Column('public_id', sa.Uuid(), nullable=True))",
        "    op.alter_column('orders', 'public_id', server_default=sa.text('gen_random_uuid()'))  # new rows only",
        '    # Backfill existing rows in batches in a later revision, then make the column NOT NULL.',
      ].join('\n'),
      sql: [
        '-- file: 0002_add_public_id.sql',
        'ALTER TABLE orders ADD COLUMN public_id uuid;',
        '-- SET DEFAULT applies to new rows only: existing rows are not touched.',
        'ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();',
        '-- file: 0003_backfill_public_id.sql',
        '-- Repeat until it updates no row; each run is one short transaction.',
        'UPDATE orders SET public_id = gen_random_uuid()',
        'WHERE id IN (SELECT id FROM orders WHERE public_id IS NULL LIMIT 10000);',
      ].join('\n'),
      prisma: [
        '-- file: 20240102000000_add_seq',
        '-- Edited: a plain nullable column; new rows get a value from the sequence.',
        'CREATE SEQUENCE "orders_seq_seq";',
        'ALTER TABLE "orders" ADD COLUMN "seq" INTEGER;',
        'ALTER TABLE "orders" ALTER COLUMN "seq" SET DEFAULT nextval(\'"orders_seq_seq"\');',
        '-- file: 20240103000000_backfill_seq',
        '-- Repeat until it updates no row.',
        'UPDATE "orders" SET "seq" = nextval(\'"orders_seq_seq"\')',
        'WHERE "id" IN (SELECT "id" FROM "orders" WHERE "seq" IS NULL LIMIT 10000);',
      ].join('\n'),
      knex: [
        'exports.up = async (knex) => {',
        "  await knex.schema.alterTable('orders', (t) => t.uuid('public_id'));",
        "  await knex.raw('ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid()');",
        '};',
        "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('public_id'));",
        '// Backfill existing rows in batches in a later migration.',
      ].join('\n'),
      typeorm: [
        'export class OrdersPublicId1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query('ALTER TABLE orders ADD COLUMN public_id uuid');",
        "    await q.query('ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid()');",
        '  }',
        '  async down(q: QueryRunner) {',
        "    await q.query('ALTER TABLE orders DROP COLUMN public_id');",
        '  }',
        '}',
        '// Backfill existing rows in batches in a later migration.',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, Notes ("Adding a column with a volatile DEFAULT or changing the type of an existing column will require the entire table and its indexes to be rewritten")',
      'PostgreSQL 11 release notes: "Allow ALTER TABLE to add a column with a non-null default without doing a table rewrite"',
      'squawk `adding-field-with-default`; strong_migrations `add_column_default`, `add_column_auto_incrementing`, `add_column_generated_stored`; Atlas PG302, PG309, PG310; eugene E11',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['add_column'])) {
      const { statement: st, lock } = v;
      if (!lock.facts.rewrite) continue;
      const column = st.column.name;
      if (lock.facts.assumptions.includes('rewrite')) {
        const d = st.column.default?.text ?? '';
        report(v, 'mayRewrite', { lock: lock.text, table: st.table, default: d }, { severity: 'warning', hint: HINT, facts: { ...lockData(lock.facts), column, default: d } });
        continue;
      }
      const cause = causeOf(st.column, settings.pgVersion);
      report(v, 'rewrites', { lock: lock.text, table: st.table, cause: cause.text }, { hint: HINT, facts: { ...lockData(lock.facts), column, cause: cause.code } });
    }
  },
});
