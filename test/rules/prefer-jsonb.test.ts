import rule from '../../rules/prefer-jsonb.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    { name: 'sql: jsonb', sql: 'ALTER TABLE orders ADD COLUMN meta jsonb;' },
    { name: 'sql: a new table with jsonb', sql: 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb NOT NULL);' },
    { name: 'sql: a text column named json', sql: 'ALTER TABLE orders ADD COLUMN json text;' },
    { name: 'prisma: Json maps to JSONB', prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN     "meta" JSONB;' },
    { name: 'django: JSONField is jsonb', django: djangoMigration(["migrations.AddField(model_name='item', name='meta', field=models.JSONField(null=True))"]) },
    {
      name: 'prisma: MySQL has only one JSON type',
      files: {
        'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE `orders` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n',
        'prisma/migrations/20240102000000_change/migration.sql': 'ALTER TABLE `orders` ADD COLUMN `meta` JSON NULL;\n',
      },
    },
  ],
  invalid: [
    {
      name: 'sql: ADD COLUMN json',
      sql: 'ALTER TABLE orders ADD COLUMN meta json;',
      errors: [{ messageId: 'json', data: { table: 'orders', column: 'meta', type: 'json' }, line: 1, column: 1, endLine: 1, endColumn: 40 }],
      output: null,
    },
    {
      name: 'sql: CREATE TABLE with json and json[] columns (new tables too)',
      sql: 'CREATE TABLE events (\n    id bigint PRIMARY KEY,\n    payload json NOT NULL,\n    history json[]\n);',
      errors: [
        { messageId: 'json', data: { table: 'events', column: 'payload', type: 'json' }, line: 1, column: 1, endLine: 5, endColumn: 2 },
        { messageId: 'json', data: { table: 'events', column: 'history', type: 'json[]' }, line: 1, column: 1, endLine: 5, endColumn: 2 },
      ],
      output: null,
    },
    {
      name: 'sql: ALTER COLUMN TYPE json',
      sql: 'ALTER TABLE orders ADD COLUMN meta text;\nALTER TABLE orders ALTER COLUMN meta TYPE json USING meta::json;',
      errors: [{ messageId: 'json', data: { table: 'orders', column: 'meta', type: 'json' }, line: 2, column: 1, endLine: 2, endColumn: 64 }],
      output: null,
    },
    {
      name: 'prisma: @db.Json',
      prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN     "meta" JSON;',
      errors: [{ messageId: 'json', data: { table: 'orders', column: 'meta', type: 'json' }, line: 2, column: 1, endLine: 2, endColumn: 48 }],
      output: null,
    },
    {
      name: 'django: RunSQL adding a json column',
      django: djangoMigration([runSql('ALTER TABLE shop_item ADD COLUMN meta json', 'ALTER TABLE shop_item DROP COLUMN meta')]),
      errors: [{ messageId: 'json', data: { table: 'shop_item', column: 'meta', type: 'json' }, line: 7, column: 28, endLine: 7, endColumn: 70 }],
      output: null,
    },
  ],
});
