import rule from '../../rules/add-column-rewrites-table.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE = { lock: 'ACCESS EXCLUSIVE', rewrite: true, blocks: ['reads', 'writes'] };
const ORDERS = { ...AE, tables: ['orders'] };
const ITEM = { ...AE, tables: ['shop_item'] };
const addField = (field: string) => `migrations.AddField(model_name='item', name='ref', field=${field})`;

ruleTester.run(rule, {
  valid: [
    { name: 'sql: a stable default (now() is STABLE: stored once in the catalog; strong_migrations flags it)', sql: 'ALTER TABLE orders ADD COLUMN placed_at timestamptz NOT NULL DEFAULT now();' },
    { name: 'sql: CURRENT_TIMESTAMP', sql: 'ALTER TABLE orders ADD COLUMN placed_at timestamptz DEFAULT CURRENT_TIMESTAMP;' },
    { name: 'sql: a constant default on PostgreSQL 11 (no rewrite from 11 on)', sql: 'ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;', options: { target: { pgVersion: 11 } } },
    { name: 'sql: DEFAULT NULL is no default', sql: 'ALTER TABLE orders ADD COLUMN note text DEFAULT NULL;', options: { target: { pgVersion: 10 } } },
    { name: 'sql: nullable column without a default', sql: 'ALTER TABLE orders ADD COLUMN public_id uuid;' },
    { name: 'sql: SET DEFAULT with a volatile function only applies to new rows', sql: 'ALTER TABLE orders ADD COLUMN public_id uuid;\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();' },
    { name: 'sql: a virtual generated column (PostgreSQL 18) is computed on read', sql: 'ALTER TABLE orders ADD COLUMN total_cents numeric GENERATED ALWAYS AS (total * 100) VIRTUAL;' },
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY);\nALTER TABLE refunds ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();' },
    { name: 'prisma: dbgenerated now() default', prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "placed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;' },
    { name: 'django: a constant default', django: djangoMigration(["migrations.AddField(model_name='item', name='price', field=models.IntegerField(default=0))"]) },
    {
      name: 'django: a callable default is computed once by Django, so PostgreSQL gets a constant',
      django: `import uuid\n\n${djangoMigration([addField('models.UUIDField(default=uuid.uuid4)')])}`,
    },
    {
      name: 'django: db_default=Now() is STATEMENT_TIMESTAMP(), which is stable',
      django: `from django.db.models.functions import Now\n${djangoMigration(["migrations.AddField(model_name='item', name='created', field=models.DateTimeField(db_default=Now()))"])}`,
    },
    {
      name: 'django: a model created earlier in the same migration',
      django: `from django.contrib.postgres.functions import RandomUUID\n${djangoMigration([
        "migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True))])",
        "migrations.AddField(model_name='refund', name='ref', field=models.UUIDField(db_default=RandomUUID()))",
      ])}`,
    },
  ],
  invalid: [
    {
      name: 'sql: volatile default',
      sql: 'ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'public_id', cause: 'volatile-default' }, line: 1, column: 1, endLine: 1, endColumn: 80 }],
      output: null,
    },
    {
      name: 'sql: clock_timestamp() and nextval() in one ALTER TABLE',
      sql: "ALTER TABLE orders\n    ADD COLUMN touched_at timestamptz DEFAULT clock_timestamp(),\n    ADD COLUMN rank bigint DEFAULT nextval('orders_rank_seq');",
      errors: [
        { messageId: 'rewrites', data: { ...ORDERS, column: 'touched_at', cause: 'volatile-default' }, line: 1, column: 1, endLine: 3, endColumn: 62 },
        { messageId: 'rewrites', data: { ...ORDERS, column: 'rank', cause: 'volatile-default' }, line: 1, column: 1, endLine: 3, endColumn: 62 },
      ],
      output: null,
    },
    {
      name: 'sql: bigserial (squawk reports only prefer-identity and misses the rewrite)',
      sql: 'ALTER TABLE orders ADD COLUMN seq bigserial;',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'seq', cause: 'serial' }, line: 1, column: 1, endLine: 1, endColumn: 44 }],
      output: null,
    },
    {
      name: 'sql: identity column (eugene misses it)',
      sql: 'ALTER TABLE orders ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'number', cause: 'identity' }, line: 1, column: 1, endLine: 1, endColumn: 73 }],
      output: null,
    },
    {
      name: 'sql: stored generated column',
      sql: 'ALTER TABLE orders ADD COLUMN total_cents numeric GENERATED ALWAYS AS (total * 100) STORED;',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'total_cents', cause: 'stored-generated' }, line: 1, column: 1, endLine: 1, endColumn: 91 }],
      output: null,
    },
    {
      name: 'sql: any default before PostgreSQL 11',
      sql: 'ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;',
      options: { target: { pgVersion: 10 } },
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'priority', cause: 'default-before-11' }, line: 1, column: 1, endLine: 1, endColumn: 62 }],
      output: null,
    },
    {
      name: 'sql: a function the lock table does not know is assumed volatile (warning)',
      sql: 'ALTER TABLE orders ADD COLUMN score int DEFAULT next_score();',
      errors: [{ messageId: 'mayRewrite', data: { ...ORDERS, column: 'score', default: 'next_score()' }, line: 1, column: 1, endLine: 1, endColumn: 61, severity: 'warning' }],
      output: null,
    },
    {
      name: 'prisma: a new autoincrement field',
      prisma: '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "seq" SERIAL NOT NULL;',
      errors: [{ messageId: 'rewrites', data: { ...ORDERS, column: 'seq', cause: 'serial' }, line: 2, column: 1, endLine: 2, endColumn: 54 }],
      output: null,
    },
    {
      name: 'django: db_default=RandomUUID() is gen_random_uuid(), which is volatile',
      django: `from django.contrib.postgres.functions import RandomUUID\n${djangoMigration([addField('models.UUIDField(db_default=RandomUUID())')])}`,
      errors: [{ messageId: 'rewrites', data: { ...ITEM, column: 'ref', cause: 'volatile-default' }, line: 8, column: 9, endLine: 8, endColumn: 108 }],
      output: null,
    },
    {
      name: 'django: a stored GeneratedField',
      django: `from django.db.models import F\n${djangoMigration([
        "migrations.AddField(model_name='item', name='name_len', field=models.GeneratedField(expression=F('id') * 2, output_field=models.BigIntegerField(), db_persist=True))",
      ])}`,
      errors: [{ messageId: 'rewrites', data: { ...ITEM, column: 'name_len', cause: 'stored-generated' }, line: 8, column: 9, endLine: 8, endColumn: 173 }],
      output: null,
    },
    {
      name: 'django: a constant default before PostgreSQL 11',
      django: djangoMigration(["migrations.AddField(model_name='item', name='price', field=models.IntegerField(default=0))"]),
      options: { target: { pgVersion: 10 } },
      errors: [{ messageId: 'rewrites', data: { ...ITEM, column: 'price', cause: 'default-before-11' }, line: 7, column: 9, endLine: 7, endColumn: 99 }],
      output: null,
    },
  ],
});
