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

/** A Knex directory: a first migration with its down, then the given file. */
const knex = (second: string): Record<string, string> => ({
  'migrations/20240101000000_orders.js': "exports.up = (knex) => knex.schema.createTable('orders', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('orders');\n",
  'migrations/20240102000000_note.js': second,
});
const KNEX_UP = "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('note'));\n";

/** An Alembic revision's upgrade(): line 8 of the case file (alembicTree), its op call on line 9. */
const ALEMBIC_UP = "def upgrade():\n    op.add_column('orders', sa.Column('note', sa.Text()))\n\n\n";

ruleTester.run(rule, {
  valid: [
    { name: 'Alembic with a downgrade', alembic: `${ALEMBIC_UP}def downgrade():\n    op.drop_column('orders', 'note')\n` },
    { name: 'an Alembic merge revision: upgrade and downgrade both pass', alembic: 'def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n' },
    { name: 'Knex with a down function', files: knex(`${KNEX_UP}exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('note'));\n`) },
    { name: 'node-pg-migrate without down reverses up itself', files: { 'migrations/1_note.js': "exports.up = (pgm) => { pgm.addColumns('orders', { note: 'text' }); };\n" } },
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
      name: "Alembic: downgrade() is only pass, as the template leaves it",
      alembic: `${ALEMBIC_UP}def downgrade():\n    \"\"\"Downgrade schema.\"\"\"\n    pass\n`,
      errors: [{ messageId: 'empty', data: { migration: 'a0002_change.py' }, line: 12, column: 5, endLine: 12, endColumn: 14 }],
      output: null,
    },
    {
      name: 'Alembic: no downgrade() at all',
      alembic: ALEMBIC_UP,
      errors: [{ messageId: 'missing', data: { migration: 'a0002_change.py' }, line: 5, column: 1, endLine: 5, endColumn: 19 }],
      output: null,
    },
    {
      name: 'Alembic: downgrade() only raises',
      alembic: `${ALEMBIC_UP}def downgrade():\n    raise NotImplementedError('one way')\n`,
      errors: [{ messageId: 'missing', data: { migration: 'a0002_change.py' }, line: 12, column: 5, endLine: 12, endColumn: 14 }],
      output: null,
    },
    {
      name: 'Knex: no down function, which knex refuses to load',
      files: knex(KNEX_UP),
      errors: [{ messageId: 'missing', data: { migration: '20240102000000_note.js' }, line: 1, column: 9, endLine: 1, endColumn: 11, file: 'migrations/20240102000000_note.js', severity: 'error' }],
      output: null,
    },
    {
      name: 'TypeORM: an empty down method is pointed at',
      files: {
        'src/migrations/1700000000000-Note.ts':
          'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Note1700000000000 implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`ALTER TABLE "orders" ADD "note" text`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n    }\n}\n',
      },
      errors: [{ messageId: 'empty', data: { migration: '1700000000000-Note.ts' }, line: 8, column: 18, endLine: 8, endColumn: 22, file: 'src/migrations/1700000000000-Note.ts' }],
      output: null,
    },
    {
      name: 'Sequelize: a down that only throws counts as missing',
      files: {
        'migrations/20240102000000-note.js': "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn('orders', 'note', Sequelize.TEXT);\n  },\n  async down() {\n    throw new Error('irreversible');\n  },\n};\n",
      },
      errors: [{ messageId: 'missing', data: { migration: '20240102000000-note.js' }, line: 5, column: 9, endLine: 5, endColumn: 13, file: 'migrations/20240102000000-note.js' }],
      output: null,
    },
    {
      name: 'node-pg-migrate: down = false',
      files: { 'migrations/1_note.js': "exports.up = (pgm) => { pgm.addColumns('orders', { note: 'text' }); };\nexports.down = false;\n" },
      errors: [{ messageId: 'missing', data: { migration: '1_note.js' }, line: 1, column: 9, endLine: 1, endColumn: 11, file: 'migrations/1_note.js' }],
      output: null,
    },
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
