import rule from '../../rules/constraint-builds-index.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE = { lock: 'ACCESS EXCLUSIVE', rewrite: false, blocks: ['reads', 'writes'] };
const ITEM = { ...AE, tables: ['shop_item'] };

ruleTester.run(rule, {
  valid: [
    { name: 'sql: UNIQUE USING INDEX adopts an index built concurrently', sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;' },
    { name: 'sql: PRIMARY KEY USING INDEX', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_idx;' },
    { name: 'sql: CHECK and FOREIGN KEY build no index', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;' },
    {
      name: 'sql: constraints on a table created earlier in the same file',
      sql: 'CREATE TABLE refunds (id bigint, order_id bigint);\nALTER TABLE refunds ADD PRIMARY KEY (id);\nALTER TABLE refunds ADD CONSTRAINT refunds_order_key UNIQUE (order_id);',
    },
    { name: 'sql: a new table with inline UNIQUE', sql: 'CREATE TABLE coupons (id bigint PRIMARY KEY, code text UNIQUE);' },
    {
      name: 'prisma: USING INDEX after a concurrent build',
      prisma: '-- file: 20240102000000_index\nCREATE UNIQUE INDEX CONCURRENTLY "orders_user_id_status_key" ON "orders"("user_id", "status");\n-- file: 20240103000000_unique\nALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_status_key" UNIQUE USING INDEX "orders_user_id_status_key";',
    },
    {
      name: 'django: a UniqueConstraint with a condition is a partial unique index (index-not-concurrent reports it)',
      django: `from django.db.models import Q\n${djangoMigration(["migrations.AddConstraint(model_name='item', constraint=models.UniqueConstraint(fields=['name'], condition=Q(id__gt=0), name='item_name_uniq'))"])}`,
    },
    {
      name: 'django: SeparateDatabaseAndState with UNIQUE USING INDEX',
      django: djangoMigration([
        [
          'migrations.SeparateDatabaseAndState(',
          `    database_operations=[${runSql('ALTER TABLE shop_item ADD CONSTRAINT item_name_uniq UNIQUE USING INDEX item_name_uniq')}],`,
          "    state_operations=[migrations.AddConstraint(model_name='item', constraint=models.UniqueConstraint(fields=['name'], name='item_name_uniq'))],",
          ')',
        ].join('\n'),
      ]),
    },
    {
      name: 'django: unique=True on a model created earlier in the same migration',
      django: djangoMigration([
        "migrations.CreateModel(name='Coupon', fields=[('id', models.BigAutoField(primary_key=True))])",
        "migrations.AddField(model_name='coupon', name='code', field=models.CharField(max_length=10, unique=True))",
      ]),
    },
  ],
  invalid: [
    {
      name: 'sql: ADD CONSTRAINT UNIQUE',
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
      errors: [{ messageId: 'unique', data: { ...AE, tables: ['users'], constraint: 'users_email_key' }, line: 1, column: 1, endLine: 1, endColumn: 64 }],
      output: null,
    },
    {
      name: 'sql: ADD PRIMARY KEY',
      sql: 'ALTER TABLE orders DROP CONSTRAINT orders_pkey;\nALTER TABLE orders ADD PRIMARY KEY (id, user_id);',
      errors: [{ messageId: 'primaryKey', data: { ...AE, tables: ['orders'] }, line: 2, column: 1, endLine: 2, endColumn: 49 }],
      output: null,
    },
    {
      name: 'sql: EXCLUDE has no online form',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_one_open EXCLUDE USING gist (user_id WITH =) WHERE (status = \'open\');',
      errors: [{ messageId: 'exclusion', data: { ...AE, tables: ['orders'], constraint: 'orders_one_open' }, line: 1, column: 1, endLine: 1, endColumn: 110 }],
      output: null,
    },
    {
      name: 'sql: ADD COLUMN ... UNIQUE',
      sql: 'ALTER TABLE orders ADD COLUMN code text UNIQUE;',
      errors: [{ messageId: 'unique', data: { ...AE, tables: ['orders'], column: 'code' }, line: 1, column: 1, endLine: 1, endColumn: 47 }],
      output: null,
    },
    {
      name: 'prisma: a generated UNIQUE constraint',
      prisma: '-- AlterTable\nALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_status_key" UNIQUE ("user_id", "status");',
      errors: [{ messageId: 'unique', data: { ...AE, tables: ['orders'], constraint: 'orders_user_id_status_key' }, line: 2, column: 1, endLine: 2, endColumn: 93 }],
      output: null,
    },
    {
      name: 'django: AddField(unique=True) adds the column with an inline UNIQUE',
      django: djangoMigration(["migrations.AddField(model_name='item', name='code', field=models.CharField(max_length=10, null=True, unique=True))"]),
      errors: [{ messageId: 'unique', data: { ...ITEM, column: 'code' }, line: 7, column: 9, endLine: 7, endColumn: 123 }],
      output: null,
    },
    {
      name: 'django: AddConstraint(UniqueConstraint(fields=...))',
      django: djangoMigration(["migrations.AddConstraint(model_name='item', constraint=models.UniqueConstraint(fields=['name'], name='item_name_uniq'))"]),
      errors: [{ messageId: 'unique', data: { ...ITEM, constraint: 'item_name_uniq' }, line: 7, column: 9, endLine: 7, endColumn: 128 }],
      output: null,
    },
    {
      name: 'django: AlterField to unique=True',
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=100, unique=True))"]),
      errors: [{ messageId: 'unique', data: { ...ITEM, constraint: 'shop_item_name_c85f6249_uniq' }, line: 7, column: 9, endLine: 7, endColumn: 115 }],
      output: null,
    },
    {
      name: 'django: unique_together',
      django: djangoMigration(["migrations.AlterUniqueTogether(name='item', unique_together={('name',)})"]),
      errors: [{ messageId: 'unique', data: { ...ITEM, constraint: 'shop_item_name_c85f6249_uniq' }, line: 7, column: 9, endLine: 7, endColumn: 81 }],
      output: null,
    },
  ],
});
