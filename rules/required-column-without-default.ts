import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { fillsExistingRows } from './shared/column-values.js';
import { djangoMigration } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const HINT = {
  default: 'give the column a default (a constant one does not rewrite the table from PostgreSQL 11), or add it nullable, backfill it, and make it NOT NULL in a later migration',
  django: 'give the field a db_default (Django 5.0+) so the database fills existing rows and inserts from code that does not know the field, or add it with null=True, backfill, and make it required later',
  prisma: 'give the field a @default(...) in schema.prisma, or make it optional, backfill it, and make it required in a later migration',
};

export default defineRule({
  id: 'required-column-without-default',
  // backward-compat, not lock: the statement holds its lock only until it fails, and the harm is to the
  // running application either way: the deploy fails on a table with rows, and on an empty table every
  // INSERT from code that does not know the column fails.
  category: 'backward-compat',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A NOT NULL column without a default is added to an existing table: the migration fails as soon as the table has a row.',
  messages: {
    failsIfRows: 'ADD COLUMN "{column}" NOT NULL without a default fails if "{table}" has any row, and where it succeeds every INSERT that does not set "{column}" fails',
  },
  docs: {
    what:
      'Reports `ADD COLUMN ... NOT NULL` (or `PRIMARY KEY`) with no default on a table that existed before the migration, where nothing else gives existing rows a value (serial, identity and generated columns do). `DEFAULT NULL` counts as no default. Tables created earlier in the same migration are exempt.',
    why:
      'PostgreSQL fills the new column with NULL in every existing row and then checks the constraint: `ERROR: column "sku" of relation "orders" contains null values`, and the deploy stops there. It works on the empty tables of a development database, which is how it reaches production. On an empty table it succeeds, but then the release that is still running (it does not know the column) fails on every INSERT.',
    knownProblems:
      "Django's `makemigrations` asks for a one-off default for a new non-null field, so in Django this comes from hand-written or edited migrations; Prisma warns about it in a comment at the top of the generated file. A table that is guaranteed to be empty (a queue drained before the deploy) is a false positive: suppress it with a reason.",
    example: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='stock', field=models.IntegerField())"]),
      sql: 'ALTER TABLE orders ADD COLUMN sku text NOT NULL;',
      prisma: [
        '/*',
        '  Warnings:',
        '',
        '  - Added the required column `sku` to the `orders` table without a default value. This is not possible if the table is not empty.',
        '',
        '*/',
        '-- AlterTable',
        'ALTER TABLE "orders" ADD COLUMN     "sku" TEXT NOT NULL;',
      ].join('\n'),
    },
    instead: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='stock', field=models.IntegerField(db_default=0))"]),
      alembic: [
        'def upgrade():',
        "    op.add_column('orders', sa.Column('sku', sa.Text(), nullable=False, server_default=''))",
      ].join('\n'),
      sql: [
        "ALTER TABLE orders ADD COLUMN sku text NOT NULL DEFAULT '';",
        '-- or: add it nullable, backfill it, then SET NOT NULL after a validated CHECK (see not-null-without-check)',
      ].join('\n'),
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ADD COLUMN     "sku" TEXT NOT NULL DEFAULT \'\';'].join('\n'),
      knex: [
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('sku').notNullable().defaultTo(''));",
        "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('sku'));",
      ].join('\n'),
      typeorm: [
        'export class OrdersSku1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.addColumn('orders', new TableColumn({ name: 'sku', type: 'text', isNullable: false, default: \"''\" }));",
        '  }',
        '  async down(q: QueryRunner) {',
        "    await q.dropColumn('orders', 'sku');",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, ADD COLUMN and Notes (a new column is NULL in existing rows unless a DEFAULT is given)',
      'django/db/backends/base/schema.py `BaseDatabaseSchemaEditor.effective_default`, `add_field`',
      'squawk `adding-required-field`; Atlas MF103; django-migration-linter NOT_NULL',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['add_column'])) {
      const c = v.statement.column;
      if ((c.nullable !== false && c.primaryKey !== true) || fillsExistingRows(c)) continue;
      report(v, 'failsIfRows', { table: v.statement.table, column: c.name }, { hint: HINT, facts: { ...lockData(v.lock.facts), column: c.name } });
    }
  },
});
