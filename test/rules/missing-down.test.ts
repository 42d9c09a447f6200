import rule from '../../rules/missing-down.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ORDERS = 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n';
const ADD_NOTE = 'ALTER TABLE orders ADD COLUMN note text;\n';

/** A golang-migrate directory: version 1 with its down, then version 2 with the given down file (or none). */
const golang = (down: string | null, up = ADD_NOTE): Record<string, string> => ({
  'db/migrations/000001_create_orders.up.sql': ORDERS,
  'db/migrations/000001_create_orders.down.sql': 'DROP TABLE orders;\n',
  'db/migrations/000002_add_orders_note.up.sql': up,
  ...(down !== null ? { 'db/migrations/000002_add_orders_note.down.sql': down } : {}),
});

/** A goose directory: a first migration with its Down, then the given file. */
const goose = (second: string): Record<string, string> => ({
  'migrations/00001_create_orders.sql': `-- +goose Up\n${ORDERS}\n-- +goose Down\nDROP TABLE orders;\n`,
  'migrations/00002_add_orders_note.sql': second,
});

ruleTester.run(rule, {
  valid: [
    { name: 'a plain directory has no down migrations at all', sql: ADD_NOTE },
    { name: 'Prisma has no down migrations at all', prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "note" TEXT;\n' },
    {
      name: 'Django derives its reverses from the operations',
      django: "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = [\n        migrations.AddField('item', 'note', models.TextField(null=True)),\n    ]\n",
    },
    { name: 'golang-migrate with a down file', files: golang('ALTER TABLE orders DROP COLUMN note;\n') },
    { name: 'dbmate with a down section', sql: `-- migrate:up\n${ADD_NOTE}\n-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n` },
    { name: 'goose with a Down section', files: goose(`-- +goose Up\n${ADD_NOTE}\n-- +goose Down\nALTER TABLE orders DROP COLUMN note;\n`) },
    { name: 'Flyway without any undo script: the set has no downs', files: { 'db/migration/V1__orders.sql': ORDERS, 'db/migration/V2__note.sql': ADD_NOTE } },
    {
      name: 'a Flyway repeatable script has no undo, even where versions have one',
      files: { 'db/migration/V1__orders.sql': ORDERS, 'db/migration/U1__orders.sql': 'DROP TABLE orders;\n', 'db/migration/R__order_view.sql': 'CREATE OR REPLACE VIEW v AS SELECT id FROM orders;\n' },
    },
    {
      name: 'a dbmate file without a down block: dbmate refuses it and parse-error says so',
      files: { 'db/migrations/20240101120000_note.sql': `-- migrate:up\n${ADD_NOTE}` },
    },
    {
      name: 'a file-level suppression with a reason',
      files: golang(null, `-- migrate-lint-ignore-file missing-down: the backfill cannot be undone\n${ADD_NOTE}`),
    },
  ],
  invalid: [
    {
      name: 'golang-migrate: no down file',
      files: golang(null),
      errors: [{ messageId: 'missing', data: { migration: '000002_add_orders_note.up.sql' }, line: 1, column: 1, endLine: 1, endColumn: 1, file: 'db/migrations/000002_add_orders_note.up.sql' }],
      output: null,
    },
    {
      name: 'golang-migrate: a down file with only a comment',
      files: golang('-- TODO\n'),
      errors: [{ messageId: 'empty', data: { migration: '000002_add_orders_note.up.sql' }, line: 1, column: 1, endLine: 1, endColumn: 1, file: 'db/migrations/000002_add_orders_note.up.sql' }],
      output: null,
    },
    {
      name: 'dbmate: an empty down section is pointed at',
      sql: `-- migrate:up\n${ADD_NOTE}\n-- migrate:down\n`,
      errors: [{ messageId: 'empty', data: { migration: '0002_change.sql' }, line: 4, column: 1, endLine: 4, endColumn: 16 }],
      output: null,
    },
    {
      name: 'goose: no Down section, reported at the Up annotation',
      files: goose(`-- +goose Up\n${ADD_NOTE}`),
      errors: [{ messageId: 'missing', data: { migration: '00002_add_orders_note.sql' }, line: 1, column: 1, endLine: 1, endColumn: 13, file: 'migrations/00002_add_orders_note.sql' }],
      output: null,
    },
    {
      name: 'goose: a Down section with only annotations',
      files: goose(`-- +goose Up\n${ADD_NOTE}\n-- +goose Down\n-- +goose StatementBegin\n-- +goose StatementEnd\n`),
      errors: [{ messageId: 'empty', data: { migration: '00002_add_orders_note.sql' }, line: 4, column: 1, endLine: 4, endColumn: 15, file: 'migrations/00002_add_orders_note.sql' }],
      output: null,
    },
    {
      name: 'Flyway: a version without an undo script in a set that has them',
      files: { 'db/migration/V1__orders.sql': ORDERS, 'db/migration/U1__orders.sql': 'DROP TABLE orders;\n', 'db/migration/V1_1__note.sql': ADD_NOTE },
      errors: [{ messageId: 'missing', data: { migration: 'V1_1__note.sql' }, line: 1, column: 1, endLine: 1, endColumn: 1, file: 'db/migration/V1_1__note.sql' }],
      output: null,
    },
    {
      name: 'a suppression for another rule does not apply',
      files: golang(null, `-- migrate-lint-ignore-file parse-error: unrelated\n${ADD_NOTE}`),
      errors: [{ messageId: 'missing', data: { migration: '000002_add_orders_note.up.sql' }, line: 1, column: 1, endLine: 1, endColumn: 1, file: 'db/migrations/000002_add_orders_note.up.sql' }],
      output: null,
    },
  ],
});
