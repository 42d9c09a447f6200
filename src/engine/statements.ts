/**
 * What statement rules walk: every statement that reaches the database, with its migration, set, the
 * transaction it runs in and the lock table's answer for it. Rules read these instead of re-deriving
 * them, so "a table created in the same migration" or "inside the framework's transaction" mean the same
 * thing in every rule.
 */
import { transactionPlacements, type TransactionPlacement } from '../model/migration-facts.js';
import type { Migration, MigrationSet, Statement, StatementKind } from '../model/types.js';
import { LOCK_MODES, describeLock, dominantMode, lockFacts, type LockFacts } from '../postgres/index.js';
import type { ProjectModel } from './rule.js';

export { DEFAULT_PG_VERSION, parsePgVersion } from '../postgres/index.js';

/** What the rules are told about the database the migrations will run on. */
export interface TargetSettings {
  /** PostgreSQL major version (`--pg-version`, default 15; `11` means 11.0). */
  pgVersion: number;
  /** The session `TimeZone`, when configured (decides whether timestamp -> timestamptz rewrites). */
  timeZone?: string;
}

export interface StatementVisit {
  set: MigrationSet;
  migration: Migration;
  statement: Statement;
  statementIndex: number;
  tx: TransactionPlacement;
  /** How messages name the migration: `<app>.<name>` in a Django app (Django's own spelling), otherwise
   *  the file's path (an Alembic revision id, `2` or `20240102000000_x` alone says little). */
  name: string;
  /**
   * A `lock_timeout` above zero bounds how long the statement waits for its lock: a plain `SET` earlier in
   * the migration holds for the rest of it, `SET LOCAL` for the rest of its transaction block (outside one
   * it does nothing: sql-set.html); `RESET`, `0` and `DEFAULT` end it. A timeout the runner sets for the
   * session cannot be seen.
   */
  lockTimeout: boolean;
  /** The `lock_timeout` in effect, in milliseconds, when `lockTimeout` is true. */
  lockTimeoutMs: number | null;
}

/** Dialects whose files the PostgreSQL lock table must not judge (their own table is a later issue). */
export function isPostgresSet(set: MigrationSet): boolean {
  return set.dialect === 'postgresql' || set.dialect === 'unknown';
}

/**
 * Every statement that runs against the database (state-only ones are skipped), in file order. With
 * `postgres: true` (lock, rewrite and transaction rules) sets on other databases are left out. The walk is
 * done once per project model and kept: a dozen rules read it.
 */
export function statementsOf(project: ProjectModel, opts: { postgres?: boolean } = {}): readonly StatementVisit[] {
  let walked = visitCache.get(project);
  if (!walked) visitCache.set(project, (walked = walk(project)));
  return opts.postgres ? walked.postgres : walked.all;
}

const visitCache = new WeakMap<ProjectModel, { all: StatementVisit[]; postgres: StatementVisit[] }>();

/**
 * The visits of `statementsOf` whose statement is of one of `kinds`, in the same order: most statement
 * rules look at a few kinds, and each walking every statement of a large history cost more than the rule.
 */
export function statementsOfKinds(project: ProjectModel, kinds: readonly StatementKind[], opts: { postgres?: boolean } = {}): readonly StatementVisit[] {
  const visits = statementsOf(project, opts);
  let index = kindIndex.get(visits);
  if (!index) {
    index = new Map();
    for (let i = 0; i < visits.length; i++) {
      const kind = visits[i]!.statement.kind;
      let at = index.get(kind);
      if (!at) index.set(kind, (at = []));
      at.push(i);
    }
    kindIndex.set(visits, index);
  }
  if (kinds.length === 1) return (index.get(kinds[0]!) ?? []).map((i) => visits[i]!);
  const positions = [...new Set(kinds)].flatMap((k) => index.get(k) ?? []).sort((a, b) => a - b);
  return positions.map((i) => visits[i]!);
}

const kindIndex = new WeakMap<readonly StatementVisit[], Map<StatementKind, number[]>>();

