/**
 * Facts about a whole migration that no single statement knows, derived once from the statements and the
 * set's transaction policy so that every rule reads the same answer:
 *
 * - which tables the migration created before a statement (`tableIsNew`): a lock on a table nobody else
 *   can see yet blocks nothing, with or without an explicit `BEGIN` (squawk only exempts it inside one);
 * - which transaction block each statement runs in, from the framework's wrapper
 *   (reference/frameworks.md §1 and §17.6) and the `BEGIN`/`COMMIT` the file writes itself;
 * - what a reverse step does to data, measured against its forward step (`reverseEffects`), for the
 *   front ends that read a down step or a reverse.
 */
import type { DataEffects, DataTarget, Statement } from './statement.js';
import type { Migration, MigrationSet } from './types.js';

/** `public.orders` and `orders` are the same table to a migration that does not set `search_path`. */
export function tableKey(name: string): string {
  return name.startsWith('public.') ? name.slice('public.'.length) : name;
}

/** The table a statement changes, when it changes one. */
export function targetTable(st: Statement): string | undefined {
  switch (st.kind) {
    case 'create_materialized_view':
    case 'refresh_materialized_view':
      return st.view;
    case 'reindex':
      return st.target === 'table' ? st.name : st.table;
    default:
      return 'table' in st && typeof st.table === 'string' ? st.table : undefined;
  }
}

/**
 * What a reverse step (a down migration, a RunSQL `reverse_sql`) does to data, from its lowered
 * statements and the forward step's. Dropping or emptying a table the forward step created is the
 * ordinary reverse; emptying (`TRUNCATE`, `DELETE` without `WHERE`) or dropping any other table loses
 * every row written to it since the migration ran: `destroys`, with the tables in `destroyed` (each at
 * the statement that destroys it, once). A table the reverse creates itself before emptying it is its
 * own scratch table. `base` gives the row-change flags where the front end measured them on the SQL's
 * syntax tree (DML inside CTEs); otherwise they come from the statements' kinds.
 */
export function reverseEffects(reverse: readonly Statement[], forward: readonly Statement[], base?: DataEffects): DataEffects {
  const key = (t: string) => tableKey(t).toLowerCase();
  const created = new Set<string>();
  for (const st of forward) {
    if (st.stateOnly) continue;
    if (st.kind === 'create_table') created.add(key(st.table));
    if (st.kind === 'rename_table' && created.delete(key(st.table))) created.add(key(st.newName));
  }
  const effects: DataEffects = base ? { ...base } : { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false };
  const destroyed: DataTarget[] = [];
  const seen = new Set<string>();
  for (const st of reverse) {
    if (st.stateOnly) continue;
    if (!base) {
      if (st.kind === 'delete' || st.kind === 'truncate') effects.deletes = true;
      if (st.kind === 'update') effects.updates = true;
      if (st.kind === 'insert') effects.inserts = true;
      if (st.kind === 'drop_table' || st.kind === 'drop_column' || (st.kind === 'drop_schema' && st.cascade)) effects.dropsData = true;
      if (st.kind === 'raw_sql' || st.kind === 'run_code') {
        effects.deletes ||= st.effects.deletes;
        effects.updates ||= st.effects.updates;
        effects.inserts ||= st.effects.inserts;
        effects.dropsData ||= st.effects.dropsData;
        effects.opaque ||= st.effects.opaque;
      }
    }
    if (st.kind === 'create_table') created.add(key(st.table));
    const empties = st.kind === 'drop_table' || st.kind === 'truncate' || (st.kind === 'delete' && !st.where);
    if (!empties || created.has(key(st.table))) continue;
    if (!seen.has(key(st.table))) destroyed.push({ table: st.table, span: st.span });
    seen.add(key(st.table));
  }
  if (destroyed.length > 0) {
    effects.destroys = true;
    effects.destroyed = destroyed;
  }
  return effects;
}

/**
 * Marks statements on tables created earlier in the same migration (`tableIsNew`). Front ends that see
 * a whole SQL text mark it themselves; this pass covers what spans operations, such as a Django
 * `CreateModel` followed by `AddIndex`. Idempotent: parse results are cached and shared.
 */
export function markNewTables(migration: Migration): void {
  const created = new Set<string>();
  for (const st of migration.statements) {
    if (st.stateOnly) continue;
    const t = targetTable(st);
    if (st.kind === 'create_table') {
      created.add(tableKey(st.table));
      continue;
    }
    if (t !== undefined && created.has(tableKey(t))) st.tableIsNew = true;
    if (st.kind === 'rename_table' && created.delete(tableKey(st.table))) created.add(tableKey(st.newName));
    if (st.kind === 'drop_table') created.delete(tableKey(st.table));
  }
}

/**
 * Where a statement runs, transaction-wise:
 * - `framework`: inside the transaction the framework opens around the migration (Django `atomic`,
 *   Flyway, dbmate, goose, Alembic's run);
 * - `implicit`: inside the implicit transaction PostgreSQL opens for a multi-statement query string
 *   (Prisma, golang-migrate); an explicit `COMMIT` in the file starts the next implicit block, and
 *   statements that cannot run in a transaction block still fail after it (verified, frameworks.md §2);
 * - `explicit`: inside a `BEGIN` the file writes itself;
 * - null: on its own, in autocommit.
 */
export type TransactionKind = 'framework' | 'implicit' | 'explicit';

export interface TransactionPlacement {
  kind: TransactionKind | null;
  /** Statements with the same block number share one transaction; null when `kind` is null. */
  block: number | null;
  /** A `BEGIN` inside a block that is already open (the framework's, or the file's own). */
  nestedBegin?: boolean;
}

