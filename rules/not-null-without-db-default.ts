import { defineRule } from '../src/engine/rule.js';
import { tableKey } from '../src/model/migration-facts.js';
import { valueDefault } from './shared/column-values.js';
import { djangoMigration } from '../src/engine/examples.js';
import { onExistingTables, type VisitOf } from './shared/existing-tables.js';

const HINT = {
  default: 'keep the database default until no running release inserts without the column, and drop it (if at all) in a later migration',
  django: 'use db_default= (Django 5.0+) instead of default=, so the default stays in the database',
  prisma: 'keep the @default(...) on the field; if the DROP DEFAULT was written by hand, move it to a migration of a later release',
};

export default defineRule({
  id: 'not-null-without-db-default',
  category: 'backward-compat',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A NOT NULL column is added with a default that the same migration drops: the release still running cannot insert rows.',
  messages: {
    defaultDropped:
      '"{column}" is added NOT NULL to "{table}" and its default is dropped in the same migration: every INSERT from code that does not set "{column}" (the release still running) fails',
  },
  docs: {
    what:
      "Reports `ALTER COLUMN ... DROP DEFAULT` of a column that the same migration added `NOT NULL` with a default to an existing table. It is what Django's `AddField(default=...)` emits: `ADD COLUMN ... DEFAULT x NOT NULL` to fill existing rows, then `DROP DEFAULT`, because Django keeps defaults in Python. Tables created earlier in the same migration are exempt: no running code inserts into them.",
    why:
      'Migrations run before the new release is fully deployed, and the old release keeps serving traffic (and comes back on a rollback). It does not know the new column, so its INSERTs leave it out, and without a database default they fail with `null value in column "price" violates not-null constraint`. Keeping the default in the database lets old and new code insert until the old release is gone.',
    knownProblems:
      'Applications that insert only through the new release (a worker deployed together with the migration, a table written by nothing else) are not at risk: suppress it with a reason. Django before 5.0 has no `db_default`; there the safe form is a nullable field first.',
    example: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='price', field=models.IntegerField(default=0))"]),
      sql: ['ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;', 'ALTER TABLE orders ALTER COLUMN priority DROP DEFAULT;'].join('\n'),
    },
    instead: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='price', field=models.IntegerField(db_default=0))"]),
      alembic: [
        'def upgrade():',
        "    op.add_column('orders', sa.Column('priority', sa.Integer(), nullable=False, server_default='0'))",
        '    # Drop the server default, if at all, in a revision of a later release.',
      ].join('\n'),
      sql: [
        '-- file: 0002_add_priority.sql',
        'ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;',
        '-- file: 0003_drop_priority_default.sql',
        '-- A later release: every running instance now sets priority itself.',
        'ALTER TABLE orders ALTER COLUMN priority DROP DEFAULT;',
      ].join('\n'),
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;'].join('\n'),
      knex: [
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.integer('priority').notNullable().defaultTo(0));",
        "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('priority'));",
      ].join('\n'),
      typeorm: [
        'export class OrdersPriority1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.addColumn('orders', new TableColumn({ name: 'priority', type: 'int', isNullable: false, default: 0 }));",
        '  }',
        '  async down(q: QueryRunner) {',
        "    await q.dropColumn('orders', 'priority');",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'django/db/backends/base/schema.py `BaseDatabaseSchemaEditor.add_field` ("Drop the default if we need to"); Django 5.0 release notes, Field.db_default',
      'reference/frameworks.md §3.9 (sqlmigrate of AddField with default=)',
      'django-migration-linter NOT_NULL; eugene W12/E4',
    ],
  },
  check({ project, report }) {
    // Per migration and column: the NOT NULL add with a default, then the DROP DEFAULT that removes it.
    const added = new Set<string>();
    const dropped = new Map<string, VisitOf<'drop_default'>>();
    for (const v of onExistingTables(project, ['add_column', 'set_default', 'drop_default'])) {
      const st = v.statement;
      const column = st.kind === 'add_column' ? st.column.name : st.column;
      const key = `${v.migration.file}\0${tableKey(st.table)}\0${column}`;
      if (st.kind === 'add_column') {
        if (st.column.nullable === false && valueDefault(st.column)) added.add(key);
      } else if (st.kind === 'drop_default') {
        if (added.has(key)) dropped.set(key, { ...v, statement: st });
      } else {
        dropped.delete(key); // a new default: the column has one again when the migration ends
      }
    }
    for (const v of dropped.values()) {
      const { table, column } = v.statement;
      report(v, 'defaultDropped', { table, column }, { hint: HINT, facts: { table, column } });
    }
  },
});
