import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { djangoMigration } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const KEY_HINT = {
  default: 'build the index first with CREATE UNIQUE INDEX CONCURRENTLY (in a migration outside a transaction), then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX, which only takes a brief lock',
  django:
    'build the index with RunSQL(CREATE UNIQUE INDEX CONCURRENTLY ...) in a migration with atomic = False, then attach it with SeparateDatabaseAndState(database_operations=[RunSQL(ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ...)], state_operations=[the AddConstraint or AlterField])',
  prisma: 'put CREATE UNIQUE INDEX CONCURRENTLY alone in a migration.sql (one statement runs outside a transaction), and ADD CONSTRAINT ... USING INDEX in the next one; or keep the unique index Prisma generates for @unique, which is an index already',
};
const EXCLUSION_HINT =
  'there is no online way to add an exclusion constraint: add it while the table is small, in a maintenance window, or create a new table with the constraint and move the rows over';

export default defineRule({
  id: 'constraint-builds-index',
  category: 'lock',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A UNIQUE, PRIMARY KEY or EXCLUDE constraint is added to an existing table and builds its index while ACCESS EXCLUSIVE is held.',
  messages: {
    unique: '{lock}, while it builds a unique index over every row of "{table}"',
    primaryKey: '{lock}, while it builds the primary key index over every row of "{table}"',
    exclusion: '{lock}, while it builds the exclusion constraint index over every row of "{table}"; there is no online way to add one',
  },
  docs: {
    what:
      "Reports `ADD CONSTRAINT ... UNIQUE` and `ADD CONSTRAINT ... PRIMARY KEY` without `USING INDEX`, `ADD CONSTRAINT ... EXCLUDE`, and `ADD COLUMN ... UNIQUE` or `PRIMARY KEY` on a table that existed before the migration. Django emits these for `AddField(unique=True)`, `AlterField` to `unique=True`, `AddConstraint(UniqueConstraint(fields=...))` and `unique_together`; a `UniqueConstraint` with a condition or expressions is a `CREATE UNIQUE INDEX` instead (see index-not-concurrent). Tables created earlier in the same migration are exempt.",
    why:
      'The constraint builds its index while holding ACCESS EXCLUSIVE on the table, so every read and write waits until every row has been read and sorted, which on a large table is minutes. `CREATE UNIQUE INDEX CONCURRENTLY` builds the same index while reads and writes go on, and `ADD CONSTRAINT ... USING INDEX` then turns it into the constraint with only a brief lock. Exclusion constraints cannot be built that way at all. A primary key on nullable columns also sets them NOT NULL, with a scan.',
    knownProblems:
      '`ADD PRIMARY KEY USING INDEX` still scans the table if a key column is nullable; make the columns NOT NULL first (see not-null-without-check).',
    example: {
      django: djangoMigration(["migrations.AlterUniqueTogether(name='item', unique_together={('name',)})"]),
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_status_key" UNIQUE ("user_id", "status");'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_item_name_uniq_index.py',
        djangoMigration([
          "migrations.RunSQL('CREATE UNIQUE INDEX CONCURRENTLY item_name_uniq ON shop_item (name)', 'DROP INDEX CONCURRENTLY item_name_uniq')",
        ], { atomic: false }),
        '',
        '# file: shop/migrations/0003_item_name_unique.py',
        djangoMigration(
          [
            [
              'migrations.SeparateDatabaseAndState(',
              "    database_operations=[migrations.RunSQL('ALTER TABLE shop_item ADD CONSTRAINT item_name_uniq UNIQUE USING INDEX item_name_uniq', 'ALTER TABLE shop_item DROP CONSTRAINT item_name_uniq')],",
              "    state_operations=[migrations.AddConstraint(model_name='item', constraint=models.UniqueConstraint(fields=['name'], name='item_name_uniq'))],",
              ')',
            ].join('\n'),
          ],
          { dependency: "('shop', '0002_item_name_uniq_index')" },
        ),
      ].join('\n'),
      alembic: [
        '# revision 1',
        'def upgrade():',
        '    with op.get_context().autocommit_block():',
        "        op.create_index('users_email_key', 'users', ['email'], unique=True, postgresql_concurrently=True)",
        '',
        '# revision 2',
        'def upgrade():',
        "    op.execute('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key')",
      ].join('\n'),
      sql: [
        '-- file: 0002_users_email_index.sql',
        'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
        '-- file: 0003_users_email_unique.sql',
        'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
      ].join('\n'),
      prisma: [
        '-- file: 20240102000000_orders_user_status_index',
        '-- Alone in its migration.sql, so it runs outside a transaction.',
        'CREATE UNIQUE INDEX CONCURRENTLY "orders_user_id_status_key" ON "orders"("user_id", "status");',
        '-- file: 20240103000000_orders_user_status_unique',
        'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_status_key" UNIQUE USING INDEX "orders_user_id_status_key";',
      ].join('\n'),
      knex: [
        '// migration 1',
        'exports.config = { transaction: false };',
        "exports.up = (knex) => knex.raw('CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)');",
        '// migration 2',
        "exports.up = (knex) => knex.raw('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key');",
      ].join('\n'),
      typeorm: [
        '// migration 1, with transaction = false',
        "await q.query('CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)');",
        '// migration 2',
        "await q.query('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key');",
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, ADD table_constraint_using_index and Notes',
      'PostgreSQL 15 manual, sql-createindex.html, "Building Indexes Concurrently"',
      'squawk `disallowed-unique-constraint`, `adding-serial-primary-key-field`; strong_migrations `add_unique_constraint`, `add_exclusion_constraint`; Atlas PG104, PG105, PG109, MF101; eugene E7, E8; django-migration-linter ADD_UNIQUE',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['add_constraint', 'add_column'])) {
      const { statement: st, lock } = v;
      const facts = lockData(lock.facts);
      const data = { lock: lock.text, table: st.table };
      if (st.kind === 'add_column') {
        const c = st.column;
        if (c.primaryKey || c.unique) report(v, c.primaryKey ? 'primaryKey' : 'unique', data, { hint: KEY_HINT, facts: { ...facts, column: c.name } });
        continue;
      }
      const c = st.constraint;
      const named = c.name !== undefined ? { constraint: c.name } : {};
      if (c.type === 'exclusion') report(v, 'exclusion', data, { hint: EXCLUSION_HINT, facts: { ...facts, ...named } });
      else if ((c.type === 'unique' || c.type === 'primary_key') && !c.usingIndex) report(v, c.type === 'unique' ? 'unique' : 'primaryKey', data, { hint: KEY_HINT, facts: { ...facts, ...named } });
    }
  },
});
