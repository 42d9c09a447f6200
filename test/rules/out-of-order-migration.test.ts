import rule from '../../rules/out-of-order-migration.js';
import { branchTree } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const start = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const golang = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.up.sql`]: `CREATE TABLE ${name} (id int);\n`, [`db/migrations/${v}_${name}.down.sql`]: `DROP TABLE ${name};\n` });
const flyway = (v: string, name: string) => ({ [`db/migration/V${v}__${name}.sql`]: `CREATE TABLE ${name} (id int);\n` });
const goose = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.sql`]: `-- +goose Up\nCREATE TABLE ${name} (id int);\n-- +goose Down\nDROP TABLE ${name};\n` });
const dbmate = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.sql`]: `-- migrate:up\nCREATE TABLE ${name} (id int);\n-- migrate:down\nDROP TABLE ${name};\n` });

const knex = (stamp: string, name: string) => ({ [`migrations/${stamp}_${name}.js`]: `exports.up = (knex) => knex.schema.createTable('${name}', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('${name}');\n` });
const pgm = (prefix: string, name: string) => ({ [`migrations/${prefix}_${name}.js`]: `exports.up = (pgm) => { pgm.createTable('${name}', { id: 'id' }); };\n` });
const sequelize = (stamp: string, name: string) => ({
  [`migrations/${stamp}-${name}.js`]: `module.exports = {\n  async up(queryInterface, Sequelize) { await queryInterface.createTable('${name}', { id: Sequelize.INTEGER }); },\n  async down(queryInterface) { await queryInterface.dropTable('${name}'); },\n};\n`,
});
const typeorm = (stamp: string, name: string) => ({
  [`src/migrations/${stamp}-${name}.ts`]: `import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class ${name}${stamp} implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`CREATE TABLE "${name.toLowerCase()}" (id int)\`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`DROP TABLE "${name.toLowerCase()}"\`);\n    }\n}\n`,
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'a plain directory: the branch adds after everything main has',
      sql: branchTree({ target: { '0003_b.sql': 'SELECT 1;' }, head: { '0004_c.sql': 'SELECT 1;' } }, '--'),
    },
    {
      name: 'golang-migrate: rebased and renumbered',
      branch: { base: golang('000001', 'users'), target: golang('000002', 'orders'), head: golang('000003', 'items') },
    },
    {
      name: 'Flyway: 1.10 comes after 1.9 (versions are numbers, not strings)',
      branch: { base: { ...flyway('1', 'init'), ...flyway('1.9', 'orders') }, head: flyway('1.10', 'items') },
    },
    {
      name: 'Flyway: a repeatable script has no place in the order',
      branch: { base: { ...flyway('1', 'init'), ...flyway('2', 'orders') }, head: { 'db/migration/R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;\n' } },
    },
    {
      name: 'Django orders by its graph: conflicting-leaves judges it',
      django: branchTree({ target: { 'shop/migrations/0003_b.py': "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = []" }, head: { 'shop/migrations/0002_a.py': "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = []" } }),
    },
    {
      name: 'the same version on both sides is duplicate-version\'s finding',
      branch: { base: golang('000001', 'users'), target: golang('000002', 'orders'), head: golang('000002', 'items') },
    },
    {
      name: 'an edited migration is not a new one',
      branch: { base: { ...golang('000001', 'users'), ...golang('000002', 'orders') }, head: { 'db/migrations/000001_users.up.sql': 'CREATE TABLE users (id bigint);\n' } },
    },
  ],
  invalid: [
    {
      name: 'golang-migrate: a lower version than one main gained is never applied',
      branch: { base: golang('000001', 'users'), target: golang('000003', 'orders'), head: golang('000002', 'items') },
      errors: [
        {
          messageId: 'neverApplied',
          data: { migration: '2', file: 'db/migrations/000002_items.up.sql', newer: '3', newerFile: 'db/migrations/000003_orders.up.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/000002_items.up.sql',
          ...start,
        },
      ],
      output: {},
      renames: { 'db/migrations/000002_items.up.sql': 'db/migrations/000004_items.up.sql', 'db/migrations/000002_items.down.sql': 'db/migrations/000004_items.down.sql' },
    },
    {
      name: 'Flyway: a lower version than the newest at the branch point',
      branch: { base: { ...flyway('1', 'init'), ...flyway('3', 'orders') }, head: flyway('2', 'items') },
      errors: [
        {
          messageId: 'flywayRefuses',
          data: { migration: '2', file: 'db/migration/V2__items.sql', newer: '3', newerFile: 'db/migration/V3__orders.sql', target: 'main', newerCommit: null },
          file: 'db/migration/V2__items.sql',
          ...start,
        },
      ],
      output: {},
      renames: { 'db/migration/V2__items.sql': 'db/migration/V4__items.sql' },
    },
    {
      name: 'goose: a timestamp older than one main gained',
      branch: { base: goose('20240101000000', 'users'), target: goose('20240301000000', 'orders'), head: goose('20240201000000', 'items') },
      errors: [
        {
          messageId: 'gooseRefuses',
          data: { migration: '20240201000000', file: 'db/migrations/20240201000000_items.sql', newer: '20240301000000', newerFile: 'db/migrations/20240301000000_orders.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/20240201000000_items.sql',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 13,
        },
      ],
      output: {},
      renames: { 'db/migrations/20240201000000_items.sql': 'db/migrations/20240301000001_items.sql' },
    },
    {
      name: 'dbmate: applied out of order, a warning',
      branch: { base: dbmate('20240101000000', 'users'), target: dbmate('20240301000000', 'orders'), head: dbmate('20240201000000', 'items') },
      errors: [
        {
          messageId: 'appliedOutOfOrder',
          data: { migration: '20240201000000', file: 'db/migrations/20240201000000_items.sql', newer: '20240301000000', newerFile: 'db/migrations/20240301000000_orders.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/20240201000000_items.sql',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 14,
          severity: 'warning',
        },
      ],
      output: {},
      renames: { 'db/migrations/20240201000000_items.sql': 'db/migrations/20240301000001_items.sql' },
    },
    {
      name: 'Prisma: an older folder than one main gained, a warning',
      prisma: branchTree({ target: { '20240105000000_status_index': 'CREATE INDEX "orders_status" ON "orders" ("status");' }, head: { '20240103000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;' } }, '--'),
      errors: [
        {
          messageId: 'appliedOutOfOrder',
          data: {
            migration: '20240103000000_note',
            file: 'prisma/migrations/20240103000000_note/migration.sql',
            newer: '20240105000000_status_index',
            newerFile: 'prisma/migrations/20240105000000_status_index/migration.sql',
            target: 'main',
            newerCommit: null,
          },
          file: 'prisma/migrations/20240103000000_note/migration.sql',
          ...start,
          severity: 'warning',
        },
      ],
      output: {},
      renames: { 'prisma/migrations/20240103000000_note': 'prisma/migrations/20240105000001_note' },
    },
    {
      name: 'a plain directory: a warning, the runner is not known',
      sql: branchTree({ target: { '0003_b.sql': 'SELECT 1;' }, head: { '0002_c.sql': 'SELECT 1;' } }, '--'),
      errors: [
        {
          messageId: 'appliedOutOfOrder',
          data: { migration: '0002_c', file: 'db/migrations/0002_c.sql', newer: '0003_b', newerFile: 'db/migrations/0003_b.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/0002_c.sql',
          ...start,
          severity: 'warning',
        },
      ],
      output: {},
      renames: { 'db/migrations/0002_c.sql': 'db/migrations/0004_c.sql' },
    },
    {
      name: 'golang-migrate: the branch\'s migrations are renumbered together, keeping their order and width',
      branch: { base: golang('000001', 'users'), target: golang('000005', 'orders'), head: { ...golang('000002', 'items'), ...golang('000004', 'prices') } },
      errors: [
        {
          messageId: 'neverApplied',
          data: { migration: '2', file: 'db/migrations/000002_items.up.sql', newer: '5', newerFile: 'db/migrations/000005_orders.up.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/000002_items.up.sql',
          ...start,
        },
        {
          messageId: 'neverApplied',
          data: { migration: '4', file: 'db/migrations/000004_prices.up.sql', newer: '5', newerFile: 'db/migrations/000005_orders.up.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/000004_prices.up.sql',
          ...start,
        },
      ],
      output: {},
      renames: {
        'db/migrations/000002_items.up.sql': 'db/migrations/000006_items.up.sql',
        'db/migrations/000002_items.down.sql': 'db/migrations/000006_items.down.sql',
        'db/migrations/000004_prices.up.sql': 'db/migrations/000007_prices.up.sql',
        'db/migrations/000004_prices.down.sql': 'db/migrations/000007_prices.down.sql',
      },
    },
    {
      name: 'golang-migrate: a later branch migration that was in order moves along to stay after the renumbered one',
      branch: { base: golang('000001', 'users'), target: golang('000003', 'orders'), head: { ...golang('000002', 'items'), ...golang('000004', 'prices') } },
      errors: [
        {
          messageId: 'neverApplied',
          data: { migration: '2', file: 'db/migrations/000002_items.up.sql', newer: '3', newerFile: 'db/migrations/000003_orders.up.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/000002_items.up.sql',
          ...start,
        },
      ],
      output: {},
      renames: {
        'db/migrations/000002_items.up.sql': 'db/migrations/000004_items.up.sql',
        'db/migrations/000002_items.down.sql': 'db/migrations/000004_items.down.sql',
        'db/migrations/000004_prices.up.sql': 'db/migrations/000005_prices.up.sql',
        'db/migrations/000004_prices.down.sql': 'db/migrations/000005_prices.down.sql',
      },
    },
    {
      name: 'Flyway: a dotted version steps its last part, and the script\'s .conf moves with it',
      branch: {
        base: { ...flyway('1', 'init'), ...flyway('1.3', 'orders') },
        head: { ...flyway('1.2', 'items'), 'db/migration/V1.2__items.sql.conf': 'executeInTransaction=false\n' },
      },
      errors: [
        {
          messageId: 'flywayRefuses',
          data: { migration: '1.2', file: 'db/migration/V1.2__items.sql', newer: '1.3', newerFile: 'db/migration/V1.3__orders.sql', target: 'main', newerCommit: null },
          file: 'db/migration/V1.2__items.sql',
          ...start,
        },
      ],
      output: {},
      renames: { 'db/migration/V1.2__items.sql': 'db/migration/V1.4__items.sql', 'db/migration/V1.2__items.sql.conf': 'db/migration/V1.4__items.sql.conf' },
    },
    {
      name: 'no fix when main also added the same file: renaming it would rename main\'s migration',
      branch: {
        base: golang('000001', 'users'),
        target: { ...golang('000002', 'items'), ...golang('000003', 'orders') },
        head: { 'db/migrations/000002_items.up.sql': 'CREATE TABLE items (id bigint);\n', 'db/migrations/000002_items.down.sql': 'DROP TABLE items;\n' },
      },
      errors: [
        {
          messageId: 'neverApplied',
          data: { migration: '2', file: 'db/migrations/000002_items.up.sql', newer: '3', newerFile: 'db/migrations/000003_orders.up.sql', target: 'main', newerCommit: null },
          file: 'db/migrations/000002_items.up.sql',
          ...start,
        },
      ],
      output: null,
    },
    {
      name: 'Knex: an older file name runs after newer ones; renamed to a later timestamp, extension kept',
      branch: { base: knex('20240101000000', 'users'), target: knex('20240301000000', 'orders'), head: knex('20240201000000', 'items') },
      errors: [
        {
          messageId: 'appliedOutOfOrder',
          data: { migration: '20240201000000_items.js', file: 'migrations/20240201000000_items.js', newer: '20240301000000_orders.js', newerFile: 'migrations/20240301000000_orders.js', target: 'main', newerCommit: null },
          file: 'migrations/20240201000000_items.js',
          line: 1,
          column: 9,
          endLine: 1,
          endColumn: 11,
          severity: 'warning',
        },
      ],
      output: {},
      renames: { 'migrations/20240201000000_items.js': 'migrations/20240301000001_items.js' },
    },
    {
      name: 'node-pg-migrate: checkOrder refuses an older prefix; renamed to a later millisecond prefix',
      branch: { base: pgm('1700000000000', 'users'), target: pgm('1800000000000', 'orders'), head: pgm('1750000000000', 'items') },
      errors: [
        {
          messageId: 'nodePgMigrateRefuses',
          data: { migration: '1750000000000_items', file: 'migrations/1750000000000_items.js', newer: '1800000000000_orders', newerFile: 'migrations/1800000000000_orders.js', target: 'main', newerCommit: null },
          file: 'migrations/1750000000000_items.js',
          line: 1,
          column: 9,
          endLine: 1,
          endColumn: 11,
        },
      ],
      output: {},
      renames: { 'migrations/1750000000000_items.js': 'migrations/1800000000001_items.js' },
    },
    {
      name: 'Sequelize: umzug applies the older file silently; renamed to a later timestamp',
      branch: { base: sequelize('20240101000000', 'users'), target: sequelize('20240301000000', 'orders'), head: sequelize('20240201000000', 'items') },
      errors: [
        {
          messageId: 'appliedOutOfOrder',
          data: { migration: '20240201000000-items.js', file: 'migrations/20240201000000-items.js', newer: '20240301000000-orders.js', newerFile: 'migrations/20240301000000-orders.js', target: 'main', newerCommit: null },
          file: 'migrations/20240201000000-items.js',
          line: 2,
          column: 9,
          endLine: 2,
          endColumn: 11,
          severity: 'warning',
        },
      ],
      output: {},
      renames: { 'migrations/20240201000000-items.js': 'migrations/20240301000001-items.js' },
    },
    {
      name: 'TypeORM: by the timestamp ending the class name; the file is renamed and the class name edited (resequence.test.ts applies it)',
      branch: { base: typeorm('1700000000000', 'Users'), target: typeorm('1800000000000', 'Orders'), head: typeorm('1750000000000', 'Items') },
      errors: [
        {
          messageId: 'appliedOutOfOrder',
          data: { migration: 'Items1750000000000', file: 'src/migrations/1750000000000-Items.ts', newer: 'Orders1800000000000', newerFile: 'src/migrations/1800000000000-Orders.ts', target: 'main', newerCommit: null },
          file: 'src/migrations/1750000000000-Items.ts',
          line: 4,
          column: 18,
          endLine: 4,
          endColumn: 20,
          severity: 'warning',
        },
      ],
      output: {},
      renames: { 'src/migrations/1750000000000-Items.ts': 'src/migrations/1800000000001-Items.ts' },
    },
  ],
});
