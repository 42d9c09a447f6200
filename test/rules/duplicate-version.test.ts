import rule from '../../rules/duplicate-version.js';
import { djangoModule, fileTree } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ORDERS = 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n';
const NOTE_UP = 'ALTER TABLE orders ADD COLUMN note text;\n';
const NOTE_DOWN = 'ALTER TABLE orders DROP COLUMN note;\n';
const NAME_UP = 'ALTER TABLE users ADD COLUMN name text;\n';
const NAME_DOWN = 'ALTER TABLE users DROP COLUMN name;\n';

/** The first line of a migration file, where findings on a file without a declaration point. */
const FILE_START = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** A golang-migrate directory: version 1 with its down, then the given files. */
const golang = (files: Record<string, string>): Record<string, string> => ({
  'db/migrations/000001_create_orders.up.sql': ORDERS,
  'db/migrations/000001_create_orders.down.sql': 'DROP TABLE orders;\n',
  ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`db/migrations/${name}`, text])),
});

const flyway = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [`db/migration/${n}`, NOTE_UP]));

const goose = (up: string, down: string) => `-- +goose Up\n${up}\n-- +goose Down\n${down}`;
const dbmate = (up: string, down: string) => `-- migrate:up\n${up}\n-- migrate:down\n${down}`;

/** Two branches each added a Prisma migration with the same timestamp. */
const prismaPair = (a: string, b: string) =>
  [`-- file: ${a}`, 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;', '', `-- file: ${b}`, 'ALTER TABLE "users" ADD COLUMN "name" TEXT;'].join('\n');

ruleTester.run(rule, {
  valid: [
    {
      name: 'golang-migrate: an up and a down file share their version',
      files: golang({ '000002_add_orders_note.up.sql': NOTE_UP, '000002_add_orders_note.down.sql': NOTE_DOWN }),
    },
    {
      name: 'golang-migrate: the same version in two different directories (two sets)',
      files: { 'a/migrations/000001_x.up.sql': ORDERS, 'b/migrations/000001_x.up.sql': ORDERS },
    },
    {
      name: 'Flyway: 1.1, 1.10 and 1.2 are different versions; repeatables and undo scripts have none of their own',
      files: { ...flyway(['V1__a.sql', 'V1_1__b.sql', 'V1_10__c.sql', 'V1.2__d.sql', 'R__view_a.sql', 'R__view_b.sql']), 'db/migration/U1__a.sql': 'SELECT 1;\n' },
    },
    {
      name: 'goose: different numbers',
      files: { 'migrations/00001_create_orders.sql': goose(ORDERS, 'DROP TABLE orders;\n'), 'migrations/00002_add_orders_note.sql': goose(NOTE_UP, NOTE_DOWN) },
    },
    {
      name: 'dbmate: 0020240101 and 20240101 are different versions (dbmate compares the digits as text)',
      files: { 'db/migrations/0020240101_a.sql': dbmate(NOTE_UP, NOTE_DOWN), 'db/migrations/20240101_b.sql': dbmate(NAME_UP, NAME_DOWN) },
    },
    { name: 'a plain directory with different numbers', sql: NOTE_UP },
    { name: 'Prisma with different timestamps', prisma: 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;\n' },
    {
      name: 'Prisma: folders without a timestamp have no version to share',
      prisma: prismaPair('0_baseline', '1_baseline'),
    },
    {
      name: 'Django: two 0002_ migrations in a chain (the number is cosmetic)',
      django: fileTree({
        'shop/migrations/0001_initial.py': djangoModule([], { initial: true }),
        'shop/migrations/0002_add_price.py': djangoModule(["('shop', '0001_initial')"]),
        'shop/migrations/0002_add_sku.py': djangoModule(["('shop', '0002_add_price')"]),
      }),
    },
    {
      name: 'suppressed in the later file, with a reason',
      files: golang({
        '000002_a.up.sql': NOTE_UP,
        '000002_b.up.sql': `-- migrate-lint-ignore-file duplicate-version: applied everywhere already, the tool is pinned to a fork\n${NAME_UP}`,
      }),
    },
  ],
  invalid: [
    {
      name: 'comparison: main gained 000002 and the branch adds its own 000002, which sorts first',
      branch: {
        base: golang({}),
        target: { 'db/migrations/000002_b_note.up.sql': NOTE_UP },
        head: { 'db/migrations/000002_a_name.up.sql': NAME_UP },
      },
      errors: [
        {
          messageId: 'golangMigrate',
          data: { version: '2', files: ['db/migrations/000002_a_name.up.sql', 'db/migrations/000002_b_note.up.sql'], duplicate: '000002_b_note.up.sql' },
          file: 'db/migrations/000002_a_name.up.sql',
          ...FILE_START,
        },
      ],
      output: {},
      renames: { 'db/migrations/000002_a_name.up.sql': 'db/migrations/000003_a_name.up.sql' },
    },
    {
      name: 'golang-migrate: two branches each added version 2 with its down',
      files: golang({
        '000002_add_orders_note.up.sql': NOTE_UP,
        '000002_add_orders_note.down.sql': NOTE_DOWN,
        '000002_add_users_name.up.sql': NAME_UP,
        '000002_add_users_name.down.sql': NAME_DOWN,
      }),
      errors: [
        {
          messageId: 'golangMigrate',
          // golang-migrate lists the directory in name order: the second version-2 down file comes first.
          data: { version: '2', files: ['db/migrations/000002_add_orders_note.up.sql', 'db/migrations/000002_add_users_name.up.sql'], duplicate: '000002_add_users_name.down.sql' },
          ...FILE_START,
          file: 'db/migrations/000002_add_users_name.up.sql',
        },
      ],
      output: null,
    },
    {
      name: 'golang-migrate: 000002 and 2 are the same version',
      files: golang({ '000002_a.up.sql': NOTE_UP, '2_b.up.sql': NAME_UP }),
      errors: [
        {
          messageId: 'golangMigrate',
          data: { version: '2', files: ['db/migrations/000002_a.up.sql', 'db/migrations/2_b.up.sql'], duplicate: '2_b.up.sql' },
          ...FILE_START,
          file: 'db/migrations/2_b.up.sql',
        },
      ],
      output: null,
    },
    {
      name: 'golang-migrate: three files with one version, reported at each after the first',
      files: golang({ '000003_a.up.sql': NOTE_UP, '000003_b.up.sql': NAME_UP, '000003_c.up.sql': 'SELECT 1;\n' }),
      errors: ['b', 'c'].map((x) => ({
        messageId: 'golangMigrate' as const,
        data: { version: '3', files: ['db/migrations/000003_a.up.sql', 'db/migrations/000003_b.up.sql', 'db/migrations/000003_c.up.sql'], duplicate: '000003_b.up.sql' },
        ...FILE_START,
        file: `db/migrations/000003_${x}.up.sql`,
      })),
      output: null,
    },
    {
      name: 'golang-migrate: a second down file for a version is a duplicate too',
      files: golang({ '000002_a.up.sql': NOTE_UP, '000002_a.down.sql': NOTE_DOWN, '000002_b.down.sql': NAME_DOWN }),
      errors: [
        {
          messageId: 'golangMigrate',
          data: { version: '2', files: ['db/migrations/000002_a.up.sql', 'db/migrations/000002_b.down.sql'], duplicate: '000002_b.down.sql' },
          ...FILE_START,
          file: 'db/migrations/000002_b.down.sql',
        },
      ],
      output: null,
    },
    {
      name: 'Flyway: V1_2 and V1.2 are the same version (Flyway reads _ as .)',
      files: flyway(['V1__orders.sql', 'V1_2__a.sql', 'V1.2__b.sql']),
      errors: [
        {
          messageId: 'flyway',
          // Equal versions fall back to the file name, where `.` sorts before `_`.
          data: { version: '1.2', files: ['db/migration/V1.2__b.sql', 'db/migration/V1_2__a.sql'] },
          ...FILE_START,
          file: 'db/migration/V1_2__a.sql',
        },
      ],
      output: null,
    },
    {
      name: 'Flyway: V1.2 and V1.2.0 are the same version (trailing zeros are dropped)',
      files: flyway(['V1.2__a.sql', 'V1.2.0__b.sql']),
      errors: [
        {
          messageId: 'flyway',
          data: { version: '1.2', files: ['db/migration/V1.2.0__b.sql', 'db/migration/V1.2__a.sql'] },
          ...FILE_START,
          file: 'db/migration/V1.2__a.sql',
        },
      ],
      output: null,
    },
    {
      name: 'goose: two files numbered 2, reported at the later one\'s Up annotation',
      files: {
        'migrations/00001_create_orders.sql': goose(ORDERS, 'DROP TABLE orders;\n'),
        'migrations/00002_add_orders_note.sql': goose(NOTE_UP, NOTE_DOWN),
        'migrations/00002_add_users_name.sql': goose(NAME_UP, NAME_DOWN),
      },
      errors: [
        {
          messageId: 'goose',
          data: { version: '2', files: ['migrations/00002_add_orders_note.sql', 'migrations/00002_add_users_name.sql'] },
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 13,
          file: 'migrations/00002_add_users_name.sql',
        },
      ],
      output: null,
    },
    {
      name: 'dbmate: two files with the same timestamp, reported at the later one\'s up marker',
      files: { 'db/migrations/20240102120000_add_orders_note.sql': dbmate(NOTE_UP, NOTE_DOWN), 'db/migrations/20240102120000_add_users_name.sql': dbmate(NAME_UP, NAME_DOWN) },
      errors: [
        {
          messageId: 'dbmate',
          data: { version: '20240102120000', files: ['db/migrations/20240102120000_add_orders_note.sql', 'db/migrations/20240102120000_add_users_name.sql'] },
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 14,
          file: 'db/migrations/20240102120000_add_users_name.sql',
        },
      ],
      output: null,
    },
    {
      name: 'Prisma: two folders with one timestamp are a warning',
      prisma: prismaPair('20240102000000_add_orders_note', '20240102000000_add_users_name'),
      errors: [
        {
          messageId: 'prisma',
          data: { version: '20240102000000', files: ['prisma/migrations/20240102000000_add_orders_note/migration.sql', 'prisma/migrations/20240102000000_add_users_name/migration.sql'] },
          ...FILE_START,
          file: 'prisma/migrations/20240102000000_add_users_name/migration.sql',
          severity: 'warning',
        },
      ],
      output: null,
    },
    {
      name: 'Prisma: the order is localeCompare of the folder names (alpha before Beta), not code units',
      prisma: prismaPair('20240102000000_Beta', '20240102000000_alpha'),
      errors: [
        {
          messageId: 'prisma',
          data: { version: '20240102000000', files: ['prisma/migrations/20240102000000_alpha/migration.sql', 'prisma/migrations/20240102000000_Beta/migration.sql'] },
          ...FILE_START,
          file: 'prisma/migrations/20240102000000_Beta/migration.sql',
          severity: 'warning',
        },
      ],
      output: null,
    },
    {
      name: 'a plain directory: 0002 and 2 are the same number, a warning',
      sql: ['-- file: 0002_add_orders_note.sql', NOTE_UP, '-- file: 2-add-users-name.sql', NAME_UP].join('\n'),
      errors: [
        {
          messageId: 'plain',
          data: { version: '2', files: ['db/migrations/0002_add_orders_note.sql', 'db/migrations/2-add-users-name.sql'] },
          ...FILE_START,
          file: 'db/migrations/2-add-users-name.sql',
          severity: 'warning',
        },
      ],
      output: null,
    },
    {
      name: 'a plain directory: a new file numbered like the first one',
      sql: ['-- file: 1_seed.sql', "INSERT INTO users (email) VALUES ('admin@example.com');"].join('\n'),
      errors: [
        {
          messageId: 'plain',
          data: { version: '1', files: ['db/migrations/0001_init.sql', 'db/migrations/1_seed.sql'] },
          ...FILE_START,
          file: 'db/migrations/1_seed.sql',
          severity: 'warning',
        },
      ],
      output: null,
    },
  ],
});
