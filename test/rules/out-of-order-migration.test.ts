import rule from '../../rules/out-of-order-migration.js';
import { branchTree } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const start = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const golang = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.up.sql`]: `CREATE TABLE ${name} (id int);\n`, [`db/migrations/${v}_${name}.down.sql`]: `DROP TABLE ${name};\n` });
const flyway = (v: string, name: string) => ({ [`db/migration/V${v}__${name}.sql`]: `CREATE TABLE ${name} (id int);\n` });
const goose = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.sql`]: `-- +goose Up\nCREATE TABLE ${name} (id int);\n-- +goose Down\nDROP TABLE ${name};\n` });
const dbmate = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.sql`]: `-- migrate:up\nCREATE TABLE ${name} (id int);\n-- migrate:down\nDROP TABLE ${name};\n` });

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
      output: null,
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
      output: null,
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
      output: null,
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
      output: null,
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
      output: null,
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
      output: null,
    },
  ],
});
