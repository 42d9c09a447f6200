import rule from '../../rules/constraint-missing-not-valid.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const SRE = { lock: 'SHARE ROW EXCLUSIVE', tables: ['orders', 'users'], rewrite: false, blocks: ['writes'] };
const AE = { lock: 'ACCESS EXCLUSIVE', rewrite: false, blocks: ['reads', 'writes'] };
const withQ = (op: string) => `from django.db.models import Q\n${djangoMigration([op])}`;
const addOwner = (args: string) => `migrations.AddField(model_name='item', name='owner', field=models.ForeignKey(${args}on_delete=models.CASCADE, to='shop.item', related_name='+'))`;

ruleTester.run(rule, {
  valid: [
    { name: 'sql: FOREIGN KEY ... NOT VALID', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;' },
    { name: 'sql: CHECK ... NOT VALID', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;' },
    { name: 'sql: VALIDATE CONSTRAINT in a later migration', sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;' },
    { name: 'sql: a new nullable column with REFERENCES is NULL everywhere: nothing to check', sql: 'ALTER TABLE orders ADD COLUMN approver_id bigint REFERENCES users (id);' },
    { name: 'sql: a new table referencing an existing one', sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));' },
    {
      name: 'sql: constraints on a table created earlier in the same file',
      sql: 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint, amount numeric);\nALTER TABLE refunds ADD CONSTRAINT refunds_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);\nALTER TABLE refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount > 0);',
    },
    { name: 'sql: UNIQUE is another rule (constraint-builds-index)', sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);' },
    { name: 'prisma: NOT VALID added by hand', prisma: 'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") NOT VALID;' },
    {
      name: 'django: AddConstraintNotValid',
      django: `from django.contrib.postgres.operations import AddConstraintNotValid\n${withQ("AddConstraintNotValid(model_name='item', constraint=models.CheckConstraint(condition=Q(id__gt=0), name='item_id_positive'))")}`,
    },
    { name: 'django: a nullable ForeignKey without a default (squawk reports it)', django: djangoMigration([addOwner('null=True, ')]) },
    { name: 'django: db_constraint=False adds no foreign key', django: djangoMigration([addOwner('default=1, db_constraint=False, ')]) },
  ],
  invalid: [
    {
      name: 'sql: FOREIGN KEY without NOT VALID locks both tables',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      errors: [{ messageId: 'foreignKey', data: { ...SRE, constraint: 'orders_user_fk' }, line: 1, column: 1, endLine: 1, endColumn: 93 }],
      output: null,
    },
    {
      name: 'sql: an unnamed FOREIGN KEY',
      sql: 'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);',
      errors: [{ messageId: 'foreignKey', data: SRE, line: 1, column: 1, endLine: 1, endColumn: 67 }],
      output: null,
    },
    {
      name: 'sql: CHECK without NOT VALID',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);',
      errors: [{ messageId: 'check', data: { ...AE, tables: ['orders'], constraint: 'orders_total_positive' }, line: 1, column: 1, endLine: 1, endColumn: 75 }],
      output: null,
    },
    {
      name: 'sql: ADD COLUMN ... REFERENCES with a default checks every row',
      sql: 'ALTER TABLE orders ADD COLUMN owner_id bigint NOT NULL DEFAULT 1 REFERENCES users (id);',
      errors: [{ messageId: 'foreignKey', data: { ...AE, tables: ['orders', 'users'], column: 'owner_id' }, line: 1, column: 1, endLine: 1, endColumn: 87 }],
      output: null,
    },
    {
      name: 'prisma: a generated AddForeignKey',
      prisma: '-- AddForeignKey\nALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
      errors: [{ messageId: 'foreignKey', data: { ...SRE, constraint: 'orders_user_id_fkey' }, line: 2, column: 1, endLine: 2, endColumn: 144 }],
      output: null,
    },
    {
      name: 'django: AddConstraint(CheckConstraint)',
      django: withQ("migrations.AddConstraint(model_name='item', constraint=models.CheckConstraint(condition=Q(id__gt=0), name='item_id_positive'))"),
      errors: [{ messageId: 'check', data: { ...AE, tables: ['shop_item'], constraint: 'item_id_positive' }, line: 8, column: 9, endLine: 8, endColumn: 135 }],
      output: null,
    },
    {
      name: 'django: a ForeignKey added with a default (ADD COLUMN ... DEFAULT 1 NOT NULL ... REFERENCES)',
      django: djangoMigration([addOwner('default=1, ')]),
      errors: [{ messageId: 'foreignKey', data: { ...AE, tables: ['shop_item'], column: 'owner_id' }, line: 7, column: 9, endLine: 7, endColumn: 157 }],
      output: null,
    },
  ],
});
