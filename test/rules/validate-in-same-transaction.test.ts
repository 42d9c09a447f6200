import rule from '../../rules/validate-in-same-transaction.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ADD_FK = 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;';
const VALIDATE_FK = 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;';
const SRE = { lock: 'SHARE ROW EXCLUSIVE', tables: ['orders', 'users'], rewrite: false, blocks: ['writes'] };
const PG_OPS = 'from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint\nfrom django.db.models import Q\n';
const ADD_CHECK = "AddConstraintNotValid(model_name='item', constraint=models.CheckConstraint(condition=Q(id__gt=0), name='item_id_positive'))";
const VALIDATE_CHECK = "ValidateConstraint(model_name='item', name='item_id_positive')";
const flyway = (sql: string) => ({ 'db/migration/V1__init.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n', 'db/migration/V2__orders_user_fk.sql': sql });

ruleTester.run(rule, {
  valid: [
    { name: 'sql: a plain directory runs each statement on its own (autocommit)', sql: `${ADD_FK}\n${VALIDATE_FK}` },
    { name: 'sql: two transactions in one file', sql: ['BEGIN;', ADD_FK, 'COMMIT;', 'BEGIN;', VALIDATE_FK, 'COMMIT;'].join('\n') },
    { name: 'sql: VALIDATE before the locking statement', sql: ['BEGIN;', VALIDATE_FK, "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';", 'COMMIT;'].join('\n') },
    { name: 'sql: a lock on another table (lock-held-during-slow-statement covers that)', sql: ['BEGIN;', 'ALTER TABLE users ADD COLUMN name text;', VALIDATE_FK, 'COMMIT;'].join('\n') },
    { name: 'sql: a lock that lets writes go on (ANALYZE)', sql: ['BEGIN;', 'ANALYZE orders;', VALIDATE_FK, 'COMMIT;'].join('\n') },
    {
      name: 'prisma: validated in a later migration',
      prisma: `-- file: 20240102000000_orders_user_fk\n${ADD_FK}\n-- file: 20240103000000_validate_orders_user_fk\n${VALIDATE_FK}`,
    },
    { name: 'django: atomic = False commits each operation on its own', django: PG_OPS + djangoMigration([ADD_CHECK, VALIDATE_CHECK], { atomic: false }) },
    {
      name: 'django: ValidateConstraint in the next migration',
      django: `# file: shop/migrations/0002_check.py\n${PG_OPS}${djangoMigration([ADD_CHECK])}\n# file: shop/migrations/0003_validate.py\n${PG_OPS}${djangoMigration([VALIDATE_CHECK], { dependency: "('shop', '0002_check')" })}`,
    },
    { name: 'sql: a table created in the same transaction', sql: ['BEGIN;', 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);', 'ALTER TABLE refunds ADD CONSTRAINT refunds_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;', 'ALTER TABLE refunds VALIDATE CONSTRAINT refunds_order_fk;', 'COMMIT;'].join('\n') },
  ],
  invalid: [
    {
      name: 'sql: BEGIN ... ADD NOT VALID; VALIDATE ... COMMIT',
      sql: ['BEGIN;', ADD_FK, VALIDATE_FK, 'COMMIT;'].join('\n'),
      errors: [{ messageId: 'notValidAdd', data: { ...SRE, constraint: 'orders_user_fk', line: 2 }, line: 3, column: 1, endLine: 3, endColumn: 54 }],
      output: null,
    },
    {
      name: 'sql: after another ACCESS EXCLUSIVE statement on the table',
      sql: ['BEGIN;', "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';", VALIDATE_FK, 'COMMIT;'].join('\n'),
      errors: [{ messageId: 'afterLock', data: { lock: 'ACCESS EXCLUSIVE', tables: ['orders'], rewrite: false, blocks: ['reads', 'writes'], constraint: 'orders_user_fk', line: 2 }, line: 3, column: 1, endLine: 3, endColumn: 54 }],
      output: null,
    },
    {
      name: 'sql: after a plain CREATE INDEX (SHARE blocks writes)',
      sql: ['BEGIN;', 'CREATE INDEX orders_status_idx ON orders (status);', VALIDATE_FK, 'COMMIT;'].join('\n'),
      errors: [{ messageId: 'afterLock', data: { lock: 'SHARE', tables: ['orders'], rewrite: false, blocks: ['writes'], constraint: 'orders_user_fk', line: 2 }, line: 3, column: 1, endLine: 3, endColumn: 54 }],
      output: null,
    },
    {
      name: 'flyway: one migration is one transaction, without any BEGIN',
      files: flyway(`${ADD_FK}\n${VALIDATE_FK}\n`),
      errors: [{ messageId: 'notValidAdd', data: { ...SRE, constraint: 'orders_user_fk', line: 1 }, line: 2, column: 1, endLine: 2, endColumn: 54, file: 'db/migration/V2__orders_user_fk.sql' }],
      output: null,
    },
    {
      name: 'prisma: one migration.sql is one implicit transaction',
      prisma: `-- AddForeignKey\n${ADD_FK}\n${VALIDATE_FK}`,
      errors: [{ messageId: 'notValidAdd', data: { ...SRE, constraint: 'orders_user_fk', line: 2 }, line: 3, column: 1, endLine: 3, endColumn: 54 }],
      output: null,
    },
    {
      name: 'django: AddConstraintNotValid and ValidateConstraint in one atomic migration',
      django: PG_OPS + djangoMigration([ADD_CHECK, VALIDATE_CHECK]),
      errors: [{ messageId: 'notValidAdd', data: { lock: 'ACCESS EXCLUSIVE', tables: ['shop_item'], rewrite: false, blocks: ['reads', 'writes'], constraint: 'item_id_positive', line: 9 }, line: 10, column: 9, endLine: 10, endColumn: 71 }],
      output: null,
    },
  ],
});
