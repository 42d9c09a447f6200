/**
 * The recipe the constraint rules recommend: add the constraint NOT VALID (a brief lock, no scan), and
 * VALIDATE it in a later migration, whose scan takes SHARE UPDATE EXCLUSIVE and lets reads and writes go on
 * (sql-altertable.html, VALIDATE CONSTRAINT). Shared by constraint-missing-not-valid and
 * validate-in-same-transaction, whose docs show the same check and foreign key.
 */
import type { DocLang } from '../../src/engine/rule.js';
import { djangoMigration } from '../../src/engine/examples.js';

/** The foreign key both rules' SQL examples add, as Prisma generates it. */
export const PRISMA_FK = 'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE';
export const SQL_FK = 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)';
export const DJANGO_CHECK = "models.CheckConstraint(condition=Q(id__gt=0), name='item_id_positive')";

export const NOT_VALID_THEN_VALIDATE: Partial<Record<DocLang, string>> = {
  django: [
    '# file: shop/migrations/0002_item_id_positive.py',
    'from django.contrib.postgres.operations import AddConstraintNotValid',
    'from django.db.models import Q',
    djangoMigration([`AddConstraintNotValid(model_name='item', constraint=${DJANGO_CHECK})`]),
    '',
    '# file: shop/migrations/0003_validate_item_id_positive.py',
    'from django.contrib.postgres.operations import ValidateConstraint',
    djangoMigration(["ValidateConstraint(model_name='item', name='item_id_positive')"], { dependency: "('shop', '0002_item_id_positive')" }),
  ].join('\n'),
  alembic: [
    '# revision 1',
    'def upgrade():',
    "    op.create_foreign_key('orders_user_fk', 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)",
    '',
    '# revision 2 (its own transaction)',
    'def upgrade():',
    "    op.execute('ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk')",
  ].join('\n'),
  sql: ['-- file: 0002_orders_user_fk.sql', `${SQL_FK} NOT VALID;`, '-- file: 0003_validate_orders_user_fk.sql', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;'].join('\n'),
  prisma: [
    '-- file: 20240102000000_orders_user_fk',
    `${PRISMA_FK} NOT VALID;`,
    '-- file: 20240103000000_validate_orders_user_fk',
    'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_user_id_fkey";',
  ].join('\n'),
  knex: [
    '// migration 1',
    `exports.up = (knex) => knex.raw('${SQL_FK} NOT VALID');`,
    '// migration 2 (its own transaction)',
    "exports.up = (knex) => knex.raw('ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk');",
  ].join('\n'),
  typeorm: [
    '// migration 1',
    `await q.query('${SQL_FK} NOT VALID');`,
    '// migration 2 (its own transaction: migrationsTransactionMode "each")',
    "await q.query('ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk');",
  ].join('\n'),
};
