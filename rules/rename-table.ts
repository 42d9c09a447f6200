import { defineRule } from '../src/engine/rule.js';
import { djangoMigration } from '../src/engine/examples.js';
import { onExistingTables } from './shared/existing-tables.js';
import { renameHints } from './shared/expand-contract.js';

export default defineRule({
  id: 'rename-table',
  category: 'backward-compat',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'An existing table is renamed while the previous release of the application still uses the old name.',
  messages: {
    renameTable: 'Table "{table}" is renamed to "{newName}" while the previous release still runs: its queries on "{table}" fail',
  },
  docs: {
    what:
      'Reports `ALTER TABLE ... RENAME TO` on a table that existed before the migration: a Django `RenameModel` or `AlterModelTable` that changes the table name (a model whose `db_table` keeps the table changes nothing in the database and is not reported), a `RunSQL`, or SQL in any framework. A table created earlier in the same migration is exempt.',
    why:
      'A deploy migrates the database first, and the previous release keeps serving traffic against the new schema until every instance is replaced, or again after a rollback. Every query it makes names the old table, so all of them fail from the moment of the rename, however brief the ACCESS EXCLUSIVE lock. Rename at the ORM level only, keeping the table name, or keep the old name working with a view until no deployed code uses it: a view over one table is updatable, so old inserts, updates and deletes keep working too.',
    knownProblems:
      'A view created under the old name in the same migration (the usual shim) is not recognised yet, because the model has no statement for `CREATE VIEW`: suppress the finding there with the reason.',
    example: {
      django: djangoMigration(["migrations.RenameModel(old_name='Item', new_name='Product')"]),
      sql: 'ALTER TABLE orders RENAME TO purchases;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" RENAME TO "purchases";'].join('\n'),
    },
    instead: {
      django: djangoMigration([
        '# The model becomes Product in the code and keeps its table, so nothing reaches the database.',
        [
          'migrations.SeparateDatabaseAndState(state_operations=[',
          "    migrations.RenameModel(old_name='Item', new_name='Product'),",
          "    migrations.AlterModelTable(name='product', table='shop_item'),",
          '])',
        ].join('\n'),
      ]),
      alembic: [
        '# Rename only the class: __tablename__ = "orders" keeps the table. Or keep the old name working:',
        'def upgrade():',
        '    # migrate-lint: ignore rename-table: the orders view below keeps the old name working',
        "    op.rename_table('orders', 'purchases')",
        "    op.execute('CREATE VIEW orders AS SELECT * FROM purchases')",
        '# and drop the view in a later release, once no deployed code uses it.',
      ].join('\n'),
      sql: [
        '-- The view keeps the old name working (a view over one table is updatable); a later release drops it.',
        '-- migrate-lint-ignore rename-table: the orders view below keeps the old name working',
        'ALTER TABLE orders RENAME TO purchases;',
        'CREATE VIEW orders AS SELECT * FROM purchases;',
      ].join('\n'),
      prisma: [
        '-- No migration: schema.prisma renames the model and keeps the table,',
        '--   model Purchase { ... @@map("orders") }',
        '-- so `prisma migrate dev` finds nothing to change in the database.',
      ].join('\n'),
      knex: [
        'exports.up = async (knex) => {',
        "  await knex.schema.renameTable('orders', 'purchases');",
        "  await knex.raw('CREATE VIEW orders AS SELECT * FROM purchases');",
        '};',
        '// A later migration drops the view, once no deployed code uses the old name.',
      ].join('\n'),
      typeorm: [
        '// Rename only the class: @Entity({ name: "orders" }) keeps the table. Or keep the old name working:',
        'export class RenameOrders1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query('ALTER TABLE orders RENAME TO purchases');",
        "    await q.query('CREATE VIEW orders AS SELECT * FROM purchases');",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html (RENAME: ACCESS EXCLUSIVE), sql-createview.html (Updatable Views)',
      'Django 5.1 documentation, migration operations: RenameModel, AlterModelTable, SeparateDatabaseAndState',
      'Prisma documentation, Prisma schema reference: @@map',
      'squawk `renaming-table`; django-migration-linter RENAME_TABLE; Atlas BC101 (skipped when a view takes the old name); strong_migrations `rename_table`',
    ],
  },
  check({ project, report }) {
    for (const v of onExistingTables(project, ['rename_table'])) {
      const { table, newName } = v.statement;
      report(v, 'renameTable', { table, newName }, { hint: renameHints('table', table) });
    }
  },
});
