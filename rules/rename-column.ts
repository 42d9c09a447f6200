import { defineRule } from '../src/engine/rule.js';
import { djangoMigration } from '../src/engine/examples.js';
import { onExistingTables } from './shared/existing-tables.js';
import { renameHints } from './shared/expand-contract.js';

export default defineRule({
  id: 'rename-column',
  category: 'backward-compat',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A column of an existing table is renamed in the database while the previous release of the application still uses the old name.',
  messages: {
    renameColumn: 'Column "{column}" of "{table}" is renamed to "{newName}" while the previous release still runs: its queries that name "{column}" fail',
  },
  docs: {
    what:
      'Reports `ALTER TABLE ... RENAME COLUMN` on a table that existed before the migration, whichever construct produced it: a Django `RenameField` that changes the column (a field renamed with `db_column` keeping the old name changes nothing in the database and is not reported), a `RunSQL`, or SQL in any framework. A table created earlier in the same migration is exempt.',
    why:
      'A deploy migrates the database first, and the previous release keeps serving traffic against the new schema until every instance is replaced, or again after a rollback. Its queries still use the old name (ORMs name every mapped column in each SELECT and INSERT), so nearly every query on the table fails from the moment of the rename, however brief the ACCESS EXCLUSIVE lock. Rename at the ORM level only, keeping the column name, or go through expand/contract: add the new column, write both, backfill, move reads, and drop the old column in a later release.',
    example: {
      django: djangoMigration(["migrations.RenameField(model_name='item', old_name='name', new_name='title')"]),
      sql: 'ALTER TABLE orders RENAME COLUMN status TO state;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" RENAME COLUMN "status" TO "state";'].join('\n'),
    },
    instead: {
      django: djangoMigration([
        '# The field becomes `title` in the code; db_column keeps the column `name`, so neither operation touches the database.',
        "migrations.AlterField(model_name='item', name='name', field=models.CharField(db_column='name', max_length=100))",
        "migrations.RenameField(model_name='item', old_name='name', new_name='title')",
      ]),
      alembic: [
        '# Rename only the attribute: state = Column("status", String(20)) keeps the column. Or expand/contract:',
        'def upgrade():',
        "    op.add_column('orders', sa.Column('state', sa.String(20)))",
        '# release 1 writes both and reads status; a later revision backfills, release 2 reads state,',
        '# and a revision after that drops status.',
      ].join('\n'),
      sql: [
        '-- file: 0002_orders_add_state.sql',
        '-- Release 1 writes both status and state, and still reads status.',
        'ALTER TABLE orders ADD COLUMN state varchar(20);',
        '-- file: 0003_orders_backfill_state.sql',
        '-- Release 2 reads state; once no deployed code uses status, a later migration drops it.',
        'UPDATE orders SET state = status WHERE state IS NULL;',
      ].join('\n'),
      prisma: [
        '-- No migration: schema.prisma renames the field and keeps the column,',
        '--   state String @map("status")',
        '-- so `prisma migrate dev` finds nothing to change in the database.',
      ].join('\n'),
      knex: [
        '// Release 1: add the new column; the application writes both and reads the old one.',
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.string('state', 20));",
        '// Later migrations: backfill state, then (once release 2 reads state) drop status.',
      ].join('\n'),
      typeorm: [
        '// Rename only the property: @Column({ name: "status" }) state: string; keeps the column. Or expand/contract:',
        'export class OrdersAddState1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query('ALTER TABLE orders ADD COLUMN state varchar(20)');",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html (RENAME COLUMN: ACCESS EXCLUSIVE)',
      'Django 5.1 documentation, model field reference: db_column; django/db/backends/base/schema.py `_alter_field` renames only when the column changes',
      'Prisma documentation, Prisma schema reference: @map',
      'squawk `renaming-column`; django-migration-linter RENAME_COLUMN; Atlas BC102; strong_migrations `rename_column`',
    ],
  },
  check({ project, report }) {
    for (const v of onExistingTables(project, ['rename_column'])) {
      const { table, column, newName } = v.statement;
      report(v, 'renameColumn', { table, column, newName }, { hint: renameHints('column', column) });
    }
  },
});
