import { defineRule } from '../src/engine/rule.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { onExistingTables } from './shared/existing-tables.js';
import { removalHints, removedFromStateBefore } from './shared/expand-contract.js';

export default defineRule({
  id: 'drop-table',
  category: 'backward-compat',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A table, a schema with everything in it, or a database is dropped while the previous release of the application may still use it.',
  messages: {
    dropTable: 'Table "{table}" is dropped while the previous release still runs: its queries on the table fail, and the rows are gone',
    dropSchema:
      'Schema "{schema}" is dropped with CASCADE while the previous release still runs: every table, view and function in it goes too, and queries on them fail',
    dropDatabase: 'Database "{database}" is dropped: every table in it and all its data are gone, and whatever still connects to it fails',
  },
  docs: {
    what:
      'Reports `DROP TABLE` on a table that existed before the migration (a Django `DeleteModel`, or the SQL in any framework), `DROP SCHEMA ... CASCADE`, and `DROP DATABASE`. A table created earlier in the same migration is exempt, and so is a Django `SeparateDatabaseAndState` whose `state_operations` alone delete the model. A drop of a table whose model an earlier Django migration already removed from the state alone is the second half of the safe recipe, and is not reported. `DROP SCHEMA` without `CASCADE` is not reported: PostgreSQL refuses to drop a schema that still holds anything.',
    why:
      'A deploy migrates the database first, and the previous release keeps serving traffic against the new schema until every instance is replaced, or again after a rollback. Every query it makes on the table fails from the moment the table is gone, and the rows cannot be brought back by the reverse migration. `DROP TABLE ... CASCADE` also drops the views and foreign keys of other tables that depend on it; `DROP SCHEMA ... CASCADE` drops every object in the schema, each table under ACCESS EXCLUSIVE. The safe path is to stop using the table in one release and drop it in a later one.',
    knownProblems:
      'Outside Django the rule cannot see that an earlier release stopped using the table, so the drop that completes the recipe is reported as well: suppress it there with the reason. `DROP DATABASE` is always reported; it has no place in a migration.',
    example: {
      django: djangoMigration(["migrations.DeleteModel(name='Item')"]),
      sql: 'DROP TABLE orders;',
      prisma: ['-- DropTable', 'DROP TABLE "orders";'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_delete_item_from_state.py',
        djangoMigration(['# Release 1: the model is gone from the code, the table stays.', "migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='Item')])"]),
        '',
        '# file: shop/migrations/0003_drop_item_table.py',
        djangoMigration(['# Release 2: no deployed code uses the table any more.', runSql('DROP TABLE shop_item')], { dependency: "('shop', '0002_delete_item_from_state')" }),
      ].join('\n'),
      alembic: [
        '# Release 1: the model class is deleted from the code; no migration.',
        '# Release 2, a later revision:',
        'def upgrade():',
        '    # migrate-lint: ignore drop-table: no deployed code has used orders since release 1',
        "    op.drop_table('orders')",
      ].join('\n'),
      sql: [
        '-- The previous release stopped using orders; this migration ships with the next one.',
        '-- migrate-lint-ignore drop-table: no deployed code has used orders since release 41',
        'DROP TABLE orders;',
      ].join('\n'),
      prisma: [
        '-- Release 1 marked the model @@ignore in schema.prisma; release 2 deletes it, which generates this.',
        '-- migrate-lint-ignore drop-table: the client has ignored orders since release 1',
        'DROP TABLE "orders";',
      ].join('\n'),
      knex: [
        '// Release 1: the application stops using orders; no migration.',
        '// Release 2, a later migration file:',
        "exports.up = (knex) => knex.schema.dropTable('orders');",
      ].join('\n'),
      typeorm: [
        '// Release 1: the entity is deleted from the code; no migration.',
        '// Release 2, a later migration:',
        'export class DropOrders1700000100000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query('DROP TABLE orders');",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-droptable.html (CASCADE), sql-dropschema.html, sql-dropdatabase.html',
      'Django 5.1 documentation, migration operations: SeparateDatabaseAndState',
      'Prisma documentation, Prisma schema reference: @@ignore',
      'squawk `ban-drop-table`, `ban-drop-database`; django-migration-linter DROP_TABLE; Atlas DS101 (schema), DS102 (table)',
    ],
  },
  check({ project, report }) {
    for (const v of onExistingTables(project, ['drop_table', 'drop_schema', 'drop_database'])) {
      const st = v.statement;
      if (st.kind === 'drop_schema') {
        if (st.cascade) report(v, 'dropSchema', { schema: st.schema }, { hint: 'drop the tables in it one release after the application stops using them, then drop the empty schema without CASCADE' });
      } else if (st.kind === 'drop_database') {
        report(v, 'dropDatabase', { database: st.database }, { hint: 'drop databases by hand, after a backup, never from a migration' });
      } else if (!removedFromStateBefore(project, v)) {
        report(v, 'dropTable', { table: st.table }, { hint: removalHints('table', `"${st.table}"`) });
      }
    }
  },
});
