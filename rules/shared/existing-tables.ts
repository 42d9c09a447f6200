/**
 * What the statement rules of this folder walk: statements of some kinds on tables that existed before the
 * migration. A table created earlier in the same migration (`tableIsNew`, a model fact) is exempt from lock
 * and backward-compatibility rules alike: no running query and no deployed code can be using it yet.
 */
import type { ProjectModel } from '../../src/engine/rule.js';
import { lockOf, statementsOfKinds, type StatementVisit, type TargetSettings } from '../../src/engine/statements.js';
import type { Statement, StatementKind } from '../../src/model/statement.js';

export type VisitOf<K extends StatementKind> = StatementVisit & { statement: Extract<Statement, { kind: K }> };
export type LockedVisit<K extends StatementKind> = VisitOf<K> & { lock: NonNullable<ReturnType<typeof lockOf>> };

/**
 * Statements of `kinds` on existing tables, in every set whatever its database: old application code breaks
 * on a dropped or renamed column in MySQL as much as in PostgreSQL (backward-compatibility rules).
 */
export function* onExistingTables<K extends StatementKind>(project: ProjectModel, kinds: readonly K[]): Generator<VisitOf<K>> {
  for (const v of statementsOfKinds(project, kinds) as readonly VisitOf<K>[]) if (!v.statement.tableIsNew) yield v;
}

/** Statements of `kinds` on existing tables of PostgreSQL sets, with the lock table's answer (lock rules). */
export function* lockedOnExistingTables<K extends StatementKind>(project: ProjectModel, settings: TargetSettings, kinds: readonly K[]): Generator<LockedVisit<K>> {
  for (const v of statementsOfKinds(project, kinds, { postgres: true }) as readonly VisitOf<K>[]) {
    if (v.statement.tableIsNew) continue;
    const lock = lockOf(v.statement, settings, v.tx);
    if (lock) yield { ...v, lock };
  }
}
