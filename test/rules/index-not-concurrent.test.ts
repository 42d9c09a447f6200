import { djangoMigration } from '../../src/engine/examples.js';
import rule from '../../rules/index-not-concurrent.js';
import { ruleTester } from '../helpers/rule-tester.js';

const SHARE_ON_ORDERS = { lock: 'SHARE', tables: ['orders'], rewrite: false, blocks: ['writes'] };

ruleTester.run(rule, {
  valid: [
    {
      name: 'node-pg-migrate: createIndex concurrently outside the transaction',
      files: { 'migrations/1_idx.js': "exports.up = (pgm) => {\n  pgm.noTransaction();\n  pgm.createIndex('orders', 'status', { concurrently: true });\n};\n" },
    },
    { name: 'sql: built concurrently', sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' },
    { name: 'sql: dropped concurrently', sql: 'DROP INDEX CONCURRENTLY orders_status_idx;' },
    { name: 'sql: reindexed concurrently', sql: 'REINDEX INDEX CONCURRENTLY orders_status_idx;' },
    {
      name: 'sql: index on a table created in the same file, no BEGIN (squawk only exempts it inside one)',
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);\nCREATE INDEX refunds_order_idx ON refunds (order_id);',
    },
    {
      name: 'prisma: index on a table the same migration creates',
      prisma: '-- CreateTable\nCREATE TABLE "Refund" ("id" SERIAL NOT NULL, "orderId" INTEGER NOT NULL);\n\n-- CreateIndex\nCREATE INDEX "Refund_orderId_idx" ON "Refund"("orderId");',
    },
    {
      name: 'django: AddIndex on a model created earlier in the same migration',
      django: djangoMigration(["migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True)), ('note', models.TextField())])", "migrations.AddIndex(model_name='refund', index=models.Index(fields=['note'], name='refund_note_idx'))"]),
    },
    {
      name: 'django: AddIndexConcurrently',
      django: djangoMigration(["AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"], { atomic: false, imports: ['from django.contrib.postgres.operations import AddIndexConcurrently'] }),
    },
    {
      name: 'prisma: a MySQL history is not judged by PostgreSQL locks',
      files: {
        'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE orders (id int PRIMARY KEY, status varchar(20));\n',
        'prisma/migrations/20240102000000_change/migration.sql': 'CREATE INDEX orders_status_idx ON orders (status);\n',
      },
    },
  ],
  invalid: [
    {
      name: 'knex: t.index() in alterTable',
      files: { 'migrations/20240102000000_idx.js': "exports.up = (knex) => knex.schema.alterTable('orders', (t) => {\n  t.index(['status']);\n});\nexports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropIndex(['status']));\n" },
      errors: [{ messageId: 'build', data: SHARE_ON_ORDERS, line: 2, column: 3, endLine: 2, endColumn: 22, file: 'migrations/20240102000000_idx.js' }],
      output: null,
    },
    {
      name: 'typeorm: queryRunner.query with a template literal',
      files: {
        'src/migrations/1700000000000-Idx.ts':
          'export class Idx1700000000000 implements MigrationInterface {\n  async up(queryRunner: QueryRunner) {\n    await queryRunner.query(`CREATE INDEX "IDX_status" ON "orders" ("status")`);\n  }\n  async down(queryRunner: QueryRunner) {\n    await queryRunner.query(`DROP INDEX "IDX_status"`);\n  }\n}\n',
      },
      errors: [{ messageId: 'build', data: SHARE_ON_ORDERS, line: 3, column: 30, endLine: 3, endColumn: 78, file: 'src/migrations/1700000000000-Idx.ts' }],
      output: null,
    },
    {
      name: 'sequelize: addIndex without concurrently',
      files: { 'migrations/20240102000000-idx.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex('orders', ['status']);\n  },\n  async down(queryInterface) {\n    await queryInterface.removeIndex('orders', ['status']);\n  },\n};\n" },
      errors: [{ messageId: 'build', data: SHARE_ON_ORDERS, line: 3, column: 11, endLine: 3, endColumn: 56, file: 'migrations/20240102000000-idx.js' }],
      output: null,
    },
    {
      name: 'sql: plain CREATE INDEX on an existing table',
      sql: 'CREATE INDEX orders_status_idx ON orders (status);',
      errors: [
        {
          messageId: 'build',
          data: SHARE_ON_ORDERS,
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 50,
        },
      ],
      output: null,
    },
    {
      name: 'prisma: generated CREATE UNIQUE INDEX',
      prisma: '-- CreateIndex\nCREATE UNIQUE INDEX "users_email_key" ON "users"("email");\n',
      errors: [{ messageId: 'build', data: { lock: 'SHARE', tables: ['users'], rewrite: false, blocks: ['writes'] }, line: 2, column: 1, endLine: 2, endColumn: 58 }],
      output: null,
    },
    {
      name: 'sql: DROP INDEX and REINDEX',
      sql: 'DROP INDEX orders_status_idx;\nREINDEX TABLE orders;',
      errors: [
        { messageId: 'drop', data: { lock: 'ACCESS EXCLUSIVE', tables: ['orders_status_idx'], rewrite: false, blocks: ['reads', 'writes'] }, line: 1, column: 1, endLine: 1, endColumn: 29 },
        { messageId: 'reindex', data: { lock: 'ACCESS EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: ['reads', 'writes'] }, line: 2, column: 1, endLine: 2, endColumn: 21 },
      ],
      output: null,
    },
    {
      name: 'django: AddIndex on an existing model',
      django: djangoMigration(["migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"]),
      errors: [{ messageId: 'build', data: { lock: 'SHARE', tables: ['shop_item'], rewrite: false, blocks: ['writes'] }, line: 7, column: 9, endLine: 7, endColumn: 106 }],
      output: null,
    },
    {
      name: 'django: RunSQL with a plain CREATE INDEX',
      django: djangoMigration(["migrations.RunSQL('CREATE INDEX item_name_idx ON shop_item (name)', 'DROP INDEX item_name_idx')"]),
      errors: [{ messageId: 'build', data: { lock: 'SHARE', tables: ['shop_item'], rewrite: false, blocks: ['writes'] }, line: 7, column: 28, endLine: 7, endColumn: 74 }],
      output: null,
    },
  ],
});
