import rule from '../../rules/destructive-reverse.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** `backwards` from line 4; the operation on line `reverse.length + 10`. */
const withReverse = (reverse: string[], op = 'migrations.RunPython(forwards, backwards)') =>
  [
    'from django.db import migrations',
    '',
    '',
    ...reverse,
    '',
    '',
    'def forwards(apps, schema_editor):',
    "    apps.get_model('shop', 'Item').objects.create(name='seed')",
    '',
    '',
    'class Migration(migrations.Migration):',
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    `        ${op},`,
    '    ]',
  ].join('\n');

const ORDERS = 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n';

/** A golang-migrate directory: version 1 creates `orders`, version 2 has the given up and down files. */
const golang = (up: string, down: string): Record<string, string> => ({
  'db/migrations/000001_create_orders.up.sql': ORDERS,
  'db/migrations/000001_create_orders.down.sql': 'DROP TABLE orders;\n',
  'db/migrations/000002_change.up.sql': up,
  'db/migrations/000002_change.down.sql': down,
});
const GOLANG_DOWN = 'db/migrations/000002_change.down.sql';

/** A Knex directory: a first migration creating `orders`, then the given file (`down` from line 2). */
const knex = (up: string, down: string[]): Record<string, string> => ({
  'migrations/20240101000000_orders.js': "exports.up = (knex) => knex.schema.createTable('orders', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('orders');\n",
  'migrations/20240102000000_change.js': [`exports.up = async (knex) => { ${up} };`, 'exports.down = async (knex) => {', ...down.map((l) => `  ${l}`), '};', ''].join('\n'),
});
const KNEX_FILE = 'migrations/20240102000000_change.js';

/** An Alembic revision (line 8 of the case file, alembicTree): `upgrade()` with one call, `downgrade()` on line 12. */
const alembic = (up: string, down: string[]) => ['def upgrade():', `    ${up}`, '', '', 'def downgrade():', ...down.map((l) => `    ${l}`)].join('\n');

const SEED = "INSERT INTO users (email) VALUES ('billing@example.com');\n";

