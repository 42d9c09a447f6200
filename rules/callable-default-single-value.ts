import { defineRule } from '../src/engine/rule.js';
import { djangoBackfill } from './shared/backfill.js';
import { djangoMigration } from '../src/engine/examples.js';
import { onExistingTables } from './shared/existing-tables.js';

/**
 * Callables whose every call returns an equal value, so one value for every row is what they mean: Python's
 * built-in constructors called without arguments return an empty or zero value (`JSONField(default=dict)`
 * is the usual spelling of "an empty object"). Sorted; each is a Python built-in type.
 */
const SAME_EVERY_CALL = new Set(['bool', 'bytes', 'dict', 'float', 'frozenset', 'int', 'list', 'set', 'str', 'tuple']);

const HINT = {
  default: 'add the column nullable and without the default, give each existing row its own value in batches in a later migration, then make it NOT NULL',
  django: 'add the field with null=True and no default, fill each row in batches in a later migration (RunPython, atomic = False), then make it required; for a timestamp, db_default=Now() lets the database fill it',
};

export default defineRule({
  id: 'callable-default-single-value',
  category: 'data',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A column is added with a default the application computes once (uuid4, now), so every existing row gets the same value.',
  messages: {
    sameValue: 'the default {callable} is computed once, when the migration runs, so every existing row of "{table}" gets the same "{column}"',
    sameValueUnique: 'the default {callable} is computed once, when the migration runs, so every existing row of "{table}" gets the same "{column}" and the unique index fails as soon as the table has two rows',
  },
  docs: {
    what:
      'Reports `ADD COLUMN` on an existing table whose default is a callable the application evaluates, such as Django\'s `default=uuid.uuid4`, `default=timezone.now` or `auto_now_add=True`. Django calls it once, writes the result into the `ADD COLUMN ... DEFAULT` clause and drops the default afterwards, so every existing row gets that one value. A unique column then fails to add as soon as the table has two rows (error). Callables that return the same value on every call (`dict`, `list`, `str`) are not reported.',
    why:
      'Every existing row gets the same "unique" token, or the same creation time, which is the time of the deploy rather than of the row. Nothing fails, so duplicates surface later: a token that should identify one row matches thousands, an export sorted by creation time is wrong. With `unique=True` the migration fails instead, after holding ACCESS EXCLUSIVE while it tried.',
    knownProblems:
      'Whether one value for every existing row is wrong depends on what the column means: a `last_seen` timestamp set to the deploy time may be acceptable. Suppress it with a reason in that case.',
    example: {
      django: `import uuid\n\n${djangoMigration(["migrations.AddField(model_name='item', name='token', field=models.UUIDField(default=uuid.uuid4))"])}`,
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_item_token.py',
        djangoMigration(["migrations.AddField(model_name='item', name='token', field=models.UUIDField(null=True))"]),
        '',
        djangoBackfill({ name: '0003_fill_item_token', after: '0002_item_token', field: 'token', value: 'uuid.uuid4()', stdlib: ['uuid'] }),
      ].join('\n'),
      alembic: [
        '# `default=` in SQLAlchemy is evaluated per INSERT by the application and never reaches existing rows;',
        '# fill them with a database expression instead:',
        'def upgrade():',
        "    op.add_column('orders', sa.Column('token', sa.Uuid(), nullable=True))",
        "    op.execute('UPDATE orders SET token = gen_random_uuid() WHERE token IS NULL')  # in batches on a large table",
      ].join('\n'),
      sql: [
        '-- SQL defaults are evaluated by PostgreSQL for each row; a volatile one rewrites the table',
        '-- (see add-column-rewrites-table), so add the column bare and fill it in batches:',
        'ALTER TABLE orders ADD COLUMN token uuid;',
        'ALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();',
      ].join('\n'),
      prisma: [
        '-- @default(uuid()) is filled by Prisma Client per INSERT; existing rows get a value per row from the database:',
        'ALTER TABLE "orders" ADD COLUMN "token" UUID;',
        'UPDATE "orders" SET "token" = gen_random_uuid() WHERE "token" IS NULL;',
      ].join('\n'),
      knex: [
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.uuid('token').defaultTo(knex.fn.uuid()));",
        "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('token'));",
      ].join('\n'),
      typeorm: [
        '// @Generated("uuid") / default: () => "gen_random_uuid()" is evaluated by PostgreSQL for each row.',
        "await q.query('ALTER TABLE orders ADD COLUMN token uuid');",
        "await q.query('UPDATE orders SET token = gen_random_uuid() WHERE token IS NULL');",
      ].join('\n'),
    },
    references: [
      'django/db/backends/base/schema.py `BaseDatabaseSchemaEditor.effective_default` (calls the default once) and `add_field`',
      'Django documentation, "Migrations that add unique fields" (how-to/writing-migrations)',
      'reference/frameworks.md §3.9 (sqlmigrate of AddField(default=uuid.uuid4))',
      'strong_migrations `add_column_default_callable`',
    ],
  },
  check({ project, report }) {
    for (const v of onExistingTables(project, ['add_column'])) {
      const { table, column: c } = v.statement;
      const d = c.default;
      if (d?.kind !== 'app-callable' || SAME_EVERY_CALL.has(d.text.replace(/\(\)$/, ''))) continue;
      const unique = c.unique === true || c.primaryKey === true;
      const data = { table, column: c.name, callable: d.text };
      report(v, unique ? 'sameValueUnique' : 'sameValue', data, { hint: HINT, facts: data, ...(unique ? { severity: 'error' as const } : {}) });
    }
  },
});
