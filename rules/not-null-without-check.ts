import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { djangoMigration } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

/** The examples' starting point: `shop.Item` with a nullable `sku`. */
const INITIAL = [
  '# file: shop/migrations/0001_initial.py',
  djangoMigration(["migrations.CreateModel(name='Item', fields=[('id', models.BigAutoField(primary_key=True)), ('sku', models.CharField(max_length=20, null=True))])"], { dependency: '' }),
  '',
].join('\n');

const HINT = {
  default: 'add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check',
  django: 'AddConstraintNotValid(CheckConstraint(condition=Q(<field>__isnull=False))) and ValidateConstraint in a later migration (django.contrib.postgres.operations), then the AlterField and RemoveConstraint',
  prisma: 'add the CHECK ... NOT VALID and VALIDATE it in earlier migrations (edit migration.sql), then let this one SET NOT NULL',
};

export default defineRule({
  id: 'not-null-without-check',
  category: 'lock',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'SET NOT NULL on an existing table without a validated CHECK (column IS NOT NULL): the whole table is scanned under ACCESS EXCLUSIVE.',
  messages: {
    scan: '{lock}, for as long as it takes to read every row of "{table}" to check "{column}" for NULLs',
    checkIgnoredBefore12: '{lock}, and reads every row of "{table}" although a validated CHECK proves "{column}" NOT NULL: PostgreSQL {pgVersion} cannot use it (12 and later can)',
  },
  docs: {
    what:
      "Reports `ALTER COLUMN ... SET NOT NULL` on a table that existed before the migration unless a validated `CHECK (column IS NOT NULL)` constraint already proves it, and on PostgreSQL before 12 (`--pg-version`) even then, because only 12 and later use the check to skip the scan. Django's `AlterField` from `null=True` to `null=False` emits this statement. PostgreSQL 18's `ADD CONSTRAINT ... NOT NULL ... NOT VALID` is not reported. Tables created earlier in the same migration are exempt.",
    why:
      'SET NOT NULL takes ACCESS EXCLUSIVE and then reads the whole table to make sure no row is NULL: every read and write of the table waits for that scan. A `CHECK ... NOT VALID` is added in an instant, `VALIDATE CONSTRAINT` scans under SHARE UPDATE EXCLUSIVE (reads and writes go on), and from PostgreSQL 12 SET NOT NULL trusts the validated check and does not scan.',
    knownProblems:
      'A check is recognised when it was added or validated earlier in the same migration file; one from an earlier migration is recognised only where the front end carries schema state across migrations.',
    example: {
      django: [
        INITIAL,
        '# file: shop/migrations/0002_item_sku_required.py',
        djangoMigration(["migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=20))"]),
      ].join('\n'),
      sql: 'ALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ALTER COLUMN "total" SET NOT NULL;'].join('\n'),
    },
    instead: {
      django: [
        INITIAL,
        '# file: shop/migrations/0002_item_sku_not_null_check.py',
        'from django.contrib.postgres.operations import AddConstraintNotValid',
        'from django.db.models import Q',
        djangoMigration(["AddConstraintNotValid(model_name='item', constraint=models.CheckConstraint(condition=Q(sku__isnull=False), name='item_sku_not_null'))"]),
        '',
        '# file: shop/migrations/0003_item_sku_required.py',
        '# ValidateConstraint scans under SHARE UPDATE EXCLUSIVE; SET NOT NULL then trusts the check (PostgreSQL 12+).',
        'from django.contrib.postgres.operations import ValidateConstraint',
        djangoMigration(
          [
            "ValidateConstraint(model_name='item', name='item_sku_not_null')",
            "migrations.AlterField(model_name='item', name='sku', field=models.CharField(max_length=20))",
            "migrations.RemoveConstraint(model_name='item', name='item_sku_not_null')",
          ],
          { dependency: "('shop', '0002_item_sku_not_null_check')" },
        ),
      ].join('\n'),
      alembic: [
        '# revision 1',
        'def upgrade():',
        "    op.create_check_constraint('orders_total_not_null', 'orders', 'total IS NOT NULL', postgresql_not_valid=True)",
        '',
        '# revision 2 (a later transaction)',
        'def upgrade():',
        "    op.execute('ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null')",
        "    op.alter_column('orders', 'total', nullable=False)",
        "    op.drop_constraint('orders_total_not_null', 'orders', type_='check')",
      ].join('\n'),
      sql: [
        '-- A plain directory whose runner does not wrap the file in a transaction: each statement commits on its',
        '-- own. With Flyway, dbmate or goose, put the VALIDATE and what follows in a later migration.',
        'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null;',
        'ALTER TABLE orders ALTER COLUMN total SET NOT NULL;',
        'ALTER TABLE orders DROP CONSTRAINT orders_total_not_null;',
      ].join('\n'),
      prisma: [
        '-- file: 20240102000000_total_not_null_check',
        'ALTER TABLE "orders" ADD CONSTRAINT "orders_total_not_null" CHECK ("total" IS NOT NULL) NOT VALID;',
        '-- file: 20240103000000_total_required',
        '-- VALIDATE scans under SHARE UPDATE EXCLUSIVE; SET NOT NULL then trusts the check (PostgreSQL 12+).',
        '-- On PostgreSQL 18, ADD CONSTRAINT ... NOT NULL "total" NOT VALID replaces the CHECK.',
        'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_total_not_null";',
        'ALTER TABLE "orders" ALTER COLUMN "total" SET NOT NULL;',
        'ALTER TABLE "orders" DROP CONSTRAINT "orders_total_not_null";',
      ].join('\n'),
      knex: [
        '// migration 1',
        "exports.up = (knex) => knex.raw('ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID');",
        '// migration 2',
        'exports.up = async (knex) => {',
        "  await knex.raw('ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null');",
        "  await knex.raw('ALTER TABLE orders ALTER COLUMN total SET NOT NULL');",
        "  await knex.raw('ALTER TABLE orders DROP CONSTRAINT orders_total_not_null');",
        '};',
      ].join('\n'),
      typeorm: [
        '// migration 1',
        "await q.query('ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID');",
        '// migration 2',
        "await q.query('ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null');",
        "await q.query('ALTER TABLE orders ALTER COLUMN total SET NOT NULL');",
        "await q.query('ALTER TABLE orders DROP CONSTRAINT orders_total_not_null');",
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, SET/DROP NOT NULL ("SET NOT NULL may only be applied to a column provided none of the records in the table contain a NULL value ... this scan is skipped if a valid CHECK constraint is found which proves no NULL can exist")',
      'PostgreSQL 12 release notes (SET NOT NULL uses CHECK constraints); PostgreSQL 18 release notes (NOT NULL constraints NOT VALID)',
      'squawk `adding-not-nullable-field`; strong_migrations `change_column_null`; Atlas PG303, MF104; eugene E2; django-migration-linter NOT_NULL',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['set_not_null'])) {
      const { statement: st, lock } = v;
      if (!lock.facts.fullScan) continue;
      const data = { lock: lock.text, table: st.table, column: st.column };
      const facts = { ...lockData(lock.facts), column: st.column };
      if (st.provenByCheck) report(v, 'checkIgnoredBefore12', { ...data, pgVersion: settings.pgVersion }, { hint: 'before PostgreSQL 12 keep the validated CHECK instead of SET NOT NULL, or upgrade', facts });
      else report(v, 'scan', data, { hint: HINT, facts });
    }
  },
});
