import { defineRule } from '../src/engine/rule.js';
import { djangoMigration } from '../src/engine/examples.js';
import { onExistingTables } from './shared/existing-tables.js';

export default defineRule({
  id: 'drop-not-null',
  category: 'backward-compat',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A NOT NULL column of an existing table becomes nullable while code that assumes it is always set still reads it.',
  messages: {
    dropNotNull:
      'Column "{column}" of "{table}" may hold NULL from now on, while code written when it could not (the previous release, reports, other services) still reads it as always set',
  },
  docs: {
    what:
      'Reports `ALTER COLUMN ... DROP NOT NULL` on a table that existed before the migration: a Django `AlterField` that adds `null=True`, a Prisma field made optional, a `RunSQL`, or SQL in any framework. A table created earlier in the same migration is exempt.',
    why:
      'The ACCESS EXCLUSIVE lock is brief and nothing fails at once, but from now on the column may hold NULL while every reader was written when it could not: the previous release, which keeps running during the deploy and comes back on a rollback, reports and exports, other services that read the same table. The first NULL the new release writes can crash them or quietly skew results (`WHERE status <> \'shipped\'` silently skips rows whose status is NULL). The reverse migration, `SET NOT NULL`, fails from then on too. Keeping the column NOT NULL with a sentinel default avoids all of it; otherwise make every reader handle NULL first.',
    knownProblems:
      'The rule cannot see whether every reader already handles NULL; once you have checked, suppress it with the reason. Django itself recommends empty strings over NULL for text fields, which is the sentinel approach below.',
    example: {
      django: djangoMigration(["migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=100, null=True))"]),
      sql: 'ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ALTER COLUMN "status" DROP NOT NULL;'].join('\n'),
    },
    instead: {
      django: djangoMigration([
        "# Optional in forms, never NULL in the database: an empty name is ''.",
        "migrations.AlterField(model_name='item', name='name', field=models.CharField(blank=True, default='', max_length=100))",
      ]),
      alembic: ['def upgrade():', "    op.alter_column('orders', 'status', server_default='unknown')  # stays NOT NULL"].join('\n'),
      sql: "-- status stays NOT NULL; what used to be 'no status' is 'unknown'.\nALTER TABLE orders ALTER COLUMN status SET DEFAULT 'unknown';",
      prisma: ['-- schema.prisma: status String @default("unknown") -- still required', 'ALTER TABLE "orders" ALTER COLUMN "status" SET DEFAULT \'unknown\';'].join('\n'),
      knex: "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.string('status', 20).notNullable().defaultTo('unknown').alter());",
      typeorm: [
        '// @Column({ default: "unknown" }) status: string; -- still NOT NULL',
        'export class OrdersStatusDefault1700000000000 implements MigrationInterface {',
        '  async up(q: QueryRunner) {',
        "    await q.query(\"ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'unknown'\");",
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html (SET/DROP NOT NULL)',
      'Django 5.1 documentation, model field reference: null ("Avoid using null on string-based fields")',
      'squawk `ban-drop-not-null`',
    ],
  },
  check({ project, report }) {
    for (const v of onExistingTables(project, ['drop_not_null'])) {
      const { table, column } = v.statement;
      report(v, 'dropNotNull', { table, column }, {
        hint: {
          default: 'keep the column NOT NULL and store a sentinel value (a default) instead of NULL, or make every reader handle NULL before this ships',
          django: "keep null=False and use a default instead (for text fields: blank=True, default=''), or make every reader handle None before this ships",
          prisma: 'keep the field required with a @default instead of making it optional, or make every reader handle null before this ships',
        },
      });
    }
  },
});
