import rule from '../../rules/column-type-rewrite.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE = { lock: 'ACCESS EXCLUSIVE', rewrite: true, blocks: ['reads', 'writes'] };
const ORDERS = { ...AE, tables: ['orders'] };
const ITEM = { ...AE, tables: ['shop_item'] };
/** Columns whose type the same file states, so each change below is judged on known types. */
const ADD_KNOWN = 'ALTER TABLE orders ADD COLUMN code varchar(20), ADD COLUMN qty integer, ADD COLUMN amount numeric(10, 2), ADD COLUMN seen timestamp;';
const known = (alter: string) => `${ADD_KNOWN}\n${alter}`;
const djangoField = (name: string, from: string, to: string) => [
  `migrations.AddField(model_name='item', name='${name}', field=models.${from})`,
  `migrations.AlterField(model_name='item', name='${name}', field=models.${to})`,
];

ruleTester.run(rule, {
  valid: [
    // The columns of 0001_init.sql: their types are known only if the SQL front end carries schema state
    // from one migration to the next.
    { name: 'sql: varchar(20) to varchar(50) on orders.status (0001_init.sql)', sql: 'ALTER TABLE orders ALTER COLUMN status TYPE varchar(50);' },
    { name: 'sql: varchar to text on orders.status (0001_init.sql)', sql: 'ALTER TABLE orders ALTER COLUMN status TYPE text;' },
    { name: 'sql: numeric(10,2) to numeric(12,2) on orders.total (0001_init.sql)', sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);' },
    {
      name: 'sql: timestamp to timestamptz with --time-zone UTC on PostgreSQL 12+ (orders.created_at, 0001_init.sql)',
      sql: 'ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz;',
      options: { target: { timeZone: 'UTC' } },
    },
    { name: 'sql: varchar widening, type known in the same file', sql: known('ALTER TABLE orders ALTER COLUMN code TYPE varchar(50);') },
    { name: 'sql: varchar to text, type known in the same file', sql: known('ALTER TABLE orders ALTER COLUMN code TYPE text;') },
    { name: 'sql: numeric precision widening at the same scale, type known in the same file', sql: known('ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12, 2);') },
    { name: 'sql: timestamp to timestamptz, time zone UTC, type known in the same file', sql: known('ALTER TABLE orders ALTER COLUMN seen TYPE timestamptz;'), options: { target: { timeZone: 'UTC' } } },
    { name: 'sql: USING the column itself decides as without USING', sql: known('ALTER TABLE orders ALTER COLUMN code TYPE text USING code::text;') },
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE refunds (id integer PRIMARY KEY);\nALTER TABLE refunds ALTER COLUMN id TYPE bigint;' },
    { name: 'prisma: VARCHAR widening on orders.status (0001_init)', prisma: '-- AlterTable\nALTER TABLE "orders" ALTER COLUMN "status" SET DATA TYPE VARCHAR(50);' },
    { name: 'django: max_length 100 to 200', django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=200))"]) },
    { name: 'django: CharField to TextField', django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.TextField())"]) },
    { name: 'django: DecimalField max_digits 10 to 12', django: djangoMigration(djangoField('price', 'DecimalField(max_digits=10, decimal_places=2, null=True)', 'DecimalField(max_digits=12, decimal_places=2, null=True)')) },
    { name: 'django: an AlterField that keeps the type', django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=100, help_text='Shown in the shop'))"]) },
  ],
  invalid: [
    {
      name: 'sql: a USING expression rewrites whatever the types',
      sql: 'ALTER TABLE orders ALTER COLUMN total TYPE bigint USING (total * 100)::bigint;',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'total', from: 'numeric(10,2)', to: 'bigint' }, line: 1, column: 1, endLine: 1, endColumn: 78 }],
      output: null,
    },
    {
      name: 'sql: integer to bigint',
      sql: known('ALTER TABLE orders ALTER COLUMN qty TYPE bigint;'),
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'qty', from: 'integer', to: 'bigint' }, line: 2, column: 1, endLine: 2, endColumn: 48 }],
      output: null,
    },
    {
      name: 'sql: varchar shrink',
      sql: known('ALTER TABLE orders ALTER COLUMN code TYPE varchar(10);'),
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'code', from: 'varchar(20)', to: 'varchar(10)' }, line: 2, column: 1, endLine: 2, endColumn: 54 }],
      output: null,
    },
    {
      name: 'sql: numeric scale change',
      sql: known('ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12, 4);'),
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'amount', from: 'numeric(10,2)', to: 'numeric(12,4)' }, line: 2, column: 1, endLine: 2, endColumn: 59 }],
      output: null,
    },
    {
      name: 'sql: timestamp to timestamptz with the time zone not known (warning)',
      sql: known('ALTER TABLE orders ALTER COLUMN seen TYPE timestamptz;'),
      errors: [{ messageId: 'mayRewrite', data: { ...ORDERS, column: 'seen', from: 'timestamp', to: 'timestamptz' }, line: 2, column: 1, endLine: 2, endColumn: 54, severity: 'warning' }],
      output: null,
    },
    {
      name: 'sql: timestamp to timestamptz in UTC before PostgreSQL 12',
      sql: known('ALTER TABLE orders ALTER COLUMN seen TYPE timestamptz;'),
      options: { target: { pgVersion: 11, timeZone: 'UTC' } },
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'seen', from: 'timestamp', to: 'timestamptz' }, line: 2, column: 1, endLine: 2, endColumn: 54 }],
      output: null,
    },
    {
      name: 'sql: a column whose type this migration cannot see (warning, not a guess)',
      sql: 'ALTER TABLE legacy_orders ALTER COLUMN amount TYPE numeric(12, 2);',
      errors: [{ messageId: 'unknownFrom', data: { ...AE, tables: ['legacy_orders'], column: 'amount', to: 'numeric(12,2)' }, line: 1, column: 1, endLine: 1, endColumn: 66, severity: 'warning' }],
      output: null,
    },
    {
      name: 'sql: varchar shrink on orders.status (0001_init.sql)',
      sql: 'ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'status', from: 'varchar(20)', to: 'varchar(10)' }, line: 1, column: 1, endLine: 1, endColumn: 56 }],
      output: null,
    },
    {
      name: 'prisma: a USING expression',
      prisma: '-- AlterTable\nALTER TABLE "orders" ALTER COLUMN "total" SET DATA TYPE BIGINT USING ("total" * 100)::bigint;',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'total', from: 'numeric(10,2)', to: 'bigint' }, line: 2, column: 1, endLine: 2, endColumn: 93 }],
      output: null,
    },
    {
      name: 'django: max_length 100 to 50',
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=50))"]),
      errors: [{ messageId: 'rewrites', data: { ...ITEM, column: 'name', from: 'varchar(100)', to: 'varchar(50)' }, line: 7, column: 9, endLine: 7, endColumn: 101 }],
      output: null,
    },
    {
      name: 'django: IntegerField to BigIntegerField',
      django: djangoMigration(djangoField('qty', 'IntegerField(null=True)', 'BigIntegerField(null=True)')),
      errors: [{ messageId: 'rewrites', data: { ...ITEM, column: 'qty', from: 'integer', to: 'bigint' }, line: 8, column: 9, endLine: 8, endColumn: 102 }],
      output: null,
    },
  ],
});
