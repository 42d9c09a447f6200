import { defineRule } from '../src/engine/rule.js';
import { statementsOf } from '../src/engine/statements.js';
import type { Statement } from '../src/model/statement.js';
import { normalizeType } from '../src/postgres/index.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';

/** The columns a statement gives a type (created, added or changed), and their table. */
function typedColumns(st: Statement): { table: string; name: string; type?: string }[] {
  switch (st.kind) {
    case 'create_table':
      return st.columns.map((c) => ({ ...c, table: st.table }));
    case 'add_column':
      return [{ ...st.column, table: st.table }];
    case 'alter_column_type':
      return [{ table: st.table, name: st.column, type: st.toType }];
    default:
      return [];
  }
}

const HINT = {
  default: 'use jsonb: it is parsed once on write, compares by value, and can have GIN indexes',
  prisma: 'drop @db.Json from the field: Prisma maps Json to jsonb on PostgreSQL',
  django: 'use models.JSONField, which is jsonb on PostgreSQL',
};

export default defineRule({
  id: 'prefer-jsonb',
  // backward-compat: the harm is to queries that worked before. A json column makes every row of its table
  // incomparable, so SELECT DISTINCT / UNION / GROUP BY over whole rows that ran yesterday fail
  // (strong_migrations' reason for `add_column_json`). No lock or rewrite is involved.
  category: 'backward-compat',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A column is created, added or changed to type json instead of jsonb.',
  messages: {
    json: '"{column}" of "{table}" is {type}, which has no equality operator: SELECT DISTINCT, UNION and GROUP BY over rows of "{table}" fail with "could not identify an equality operator for type json"',
  },
  docs: {
    what:
      'Reports a column of type `json` (or an array of it) in `CREATE TABLE`, `ADD COLUMN` or `ALTER COLUMN ... TYPE` on PostgreSQL. `jsonb` is not reported. Unlike the lock rules, new tables are reported too: the type is the problem, not the lock.',
    why:
      '`json` stores the text as written and re-parses it on every access; it has no equality operator, so a query that compares whole rows of the table (`SELECT DISTINCT *`, `UNION`, `GROUP BY` on all columns) fails with `could not identify an equality operator for type json` as soon as the column exists, including queries the running release already makes. It cannot have a GIN index and does not support the containment operators (`@>`). `jsonb` has none of these problems; keep `json` only when the exact text (key order, duplicate keys, whitespace) must be preserved.',
    knownProblems: 'Columns that must keep the document byte for byte (signed payloads, audit copies) are a legitimate use of `json`: suppress it with the reason.',
    example: {
      django: djangoMigration([runSql('ALTER TABLE shop_item ADD COLUMN meta json', 'ALTER TABLE shop_item DROP COLUMN meta')]),
      sql: 'ALTER TABLE orders ADD COLUMN meta json;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ADD COLUMN     "meta" JSON;'].join('\n'),
    },
    instead: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='meta', field=models.JSONField(null=True))"]),
      alembic: ['def upgrade():', "    op.add_column('orders', sa.Column('meta', postgresql.JSONB(), nullable=True))"].join('\n'),
      sql: 'ALTER TABLE orders ADD COLUMN meta jsonb;',
      prisma: ['-- AlterTable', 'ALTER TABLE "orders" ADD COLUMN     "meta" JSONB;'].join('\n'),
      knex: ["exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.jsonb('meta'));", "exports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('meta'));"].join('\n'),
      typeorm: ["@Column({ type: 'jsonb', nullable: true })", 'meta: Record<string, unknown> | null;'].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, datatype-json.html, 8.14 ("In general, most applications should prefer to store JSON data as jsonb") and 8.14.4 (jsonb indexing)',
      'strong_migrations `add_column_json`; eugene E3',
    ],
  },
  check({ project, report }) {
    for (const v of statementsOf(project, { postgres: true })) {
      for (const c of typedColumns(v.statement)) {
        if (c.type === undefined || normalizeType(c.type)?.base !== 'json') continue;
        const data = { table: c.table, column: c.name, type: c.type };
        report(v, 'json', data, { hint: HINT, facts: data });
      }
    }
  },
});
