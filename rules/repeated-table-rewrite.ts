import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { lockData, lockOf, statementsOf, type StatementVisit } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import { operationLabel } from '../src/postgres/index.js';

export default defineRule({
  id: 'repeated-table-rewrite',
  category: 'rewrite',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'One migration rewrites or scans the same table more than once where one ALTER TABLE would do it once.',
  messages: {
    again: '{operation} {work} "{table}" again, after {earlier} on line {line}: each pass reads every row under ACCESS EXCLUSIVE',
  },
  docs: {
    what:
      'Reports the second and later statements in one migration that each rewrite or fully scan the same existing table with ACCESS EXCLUSIVE held: two `ALTER COLUMN ... TYPE`, a volatile-default `ADD COLUMN` and a `SET NOT NULL`, and so on. PostgreSQL runs all the actions of one `ALTER TABLE` in a single pass over the table.',
    why:
      'Every rewrite copies the whole table and rebuilds its indexes; every validation scan reads it all. Done separately, a migration with three type changes copies a large table three times while reads and writes wait. `ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN b TYPE bigint` copies it once.',
    knownProblems:
      'Django emits one `ALTER TABLE` per operation and cannot combine them; the alternative there is one `RunSQL` with the combined statement (with `state_operations`), or accepting the cost on small tables.',
    example: {
      sql: ['ALTER TABLE orders ALTER COLUMN user_id TYPE integer;', 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(8, 2);'].join('\n'),
      django: djangoMigration(["migrations.RunSQL('ALTER TABLE shop_item ALTER COLUMN name TYPE varchar(50)', migrations.RunSQL.noop)", "migrations.RunSQL('ALTER TABLE shop_item ALTER COLUMN id TYPE integer', migrations.RunSQL.noop)"]),
    },
    instead: {
      sql: 'ALTER TABLE orders ALTER COLUMN user_id TYPE integer, ALTER COLUMN total TYPE numeric(8, 2);',
      django: djangoMigration(["migrations.RunSQL('ALTER TABLE shop_item ALTER COLUMN name TYPE varchar(50), ALTER COLUMN id TYPE integer', migrations.RunSQL.noop)"]),
      prisma: 'ALTER TABLE "orders" ALTER COLUMN "user_id" TYPE INTEGER, ALTER COLUMN "total" TYPE DECIMAL(8,2);',
      alembic: ["op.execute('ALTER TABLE orders ALTER COLUMN user_id TYPE integer, ALTER COLUMN total TYPE numeric(8, 2)')"].join('\n'),
      knex: ["exports.up = (knex) => knex.raw('ALTER TABLE orders ALTER COLUMN user_id TYPE integer, ALTER COLUMN total TYPE numeric(8, 2)');"].join('\n'),
      typeorm: ["await q.query('ALTER TABLE orders ALTER COLUMN user_id TYPE integer, ALTER COLUMN total TYPE numeric(8, 2)');"].join('\n'),
    },
    references: ['PostgreSQL 15 manual, sql-altertable.html Notes ("The main reason for providing the option to specify multiple changes in a single ALTER TABLE is that multiple table scans or rewrites can thereby be combined into a single pass over the table")', 'eugene W12'],
  },
  check({ project, settings, report }) {
    const seen = new Map<string, StatementVisit>();
    for (const v of statementsOf(project, { postgres: true })) {
      if (v.statement.tableIsNew) continue;
      const lock = lockOf(v.statement, settings, v.tx);
      const target = lock?.facts.locks.find((l) => l.role === 'target' && l.relation === 'table' && l.mode === 'ACCESS EXCLUSIVE');
      if (!lock || !target?.table || !(lock.facts.rewrite || lock.facts.fullScan)) continue;
      const key = `${v.migration.file}#${tableKey(target.table)}`;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, v);
        continue;
      }
      // Actions of one statement are one pass: only separate statements count.
      if (earlier.statement.span.offset === v.statement.span.offset) continue;
      report(v, 'again', { operation: operationLabel(v.statement), work: lock.facts.rewrite ? 'rewrites' : 'scans', table: target.table, earlier: operationLabel(earlier.statement), line: earlier.statement.span.start.line }, {
        facts: lockData(lock.facts),
        hint: 'combine the changes into one ALTER TABLE with comma-separated actions',
      });
    }
  },
});
