import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { valueDefault } from './shared/column-values.js';
import { djangoMigration } from '../src/engine/examples.js';
import { DJANGO_CHECK, NOT_VALID_THEN_VALIDATE, PRISMA_FK, SQL_FK } from './shared/not-valid.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const HINT = {
  default: 'add the constraint NOT VALID (existing rows are not checked, new ones are), and VALIDATE CONSTRAINT in a later migration: it scans under SHARE UPDATE EXCLUSIVE, so reads and writes go on',
  django: 'for a CheckConstraint: AddConstraintNotValid, then ValidateConstraint in a later migration (django.contrib.postgres.operations); for a ForeignKey: add it with db_constraint=False, then add the foreign key NOT VALID and validate it with RunSQL in later migrations',
  prisma: 'edit migration.sql: add NOT VALID to the constraint, and VALIDATE CONSTRAINT in a later migration',
};

export default defineRule({
  id: 'constraint-missing-not-valid',
  category: 'lock',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'A CHECK or FOREIGN KEY constraint is added to an existing table without NOT VALID: every row is checked while the lock is held.',
  messages: {
    check: '{lock}, while it reads every row of "{table}" to validate the check',
    foreignKey: '{lock}, while it looks up every row of "{table}" in "{references}"',
  },
  docs: {
    what:
      'Reports `ADD CONSTRAINT ... CHECK` and `ADD CONSTRAINT ... FOREIGN KEY` without `NOT VALID` on a table that existed before the migration, and `ADD COLUMN ... REFERENCES` when the new column gets a value in existing rows (a default), so that they have to be checked; a Django `ForeignKey` added with a default is that. A new nullable column without a default is NULL in every row: PostgreSQL skips the check and it is not reported. Tables created earlier in the same migration are exempt.',
    why:
      'A CHECK takes ACCESS EXCLUSIVE, so reads and writes wait while every row is read. A foreign key takes SHARE ROW EXCLUSIVE on both tables, so writes to the table and to the table it references (often the busiest one, such as `users`) wait while every row is looked up. With `NOT VALID` the constraint is added in an instant and applies to new rows; `VALIDATE CONSTRAINT`, in a later transaction, checks the old rows under SHARE UPDATE EXCLUSIVE (and ROW SHARE on the referenced table), which lets reads and writes go on.',
    knownProblems:
      'An inline `CHECK` on `ADD COLUMN` cannot be NOT VALID and is not reported. On a small table the validation is quick; the lock on the referenced table is still taken.',
    example: {
      django: `from django.db.models import Q\n${djangoMigration([`migrations.AddConstraint(model_name='item', constraint=${DJANGO_CHECK})`])}`,
      sql: `${SQL_FK};`,
      prisma: ['-- AddForeignKey', `${PRISMA_FK};`].join('\n'),
    },
    instead: NOT_VALID_THEN_VALIDATE,
    references: [
      'PostgreSQL 15 manual, sql-altertable.html, ADD table_constraint [ NOT VALID ], VALIDATE CONSTRAINT, and Notes (ADD FOREIGN KEY locks the referenced table SHARE ROW EXCLUSIVE)',
      'PostgreSQL 15 manual, explicit-locking.html, 13.3.1',
      'squawk `constraint-missing-not-valid`, `adding-foreign-key-constraint`; strong_migrations `add_check_constraint`, `add_foreign_key`, `add_reference`; Atlas PG305, PG306; eugene E1',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['add_constraint', 'add_column'])) {
      const { statement: st, lock } = v;
      const facts = lockData(lock.facts);
      if (st.kind === 'add_column') {
        // A new column's foreign key is checked only when existing rows get a value (a NULL default skips
        // it: transformFKConstraints in parse_utilcmd.c; measured in test/postgres).
        const ref = st.column.references;
        if (ref && valueDefault(st.column)) report(v, 'foreignKey', { lock: lock.text, table: st.table, references: ref.table }, { hint: HINT, facts: { ...facts, column: st.column.name } });
        continue;
      }
      const c = st.constraint;
      if (c.notValid) continue;
      const named = c.name !== undefined ? { constraint: c.name } : {};
      if (c.type === 'check') report(v, 'check', { lock: lock.text, table: st.table }, { hint: HINT, facts: { ...facts, ...named } });
      else if (c.type === 'foreign_key' && c.references) report(v, 'foreignKey', { lock: lock.text, table: st.table, references: c.references }, { hint: HINT, facts: { ...facts, ...named } });
    }
  },
});
