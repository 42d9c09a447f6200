import { defineRule } from '../src/engine/rule.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { onExistingTables } from './shared/existing-tables.js';
import { removalHints, removedFromStateBefore } from './shared/expand-contract.js';

export default defineRule({
  id: 'drop-column',
  category: 'backward-compat',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A column is dropped from an existing table while the previous release of the application still uses it.',
  messages: {
    dropColumn:
      'Column "{column}" of "{table}" is dropped while the previous release still runs: its queries that name the column fail, and ORMs name every mapped column in each SELECT and INSERT',
  },
  docs: {
    what:
      'Reports a column dropped from a table that existed before the migration: `ALTER TABLE ... DROP COLUMN` in a SQL migration or a Django `RunSQL`, a Django `RemoveField`, and the same from any other framework. A table created earlier in the same migration is exempt, and so is a Django `SeparateDatabaseAndState` whose `state_operations` alone remove the field (nothing reaches the database). A drop of a column whose field an earlier Django migration already removed from the state alone is the second half of the safe recipe, and is not reported.',
    why:
      'A deploy migrates the database first, and the previous release keeps serving traffic against the new schema until every instance is replaced, or again after a rollback. Its queries still name the column (Django, SQLAlchemy, Prisma and TypeORM list every mapped column in each SELECT and INSERT), so from the moment the column is gone nearly every query on the table fails, however brief the ACCESS EXCLUSIVE lock. The data is gone too: the reverse migration can only bring the column back empty. The safe path is expand/contract: one release stops reading and writing the column (making it nullable, or giving it a database default, so inserts can leave it out), and a later release drops it.',
    knownProblems:
      'Outside Django the rule cannot see that an earlier release stopped using the column, so the drop that completes the recipe is reported as well: suppress it there with the reason (`-- migrate-lint-ignore drop-column: release 41 stopped using orders.status`).',
    example: {
      django: djangoMigration(["migrations.RemoveField(model_name='item', name='name')"]),
      sql: 'ALTER TABLE orders DROP COLUMN status;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" DROP COLUMN "status";'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_remove_item_name_from_state.py',
        djangoMigration([
          '# Release 1: inserts may leave the column out, and the model no longer has the field.',
          "migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=100, null=True))",
          "migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField(model_name='item', name='name')])",
        ]),
        '',
        '# file: shop/migrations/0003_drop_item_name.py',
        djangoMigration(
          ['# Release 2: no deployed code uses the column any more.', runSql('ALTER TABLE shop_item DROP COLUMN name', 'ALTER TABLE shop_item ADD COLUMN name varchar(100)')],
          { dependency: "('shop', '0002_remove_item_name_from_state')" },
        ),
      ].join('\n'),
      alembic: [
        '# Release 1: the model loses the attribute; inserts may now leave the column out.',
        'def upgrade():',
        "    op.alter_column('orders', 'status', nullable=True)",
        '',
        '# Release 2, a later revision: no deployed code uses the column any more.',
        'def upgrade():',
        '    # migrate-lint: ignore drop-column: release 1 stopped using orders.status',
        "    op.drop_column('orders', 'status')",
      ].join('\n'),
      sql: [
        '-- file: 0002_orders_status_optional.sql',
        '-- Release 1: the application stops reading and writing orders.status; inserts may leave it out.',
        'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;',
        '-- file: 0003_drop_orders_status.sql',
        '-- Release 2: no deployed code uses the column any more.',
        '-- migrate-lint-ignore drop-column: release 1 stopped using orders.status',
        'ALTER TABLE orders DROP COLUMN status;',
      ].join('\n'),
      prisma: [
        '-- file: 20240102000000_orders_status_optional',
        '-- Release 1: schema.prisma makes status optional and marks it @ignore, so the client stops using it.',
        'ALTER TABLE "orders" ALTER COLUMN "status" DROP NOT NULL;',
        '-- file: 20240103000000_drop_orders_status',
        '-- Release 2: the field is deleted from schema.prisma.',
        '-- migrate-lint-ignore drop-column: the client has ignored orders.status since release 1',
        'ALTER TABLE "orders" DROP COLUMN "status";',
      ].join('\n'),
      knex: [
        '// Release 1: the application stops reading and writing orders.status.',
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.string('status', 20).nullable().alter());",
        '',
        '// Release 2, a later migration file:',
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('status'));",
      ].join('\n'),
      typeorm: [
        '// Release 1: the entity loses the @Column, and inserts may leave the column out.',
        'export class OrdersStatusOptional1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query('ALTER TABLE orders ALTER COLUMN status DROP NOT NULL');",
        '  }',
        '}',
        '',
        '// Release 2, a later migration:',
        'export class DropOrdersStatus1700000100000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query('ALTER TABLE orders DROP COLUMN status');",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html (DROP COLUMN: ACCESS EXCLUSIVE; the column is only marked dropped)',
      'Django 5.1 documentation, migration operations: SeparateDatabaseAndState',
      'Prisma documentation, Prisma schema reference: @ignore',
      'squawk `ban-drop-column`; django-migration-linter DROP_COLUMN; Atlas DS103; strong_migrations `remove_column`',
    ],
  },
  check({ project, report }) {
    for (const v of onExistingTables(project, ['drop_column'])) {
      if (removedFromStateBefore(project, v)) continue;
      const { table, column } = v.statement;
      report(v, 'dropColumn', { table, column }, { hint: removalHints('column', `"${column}"`) });
    }
  },
});