/** The framework's wrapper for this migration, before the file's own transaction statements. */
export function wrapperOf(set: MigrationSet, migration: Migration): TransactionKind | null {
  if (!migration.atomic) return null;
  switch (set.transaction) {
    case 'per-migration':
    case 'per-run':
      return 'framework';
    case 'implicit-per-file':
      return 'implicit';
    case 'none':
      return null;
  }
}

/** One placement per statement of `migration`, in order. */
export function transactionPlacements(set: MigrationSet, migration: Migration): TransactionPlacement[] {
  const wrapper = wrapperOf(set, migration);
  let next = 0;
  let kind: TransactionKind | null = wrapper;
  let block: number | null = wrapper ? next++ : null;
  const out: TransactionPlacement[] = [];
  for (const st of migration.statements) {
    if (st.autocommit && !st.stateOnly) {
      // Alembic's autocommit_block(): the transaction so far is committed, the statement runs on its
      // own, and the framework begins a new transaction for what follows.
      out.push({ kind: null, block: null });
      kind = wrapper;
      block = wrapper ? next++ : null;
      continue;
    }
    if (st.stateOnly || st.kind !== 'transaction') {
      out.push({ kind, block });
      continue;
    }
    switch (st.action) {
      case 'begin':
        if (block !== null && kind !== 'implicit') {
          // PostgreSQL only warns ("there is already a transaction in progress") and goes on.
          out.push({ kind, block, nestedBegin: true });
        } else {
          // In an implicit block, BEGIN turns it into an explicit one (postgres.c exec_simple_query).
          kind = 'explicit';
          block ??= next++;
          out.push({ kind, block });
        }
        break;
      case 'commit':
      case 'rollback':
      case 'commit_prepared':
      case 'rollback_prepared':
      case 'prepare':
        out.push({ kind, block });
        // After COMMIT the framework's driver (or the simple-query protocol) opens the next block itself;
        // a plain file is back in autocommit.
        kind = wrapper;
        block = wrapper ? next++ : null;
        break;
      default:
        out.push({ kind, block });
    }
  }
  return out;
}

/**
 * Carries what the earlier migrations of a sequence-ordered set (Prisma, SQL directories) did to the
 * schema into the later ones, and fills in the facts a file alone cannot know: the old type of a column
 * whose type changes (`alter_column_type.fromType`) and whether a validated `CHECK (col IS NOT NULL)`
 * lets `SET NOT NULL` skip its scan (`set_not_null.provenByCheck`). Graph-ordered front ends (Django)
 * replay their own model state. Parse results are cached and shared, so changed statements and
 * migrations are copies, never edits.
 */
export function replaySchema(set: MigrationSet): void {
  if (set.ordering !== 'sequence') return;
  const types = new Map<string, Map<string, string>>();
  const checks = new Map<string, { column: string; valid: boolean }>();
  const proven = new Set<string>();
  const col = (t: string, c: string) => `${tableKey(t)}\0${c}`;
  const columnsOf = (t: string) => {
    let m = types.get(tableKey(t));
    if (!m) types.set(tableKey(t), (m = new Map()));
    return m;
  };
  set.migrations = set.migrations.map((m) => {
    let changed = false;
    const statements = m.statements.map((st): Statement => {
      if (st.stateOnly) return st;
      switch (st.kind) {
        case 'create_table':
          for (const c of st.columns) if (c.type) columnsOf(st.table).set(c.name, c.type);
          return st;
        case 'add_column':
          if (st.column.type) columnsOf(st.table).set(st.column.name, st.column.type);
          return st;
        case 'alter_column_type': {
          const from = columnsOf(st.table).get(st.column);
          columnsOf(st.table).set(st.column, st.toType);
          if (st.fromType !== undefined || from === undefined) return st;
          changed = true;
          return { ...st, fromType: from };
        }
        case 'rename_column': {
          const cols = columnsOf(st.table);
          const t = cols.get(st.column);
          cols.delete(st.column);
          if (t !== undefined) cols.set(st.newName, t);
          if (proven.delete(col(st.table, st.column))) proven.add(col(st.table, st.newName));
          return st;
        }
        case 'rename_table': {
          const t = types.get(tableKey(st.table));
          types.delete(tableKey(st.table));
          if (t) types.set(tableKey(st.newName), t);
          return st;
        }
        case 'drop_column':
          columnsOf(st.table).delete(st.column);
          proven.delete(col(st.table, st.column));
          return st;
        case 'drop_table':
          types.delete(tableKey(st.table));
          return st;
        case 'add_constraint': {
          const c = st.constraint;
          if (c.type !== 'check' || !c.notNullColumn) return st;
          if (c.name) checks.set(col(st.table, c.name), { column: c.notNullColumn, valid: !c.notValid });
          if (!c.notValid) proven.add(col(st.table, c.notNullColumn));
          return st;
        }
        case 'validate_constraint': {
          const c = checks.get(col(st.table, st.constraint));
          if (c) proven.add(col(st.table, c.column));
          return st;
        }
        case 'drop_constraint': {
          const c = st.constraint !== undefined ? checks.get(col(st.table, st.constraint)) : undefined;
          if (c) proven.delete(col(st.table, c.column));
          return st;
        }
        case 'set_not_null':
          if (st.provenByCheck || st.notValid || !proven.has(col(st.table, st.column))) return st;
          changed = true;
          return { ...st, provenByCheck: true };
        default:
          return st;
      }
    });
    return changed ? { ...m, statements } : m;
  });
}