function walk(project: ProjectModel): { all: StatementVisit[]; postgres: StatementVisit[] } {
  const all: StatementVisit[] = [];
  const postgres: StatementVisit[] = [];
  for (const set of project.sets) {
    const pg = isPostgresSet(set);
    for (const migration of set.migrations) {
      if (migration.statements.length === 0) continue;
      const placements = transactionPlacements(set, migration);
      const name = set.framework === 'django' ? `${set.name}.${migration.name}` : migration.file;
      let timeout: number | 'session' | null = null;
      let timeoutMs: number | null = null;
      for (let i = 0; i < migration.statements.length; i++) {
        const statement = migration.statements[i]!;
        if (statement.stateOnly) continue;
        const tx = placements[i]!;
        if (statement.kind === 'set_setting' && statement.name.toLowerCase() === 'lock_timeout') {
          const on = statement.valueMs !== undefined && statement.valueMs > 0;
          if (!on) timeout = null;
          else if (!statement.local) timeout = 'session';
          else if (tx.block !== null) timeout = tx.block;
          if (on && (!statement.local || tx.block !== null)) timeoutMs = statement.valueMs!;
        }
        const lockTimeout = timeout === 'session' || (timeout !== null && timeout === tx.block);
        const visit: StatementVisit = { set, migration, statement, statementIndex: i, tx, name, lockTimeout, lockTimeoutMs: lockTimeout ? timeoutMs : null };
        all.push(visit);
        if (pg) postgres.push(visit);
      }
    }
  }
  return { all, postgres };
}

// Every statement rule walks every statement: the walk (with each migration's transaction placements) is
// kept per project, and what depends on the statement and the target (its lock facts) is worked out once
// per run, not once per rule. Keyed by the objects themselves, so nothing outlives them.
const factsCache = new WeakMap<Statement, Map<string, LockFacts | null>>();
// The key of a target, made once per settings object (a run passes the same one to every rule).
const targetKeys = new WeakMap<TargetSettings, string>();

function factsOf(st: Statement, settings: TargetSettings): LockFacts | null {
  let key = targetKeys.get(settings);
  if (key === undefined) targetKeys.set(settings, (key = `${settings.pgVersion}|${settings.timeZone ?? ''}`));
  let byTarget = factsCache.get(st);
  if (!byTarget) factsCache.set(st, (byTarget = new Map()));
  if (!byTarget.has(key)) byTarget.set(key, lockFacts(st, { pgVersion: settings.pgVersion, ...(settings.timeZone !== undefined ? { timeZone: settings.timeZone } : {}) }));
  return byTarget.get(key)!;
}

/** The JSON `data` every lock finding carries (issue 3: `{lock, tables, rewrite, blocks}`). */
export function lockData(facts: LockFacts): { lock: string; tables: string[]; rewrite: boolean; blocks: string[] } {
  const tables = [...new Set(facts.locks.flatMap((l) => (l.table !== null ? [l.table] : l.index !== undefined ? [l.index] : [])))];
  const modes = facts.locks.map((l) => l.mode);
  // Two modes neither of which includes the other (SHARE and ROW EXCLUSIVE): name the stronger one.
  const lock = dominantMode(modes) ?? [...modes].sort((a, b) => LOCK_MODES.indexOf(b) - LOCK_MODES.indexOf(a))[0] ?? 'none';
  return { lock, tables, rewrite: facts.rewrite, blocks: facts.blocks };
}

/**
 * The lock table's facts and sentence for a statement at the configured version. Given where the statement
 * runs (`tx`), the sentence says how long the lock is held: to the commit, or only while it runs.
 */
export function lockOf(st: Statement, settings: TargetSettings, tx?: TransactionPlacement): { facts: LockFacts; text: string } | null {
  const facts = factsOf(st, settings);
  if (!facts) return null;
  const autocommit = tx?.kind === null;
  let texts = textCache.get(facts);
  if (!texts) textCache.set(facts, (texts = new Map()));
  let text = texts.get(autocommit);
  if (text === undefined) texts.set(autocommit, (text = describeLock(st, facts, { autocommit })));
  return { facts, text };
}

// The sentence depends on the facts (one object per statement and target) and on whether it autocommits.
const textCache = new WeakMap<LockFacts, Map<boolean, string>>();
