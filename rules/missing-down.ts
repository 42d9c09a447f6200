import { defineRule } from '../src/engine/rule.js';

const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** The docs' example, a dbmate file whose down section is empty ("use instead" fills it in). */
const DBMATE_ADD_NOTE = ['-- db/migrations/20240102120000_add_orders_note.sql (dbmate)', '-- migrate:up', 'ALTER TABLE orders ADD COLUMN note text;', '', '-- migrate:down'];

/** The docs' Alembic example: a downgrade() still `pass`, as the template writes it. */
const ALEMBIC_ADD_NOTE = ['def upgrade():', "    op.add_column('orders', sa.Column('note', sa.Text()))", '', '', 'def downgrade():', '    pass'];

export default defineRule({
  id: 'missing-down',
  category: 'reversibility',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A migration of a tool that runs down migrations has none, or an empty one.',
  messages: {
    missing: '{migration} has no down migration: a rollback past it cannot undo its changes',
    empty: '{migration} has an empty down migration: a rollback past it leaves its changes in place',
  },
  docs: {
    what:
      'Reports a migration without a down migration, or with one that holds nothing but comments and whitespace, in a set whose tool runs down migrations: golang-migrate (the `.down.sql` beside the `.up.sql`), dbmate (the `-- migrate:down` section), goose (the `-- +goose Down` section), and Flyway when the set has `U` undo scripts. Knex, TypeORM and Sequelize migrations without a `down` function, or with one whose body is empty or only throws, are reported too (an error for Knex, which refuses to load such a migration); node-pg-migrate reverses `up` itself when there is no `down`, so only `down = false` and an empty or throwing `down` are reported. Alembic revisions without a `downgrade()` function, or with one that only raises or whose body is only `pass` (a merge revision, whose `upgrade()` is empty too, is not reported), are reported as well. Prisma and plain SQL directories have no down migrations and Django derives its reverses from the operations, so their migrations are never reported; nor are Flyway repeatable (`R__`) scripts, which have no undo.',
    why:
      "A rollback is how a bad deploy is backed out, and it is needed in a hurry. With no down, golang-migrate's `migrate down` runs an empty migration and still moves the recorded version back, goose does the same for a file without `-- +goose Down`, and Flyway's `undo` has nothing to run. The schema keeps the migration's changes while the tool's history says they are gone, so the next `up` runs the migration again against a schema that already has them, and fails. (dbmate refuses a file without `-- migrate:down` outright: `parse-error` reports that.)",
    knownProblems:
      'Whether a down really undoes its up is not checked: a down that does anything counts. A migration that cannot be undone on purpose (a data backfill) can say so in the file: `-- migrate-lint-ignore-file missing-down: <reason>`.',
    example: { sql: DBMATE_ADD_NOTE.join('\n'), alembic: ALEMBIC_ADD_NOTE.join('\n') },
    instead: {
      sql: [...DBMATE_ADD_NOTE, 'ALTER TABLE orders DROP COLUMN note;'].join('\n'),
      alembic: [...ALEMBIC_ADD_NOTE.slice(0, -1), "    op.drop_column('orders', 'note')"].join('\n'),
      knex: ['// migrations/20240102120000_add_orders_note.js', "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('note'));", "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('note'));"].join('\n'),
    },
    references: [
      'golang-migrate/migrate migrate.go `newMigration` (a version with no down file runs an "empty" migration going down)',
      'amacneil/dbmate pkg/dbmate/migration.go `parseMigrationContents` (`ErrParseMissingDown`)',
      'pressly/goose internal/sqlparser/parser.go `ParseSQLMigration` (no `-- +goose Down`: no down statements)',
      'Flyway documentation, "Undo migrations" (`U<version>__<description>.sql`)',
      'alembic/templates/generic/script.py.mako (`def downgrade() -> None: pass` until written); alembic/command.py `downgrade`',
      'knex/knex lib/migrations/migrate/Migrator.js `_validateMigrationStructure`; salsita/node-pg-migrate src/migration.ts (no `down`: `up` in reverse mode; `down = false`: irreversible)',
    ],
  },
  check({ project, report }) {
    for (const set of project.sets) {
      // Only tools where each migration may carry its own down: elsewhere `reverse` is not a choice the
      // author made (model/types.ts `DownPolicy`).
      if (set.downs !== 'per-migration') continue;
      for (const migration of set.migrations) {
        // A file the tool cannot load has no known reverse (parse-error reports it); a repeatable script
        // has no undo by design.
        if (migration.incomplete || migration.repeatable) continue;
        if (migration.reverse !== 'missing' && migration.reverse !== 'empty') continue;
        // An empty down section in the same file is pointed at; otherwise the migration itself.
        const at = migration.down?.file === migration.file ? migration.down.span : undefined;
        report({ migration, ...(at ? { span: at } : {}) }, migration.reverse, { migration: baseName(migration.file) }, {
          // Knex refuses to load a migration without a `down` function (Migrator.js
          // `_validateMigrationStructure`: "must have both an up and down function"), so nothing migrates.
          ...(set.framework === 'knex' && migration.reverse === 'missing' ? { severity: 'error' as const } : {}),
          hint: {
            default: 'write the SQL that undoes it as its down migration, or suppress this with the reason it cannot be undone',
            knex: 'export a down function that undoes up (knex.schema.dropTable, t.dropColumn, ...)',
            alembic: 'write a downgrade() that undoes upgrade() (op.drop_column, op.drop_index, ...)',
            typeorm: 'write a down(queryRunner) that undoes up',
            sequelize: 'write a down(queryInterface) that undoes up (removeColumn, removeIndex, ...)',
            'node-pg-migrate': 'write down, or leave it out so node-pg-migrate reverses up itself',
          },
        });
      }
    }
  },
});
