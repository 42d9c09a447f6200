import { defineRule } from '../src/engine/rule.js';
import { lockData, lockOf, statementsOf, type StatementVisit } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import { blockedBy } from '../src/postgres/index.js';
import { djangoMigration } from '../src/engine/examples.js';
import { DJANGO_CHECK, NOT_VALID_THEN_VALIDATE, PRISMA_FK, SQL_FK } from './shared/not-valid.js';

/** A statement earlier in the transaction that still holds a lock blocking writes on some tables. */
interface Held {
  v: StatementVisit;
  lock: NonNullable<ReturnType<typeof lockOf>>;
  tables: Set<string>;
}

const HINT = {
  default: 'validate the constraint in a later migration, in its own transaction: VALIDATE CONSTRAINT alone takes SHARE UPDATE EXCLUSIVE, so reads and writes go on while it scans',
  django: 'move ValidateConstraint to the next migration (or set atomic = False on this one, so each operation commits on its own)',
  prisma: 'move VALIDATE CONSTRAINT to a migration of its own: each migration.sql runs as one transaction',
};

export default defineRule({
  id: 'validate-in-same-transaction',
  category: 'lock',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'VALIDATE CONSTRAINT runs in the transaction that added the constraint NOT VALID, or that already holds a lock blocking writes on the table.',
  messages: {
    notValidAdd:
      'VALIDATE CONSTRAINT "{constraint}" scans "{table}" in the same transaction as its NOT VALID add on line {line}, where {lock}, so the scan runs under that lock and NOT VALID gains nothing',
    afterLock: 'VALIDATE CONSTRAINT "{constraint}" scans "{table}" in the same transaction as line {line}, where {lock}',
  },
  docs: {
    what:
      "Reports `VALIDATE CONSTRAINT` on an existing table when an earlier statement of the same transaction took a lock that blocks writes on that table: above all the `ADD CONSTRAINT ... NOT VALID` of the same constraint, but also any other ALTER TABLE, index build or trigger on it. The transaction is the one the framework wraps the migration in (a Django migration unless `atomic = False`, a Prisma `migration.sql`, a Flyway, dbmate or goose file) or a `BEGIN` written in the file.",
    why:
      'NOT VALID exists to split one long blocking step in two: a brief ACCESS EXCLUSIVE (or SHARE ROW EXCLUSIVE for a foreign key) to add the constraint, and a scan under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on, to validate it. Locks are held until the transaction ends, so when both run in one transaction the scan happens under the strong lock and the split gains nothing: reads (for a CHECK) or writes (for a foreign key, on both tables) wait for the whole scan.',
    knownProblems:
      'Constraints are matched by name; an unnamed constraint is still reported through the lock its ADD took on the table.',
    example: {
      django: `from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint\nfrom django.db.models import Q\n${djangoMigration([
        `AddConstraintNotValid(model_name='item', constraint=${DJANGO_CHECK})`,
        "ValidateConstraint(model_name='item', name='item_id_positive')",
      ])}`,
      sql: ['BEGIN;', `${SQL_FK} NOT VALID;`, 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;', 'COMMIT;'].join('\n'),
      prisma: ['-- AddForeignKey', `${PRISMA_FK} NOT VALID;`, 'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_user_id_fkey";'].join('\n'),
    },
    instead: NOT_VALID_THEN_VALIDATE,
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, VALIDATE CONSTRAINT ("the validation step does not need to lock out concurrent updates") and Notes',
      'PostgreSQL 15 manual, explicit-locking.html, 13.3.1 ("Once acquired, a lock is normally held until the end of the transaction")',
      'squawk `constraint-missing-not-valid` (same transaction); strong_migrations `validate_foreign_key`, `validate_check_constraint`; eugene E4',
    ],
  },
  check({ project, settings, report }) {
    const held = new Map<string, Held[]>(); // per transaction block
    for (const v of statementsOf(project, { postgres: true })) {
      if (v.tx.block === null) continue;
      const block = `${v.migration.file}#${v.tx.block}`;
      const earlier = held.get(block) ?? [];
      held.set(block, earlier);
      const st = v.statement;
      if (st.kind === 'validate_constraint' && !st.tableIsNew) {
        const onTable = earlier.filter((h) => h.tables.has(tableKey(st.table)));
        const add = onTable.find((h) => h.v.statement.kind === 'add_constraint' && h.v.statement.constraint.notValid && h.v.statement.constraint.name === st.constraint);
        const h = add ?? onTable[0];
        if (h) {
          const data = { constraint: st.constraint, table: st.table, line: h.v.statement.span.start.line, lock: h.lock.text };
          report(v, add ? 'notValidAdd' : 'afterLock', data, { hint: HINT, facts: { ...lockData(h.lock.facts), constraint: st.constraint, line: data.line } });
        }
      }
      const lock = lockOf(st, settings, v.tx);
      const tables = new Set((lock?.facts.locks ?? []).flatMap((l) => (l.relation === 'table' && l.table !== null && blockedBy(l.mode).includes('writes') ? [tableKey(l.table)] : [])));
      if (lock && tables.size > 0) earlier.push({ v, lock, tables });
    }
  },
});
