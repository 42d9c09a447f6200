import rule from '../../rules/cannot-run-in-transaction.js';
import { ruleTester } from '../helpers/rule-tester.js';

const CIC = { operation: 'CREATE INDEX CONCURRENTLY', lock: 'SHARE UPDATE EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: [] };
const djangoConcurrent = (atomic: boolean) =>
  [
    'from django.contrib.postgres.operations import AddIndexConcurrently',
    'from django.db import migrations, models',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(atomic ? [] : ['    atomic = False']),
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    "        AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx')),",
    '    ]',
  ].join('\n');

ruleTester.run(rule, {
  valid: [
    {
      name: 'Knex: the migration opts out with exports.config',
      files: { 'migrations/20240102000000_idx.js': "exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');\nexports.down = (knex) => knex.raw('DROP INDEX CONCURRENTLY orders_status_idx');\n" },
    },
    {
      name: 'Sequelize runs no transaction',
      files: { 'migrations/20240102000000-idx.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex('orders', ['status'], { concurrently: true });\n  },\n  async down(queryInterface) {\n    await queryInterface.removeIndex('orders', ['status']);\n  },\n};\n" },
    },
    {
      name: 'node-pg-migrate with noTransaction()',
      files: { 'migrations/1_idx.js': "exports.up = (pgm) => {\n  pgm.noTransaction();\n  pgm.createIndex('orders', 'status', { concurrently: true });\n};\n" },
    },
    { name: 'sql: CONCURRENTLY in a plain file, no BEGIN', sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' },
    { name: 'sql: CONCURRENTLY after the COMMIT of an explicit block', sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' },
    { name: 'prisma: CONCURRENTLY alone in its migration.sql', prisma: 'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");' },
    { name: 'django: AddIndexConcurrently with atomic = False', django: djangoConcurrent(false) },
    { name: 'sql: ALTER TYPE ADD VALUE inside BEGIN on PostgreSQL 12+', sql: "CREATE TYPE mood AS ENUM ('sad');\nBEGIN;\nALTER TYPE mood ADD VALUE 'happy';\nCOMMIT;" },
  ],
  invalid: [
    {
      name: 'Knex: all pending migrations run in one transaction',
      files: { 'migrations/20240102000000_idx.js': "exports.up = async (knex) => {\n  await knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');\n};\nexports.down = (knex) => knex.raw('DROP INDEX orders_status_idx');\n" },
      errors: [
        {
          messageId: 'inTransaction',
          data: { operation: 'CREATE INDEX CONCURRENTLY', transaction: 'framework', lock: 'SHARE UPDATE EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: [] },
          line: 2,
          column: 19,
          endLine: 2,
          endColumn: 81,
          file: 'migrations/20240102000000_idx.js',
        },
      ],
      output: null,
    },
    {
      name: 'node-pg-migrate: createIndex concurrently without noTransaction()',
      files: { 'migrations/1_idx.js': "exports.up = (pgm) => {\n  pgm.createIndex('orders', 'status', { concurrently: true });\n};\n" },
      errors: [
        {
          messageId: 'inTransaction',
          data: { operation: 'CREATE INDEX CONCURRENTLY', transaction: 'framework', lock: 'SHARE UPDATE EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: [] },
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 62,
          file: 'migrations/1_idx.js',
        },
      ],
      output: null,
    },
    {
      name: 'django: AddIndexConcurrently in an atomic migration (Django raises NotSupportedError)',
      django: djangoConcurrent(true),
      errors: [
        {
          messageId: 'inTransaction',
          data: { ...CIC, tables: ['shop_item'], transaction: 'framework' },
          line: 8,
          column: 9,
          endLine: 8,
          endColumn: 107,
        },
      ],
      output: null,
    },
    {
      name: 'sql: CONCURRENTLY inside BEGIN ... COMMIT',
      sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\nCOMMIT;',
      errors: [{ messageId: 'inTransaction', data: { ...CIC, transaction: 'explicit' }, line: 2, column: 1, endLine: 2, endColumn: 63 }],
      output: null,
    },
    {
      name: 'prisma: CONCURRENTLY in a file with another statement, even after COMMIT',
      prisma: 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;\nCOMMIT;\nCREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");',
      errors: [{ messageId: 'inTransaction', data: { ...CIC, transaction: 'implicit' }, line: 3, column: 1, endLine: 3, endColumn: 68 }],
      output: null,
    },
    {
      name: 'sql: ALTER TYPE ADD VALUE inside BEGIN on PostgreSQL 11',
      sql: "CREATE TYPE mood AS ENUM ('sad');\nBEGIN;\nALTER TYPE mood ADD VALUE 'happy';\nCOMMIT;",
      options: { target: { pgVersion: 11 } },
      errors: [
        {
          messageId: 'inTransaction',
          data: { operation: 'ALTER TYPE ADD VALUE', transaction: 'explicit', lock: 'none', tables: [], rewrite: false, blocks: [] },
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 34,
        },
      ],
      output: null,
    },
  ],
});