ruleTester.run(rule, {
  valid: [
    { name: 'the reverse deletes only what the forward step created', django: withReverse(['def backwards(apps, schema_editor):', "    apps.get_model('shop', 'Item').objects.filter(name='seed').delete()"]) },
    { name: 'a no-op reverse', django: withReverse(['def backwards(apps, schema_editor):', '    pass']) },
    { name: 'RunSQL: dropping the table the forward SQL created', django: withReverse([], 'migrations.RunSQL("CREATE TABLE t (a int)", "DROP TABLE t")') },
    { name: 'golang-migrate: the down file drops the table its up created', files: golang('CREATE TABLE plans (id int);\n', 'DROP TABLE plans;\n') },
    { name: 'golang-migrate: a suppression in the down file, with its reason', files: golang(SEED, '-- migrate-lint-ignore destructive-reverse: users holds only the seeded rows here\nDELETE FROM users;\n') },
    { name: 'Flyway: a suppression in the undo script', files: { 'db/migration/V1__seed.sql': SEED, 'db/migration/U1__seed.sql': '-- migrate-lint-ignore-file destructive-reverse: a scratch table\nTRUNCATE users;\n' } },
    { name: 'golang-migrate: the down file deletes only the rows its up inserted', files: golang(SEED, "DELETE FROM users WHERE email = 'billing@example.com';\n") },
    { name: 'golang-migrate: the down file undoes a column, the table stays', files: golang('ALTER TABLE orders ADD COLUMN note text;\n', 'ALTER TABLE orders DROP COLUMN note;\n') },
    { name: 'Flyway: the undo script drops the table its version created', files: { 'db/migration/V1__plans.sql': 'CREATE TABLE plans (id int);\n', 'db/migration/U1__plans.sql': 'DROP TABLE plans;\n' } },
    { name: 'dbmate: the down section drops the table the up section created', sql: '-- migrate:up\nCREATE TABLE plans (id int);\n\n-- migrate:down\nDROP TABLE plans;\n' },
    { name: 'goose: the Down section drops the tables the Up section created, one renamed', files: { 'migrations/00001_plans.sql': '-- +goose Up\nCREATE TABLE p (id int);\nALTER TABLE p RENAME TO plans;\n-- +goose Down\nDROP TABLE plans;\n' } },
    { name: 'Alembic: downgrade() drops the table upgrade() created', alembic: alembic("op.create_table('plans', sa.Column('id', sa.Integer(), primary_key=True))", ["op.drop_table('plans')"]) },
    { name: 'Alembic: downgrade() deletes only the seeded rows', alembic: alembic(`op.execute("${SEED.trim()}")`, ['op.execute("DELETE FROM users WHERE email = \'billing@example.com\'")']) },
    { name: 'Knex: down drops the table up created and deletes only the seeded rows', files: knex("await knex.schema.createTable('plans', (t) => t.increments()); await knex('users').insert({ email: 'x' });", ["await knex.schema.dropTable('plans');", "await knex('users').where({ email: 'x' }).del();"]) },
    {
      name: 'TypeORM: down drops the table up created',
      files: {
        'src/migrations/1700000000000-Plans.ts':
          'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Plans1700000000000 implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`CREATE TABLE "plans" ("id" integer PRIMARY KEY)`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`DROP TABLE "plans"`);\n    }\n}\n',
      },
    },
    { name: 'Sequelize: down drops the table up created', files: { 'migrations/20240102000000-plans.js': "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('plans', { id: { type: Sequelize.INTEGER, primaryKey: true } });\n  },\n  async down(queryInterface) {\n    await queryInterface.dropTable('plans');\n  },\n};\n" } },
    { name: 'node-pg-migrate: down drops the table up created', files: { 'migrations/1_plans.js': "exports.up = (pgm) => {\n  pgm.createTable('plans', { id: 'id' });\n};\nexports.down = (pgm) => {\n  pgm.dropTable('plans');\n};\n" } },
  ],
  invalid: [
    {
      name: 'RunPython: the reverse deletes every row',
      django: withReverse(['def backwards(apps, schema_editor):', "    Item = apps.get_model('shop', 'Item')", '    Item.objects.all().delete()']),
      errors: [{ messageId: 'destroys', data: { construct: 'migrations.RunPython', migration: 'shop.0002_change' }, line: 16, column: 9, endLine: 16, endColumn: 50 }],
      output: null,
    },
    {
      name: 'RunSQL: the reverse truncates an existing table',
      django: withReverse([], 'migrations.RunSQL("INSERT INTO shop_item (name) VALUES (\'x\')", "TRUNCATE shop_item")'),
      errors: [{ messageId: 'destroys', data: { construct: 'migrations.RunSQL', migration: 'shop.0002_change' }, line: 13, column: 9, endLine: 13, endColumn: 93 }],
      output: null,
    },
    {
      name: 'golang-migrate: the down file truncates a table its up only altered, at the TRUNCATE',
      files: golang('ALTER TABLE orders ADD COLUMN note text;\n', 'ALTER TABLE orders DROP COLUMN note;\nTRUNCATE orders;\n'),
      errors: [{ messageId: 'downDestroys', data: { migration: '000002_change.up.sql', tables: 'orders' }, line: 2, column: 1, endLine: 2, endColumn: 16, file: GOLANG_DOWN }],
      output: null,
    },
    {
      name: 'golang-migrate: the down file deletes every row of the table its up seeded',
      files: golang(SEED, 'DELETE FROM users;\n'),
      errors: [{ messageId: 'downDestroys', data: { migration: '000002_change.up.sql', tables: 'users' }, line: 1, column: 1, endLine: 1, endColumn: 18, file: GOLANG_DOWN }],
      output: null,
    },
    {
      name: 'Flyway: the undo script drops a table its version did not create',
      files: { 'db/migration/V1__orders.sql': ORDERS, 'db/migration/V2__note.sql': 'ALTER TABLE orders ADD COLUMN note text;\n', 'db/migration/U2__note.sql': 'DROP TABLE orders;\n' },
      errors: [{ messageId: 'downDestroys', data: { migration: 'V2__note.sql', tables: 'orders' }, line: 1, column: 1, endLine: 1, endColumn: 18, file: 'db/migration/U2__note.sql' }],
      output: null,
    },
    {
      name: 'dbmate: the down section empties two tables, at its marker',
      sql: '-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\n\n-- migrate:down\nTRUNCATE orders, users;\n',
      errors: [{ messageId: 'downDestroys', data: { migration: '0002_change.sql', tables: 'orders and users' }, line: 4, column: 1, endLine: 4, endColumn: 16 }],
      output: null,
    },
    {
      name: 'goose: the Down section drops a table the Up section did not create',
      files: { 'migrations/00001_orders.sql': `-- +goose Up\n${ORDERS}-- +goose Down\nDROP TABLE orders;\n`, 'migrations/00002_note.sql': '-- +goose Up\nALTER TABLE orders ADD COLUMN note text;\n-- +goose Down\nDROP TABLE orders;\n' },
      errors: [{ messageId: 'downDestroys', data: { migration: '00002_note.sql', tables: 'orders' }, line: 3, column: 1, endLine: 3, endColumn: 15, file: 'migrations/00002_note.sql' }],
      output: null,
    },
    {
      name: 'Alembic: downgrade() drops and truncates tables upgrade() did not create, at downgrade',
      alembic: alembic("op.add_column('orders', sa.Column('note', sa.Text()))", ["op.drop_column('orders', 'note')", "op.drop_table('orders')", 'op.execute("TRUNCATE users")']),
      errors: [{ messageId: 'downDestroys', data: { migration: 'a0002_change.py', tables: 'orders and users' }, line: 12, column: 5, endLine: 12, endColumn: 14 }],
      output: null,
    },
    {
      name: 'Alembic: downgrade() deletes every row of the table upgrade() seeded',
      alembic: alembic(`op.execute("${SEED.trim()}")`, ["op.execute('DELETE FROM users')"]),
      errors: [{ messageId: 'downDestroys', data: { migration: 'a0002_change.py', tables: 'users' }, line: 12, column: 5, endLine: 12, endColumn: 14 }],
      output: null,
    },
    {
      name: 'Knex: down deletes every row with del() and truncates with knex.raw',
      files: knex("await knex('users').insert({ email: 'x' });", ["await knex('users').del();", "await knex.raw('TRUNCATE orders');"]),
      errors: [{ messageId: 'downDestroys', data: { migration: '20240102000000_change.js', tables: 'users and orders' }, line: 2, column: 9, endLine: 2, endColumn: 13, file: KNEX_FILE }],
      output: null,
    },
    {
      name: 'Knex: down drops a table up only altered',
      files: knex("await knex.schema.alterTable('orders', (t) => t.text('note'));", ["await knex.schema.dropTable('orders');"]),
      errors: [{ messageId: 'downDestroys', data: { migration: '20240102000000_change.js', tables: 'orders' }, line: 2, column: 9, endLine: 2, endColumn: 13, file: KNEX_FILE }],
      output: null,
    },
    {
      name: 'TypeORM: down drops an existing table through queryRunner.query',
      files: {
        'src/migrations/1700000000000-Note.ts':
          'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Note1700000000000 implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`ALTER TABLE "orders" ADD "note" text`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`DROP TABLE "orders"`);\n    }\n}\n',
      },
      errors: [{ messageId: 'downDestroys', data: { migration: '1700000000000-Note.ts', tables: 'orders' }, line: 8, column: 18, endLine: 8, endColumn: 22, file: 'src/migrations/1700000000000-Note.ts' }],
      output: null,
    },
    {
      name: 'Sequelize: a seeder-style bulkDelete with no condition deletes every row',
      files: { 'migrations/20240102000000-seed.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.bulkInsert('users', [{ email: 'x' }]);\n  },\n  async down(queryInterface) {\n    await queryInterface.bulkDelete('users', null, {});\n  },\n};\n" },
      errors: [{ messageId: 'downDestroys', data: { migration: '20240102000000-seed.js', tables: 'users' }, line: 5, column: 9, endLine: 5, endColumn: 13, file: 'migrations/20240102000000-seed.js' }],
      output: null,
    },
    {
      name: 'node-pg-migrate: down truncates through pgm.sql',
      files: { 'migrations/1_note.js': "exports.up = (pgm) => {\n  pgm.addColumns('orders', { note: 'text' });\n};\nexports.down = (pgm) => {\n  pgm.sql('TRUNCATE orders');\n};\n" },
      errors: [{ messageId: 'downDestroys', data: { migration: '1_note.js', tables: 'orders' }, line: 4, column: 9, endLine: 4, endColumn: 13, file: 'migrations/1_note.js' }],
      output: null,
    },
  ],
});
