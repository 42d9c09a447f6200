/**
 * The PostgreSQL lock table: for each neutral `Statement`, which lock it takes on which relation, whether
 * it rewrites or scans the table, whether it can run inside a transaction block, and the versions where
 * that changes. Rules ask this table and quote it; no rule names a lock mode itself (DESIGN.md,
 * "PostgreSQL knowledge in one place").
 *
 * Sources, PostgreSQL manual (version noted where the fact changed):
 * - explicit-locking.html (15), 13.3.1: which commands take which table-level lock;
 * - sql-altertable.html (15), Description and Notes: lock per ALTER TABLE action, rewrites, scans;
 * - sql-createindex.html, sql-dropindex.html, sql-reindex.html, sql-cluster.html, sql-vacuum.html,
 *   sql-truncate.html, sql-createtrigger.html, sql-refreshmaterializedview.html, sql-altertype.html (15);
 * - release notes 11, 12, 14, 15, 18 for the version changes cited inline.
 * Every fact that a PostgreSQL 15+ server can show is checked against one by test/postgres/lock-model.test.ts
 * (locks from `pg_locks`, rewrites from `pg_relation_filenode()`, scans from `pg_stat_xact_user_tables`).
 */

import type { ColumnFacts, Statement } from '../model/statement.js';
import { blockedBy, type LockMode } from './modes.js';
import { typeChange } from './types.js';
import { DEFAULT_PG_VERSION } from './version.js';

export interface LockOptions {
  /** PostgreSQL major version the migration will run on (default 15; `11` means 11.0). */
  pgVersion?: number;
  /** The session's `TimeZone` when the migration runs, if known (decides timestamp -> timestamptz). */
  timeZone?: string;
}

/** One lock a statement takes. */
export interface RelationLock {
  /** Whether the lock is on a table (or materialized view / partitioned table) or on an index. */
  relation: 'table' | 'index';
  /**
   * The table locked, or the table the locked index belongs to; as the migration wrote it (schema kept).
   * Null when the migration does not say which table (`DROP INDEX i` in plain SQL): then `index` names it.
   */
  table: string | null;
  /** For `relation: 'index'`: the index (absent: every index of `table`). For a table lock with
   *  `table: null`: the index whose table is locked. */
  index?: string;
  mode: LockMode;
  /** `target`: the table the statement changes. `referenced`: another table it has to lock, such as
   *  the table a foreign key points at or the source of `LIKE`. */
  role: 'target' | 'referenced';
}

/** A fact the table assumed because the migration did not say enough. */
export type Assumption = 'rewrite' | 'fullScan' | 'locks';

export interface LockFacts {
  locks: RelationLock[];
  /** The table (and its indexes) is rewritten: every row is copied to new files while the lock is held. */
  rewrite: boolean;
  /** Every row of the target is read while the lock is held (validation, index build, rewrite). */
  fullScan: boolean;
  /** An index is built or rebuilt. */
  buildsIndex: boolean;
  /** PostgreSQL refuses to run the statement inside a transaction block (at `pgVersion`). */
  nonTransactional: boolean;
  /** What ordinary traffic on the locked tables waits for this statement. */
  blocks: ('reads' | 'writes')[];
  /** The consequence in words, for messages: `blocks writes (not reads)`. */
  effect: string;
  /** Caveats and version notes, each one sentence. */
  notes: string[];
  /** Facts that are the cautious guess because the migration does not say enough. */
  assumptions: Assumption[];
  /** The statement does not exist before this PostgreSQL version (a syntax or feature error there). */
  requiresVersion?: number;
}

interface Draft {
  locks: RelationLock[];
  rewrite?: boolean;
  fullScan?: boolean;
  buildsIndex?: boolean;
  nonTransactional?: boolean;
  notes?: string[];
  assumptions?: Assumption[];
  requiresVersion?: number;
}

const target = (table: string | null, mode: LockMode, index?: string): RelationLock =>
  index === undefined ? { relation: 'table', table, mode, role: 'target' } : { relation: 'table', table, index, mode, role: 'target' };
const referenced = (table: string, mode: LockMode): RelationLock => ({ relation: 'table', table, mode, role: 'referenced' });
const onIndex = (table: string | null, index: string | undefined, mode: LockMode): RelationLock =>
  index === undefined ? { relation: 'index', table, mode, role: 'target' } : { relation: 'index', table, index, mode, role: 'target' };

/**
 * The lock facts for one statement, or null when the table has nothing to say: statements that touch no
 * existing table and have no transaction restriction (`SET`, `BEGIN`, `CREATE TYPE`, a `CREATE TABLE`
 * without foreign keys), statements it cannot see into (`raw_sql`, `run_code`, `other`), and
 * `stateOnly` statements.
 */
export function lockFacts(st: Statement, opts: LockOptions = {}): LockFacts | null {
  if (st.stateOnly) return null;
  const draft = lockDraft(st, opts.pgVersion ?? DEFAULT_PG_VERSION, opts);
  return draft ? finish(draft) : null;
}

function lockDraft(st: Statement, pg: number, opts: LockOptions): Draft | null {
  switch (st.kind) {
    case 'create_table': {
      const locks: RelationLock[] = [];
      // A new table's foreign keys take SHARE ROW EXCLUSIVE on each referenced table (the RI triggers are
      // created there); verified on 15 (explicit-locking.html lists SHARE ROW EXCLUSIVE for ADD FOREIGN KEY).
      const refs = new Set([
        ...(st.references ?? []),
        ...st.columns.flatMap((c) => (c.references ? [c.references.table] : [])),
        ...(st.constraints ?? []).flatMap((c) => (c.type === 'foreign_key' && c.references ? [c.references] : [])),
      ]);
      for (const r of refs) locks.push(referenced(r, 'SHARE ROW EXCLUSIVE'));
      // LIKE reads the source's definition under ACCESS SHARE.
      for (const l of st.like ?? []) locks.push(referenced(l, 'ACCESS SHARE'));
      // CREATE TABLE ... PARTITION OF takes ACCESS EXCLUSIVE on the parent (sql-createtable.html, 15;
      // measured), unlike ATTACH PARTITION.
      if (st.partitionOf) locks.push(referenced(st.partitionOf, 'ACCESS EXCLUSIVE'));
      for (const p of st.inherits ?? []) locks.push(referenced(p, 'SHARE UPDATE EXCLUSIVE'));
      if (locks.length === 0) return null;
      return { locks };
    }
    case 'drop_table':
      return {
        locks: [target(st.table, 'ACCESS EXCLUSIVE')],
        notes: [
          'Dropping a table that has foreign keys also takes ACCESS EXCLUSIVE on every table they reference (their triggers are removed).',
          ...(st.cascade ? ['CASCADE also drops dependent views and foreign keys of other tables.'] : []),
        ],
      };
    case 'rename_table':
    case 'rename_column':
    case 'drop_not_null':
    case 'set_default':
    case 'drop_default':
      // sql-altertable.html: ACCESS EXCLUSIVE unless noted; these are catalog-only changes.
      return { locks: [target(st.table, 'ACCESS EXCLUSIVE')] };
    case 'drop_column':
      // Marks the column dropped; the space is reclaimed by later rewrites (sql-altertable.html Notes).
      return {
        locks: [target(st.table, 'ACCESS EXCLUSIVE')],
        notes: ['If the column is part of a foreign key, the referenced table is locked ACCESS EXCLUSIVE too.'],
      };
    case 'add_column':
      return addColumn(st.table, st.column, pg);
    case 'alter_column_type':
      return alterColumnType(st, pg, opts);
    case 'set_not_null': {
      if (st.notValid) {
        // PostgreSQL 18: NOT NULL constraints can be added NOT VALID (release notes 18).
        return { locks: [target(st.table, 'ACCESS EXCLUSIVE')], requiresVersion: 18 };
      }
      // SET NOT NULL scans the table to verify; from 12 a valid CHECK (col IS NOT NULL) lets it skip the scan
      // (release notes 12; sql-altertable.html "SET/DROP NOT NULL").
      const skip = st.provenByCheck === true && pg >= 12;
      return {
        locks: [target(st.table, 'ACCESS EXCLUSIVE')],
        fullScan: !skip,
        notes: skip
          ? ['A valid CHECK (column IS NOT NULL) constraint lets PostgreSQL skip the scan.']
          : ['The whole table is scanned under ACCESS EXCLUSIVE to check for NULLs.'],
      };
    }
    case 'alter_column': {
      const draft: Draft = { locks: [target(st.table, 'ACCESS EXCLUSIVE')], notes: [], assumptions: [] };
      if (!st.from) {
        draft.notes!.push('The previous column definition is not known, so rewrites and scans cannot be decided.');
        return draft;
      }
      if (st.from.type && st.to.type && st.from.type !== st.to.type) {
        const tc = typeChange(st.from.type, st.to.type, { pgVersion: pg, ...tz(opts) });
        draft.rewrite = tc.rewrite;
        draft.fullScan = tc.rewrite;
        draft.buildsIndex = tc.rewrite;
        draft.notes!.push(tc.reason);
        if (!tc.certain) draft.assumptions!.push('rewrite');
      }
      if (st.from.nullable !== false && st.to.nullable === false) draft.fullScan = true;
      return draft;
    }
    case 'create_index':
      // Plain CREATE INDEX: SHARE (blocks writes). CONCURRENTLY: SHARE UPDATE EXCLUSIVE and it "cannot be
      // executed inside a transaction block" (sql-createindex.html, "Building Indexes Concurrently").
      return {
        locks: [target(st.table, st.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE')],
        fullScan: true,
        buildsIndex: true,
        nonTransactional: st.concurrently,
        notes: st.concurrently
          ? [
              'It scans the table twice and waits for every transaction that could use the index; if it fails it leaves an INVALID index behind.',
            ]
          : [],
      };
    case 'drop_index': {
      // DROP INDEX: ACCESS EXCLUSIVE on the index's table; CONCURRENTLY: SHARE UPDATE EXCLUSIVE, not in a
      // transaction block (sql-dropindex.html).
      const mode: LockMode = st.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
      const table = st.table ?? null;
      return {
        locks: [target(table, mode, table === null ? st.index : undefined), onIndex(table, st.index, mode)],
        nonTransactional: st.concurrently,
      };
    }
    case 'rename_index':
      // Renaming an index takes SHARE UPDATE EXCLUSIVE on the index only from PostgreSQL 12
      // (commit 1b5d797c; sql-alterindex.html 12), ACCESS EXCLUSIVE on it before.
      return { locks: [onIndex(st.table, st.index, pg >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE')] };
    case 'add_constraint':
      return addConstraint(st.table, st.constraint);
    case 'validate_constraint': {
      // VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE on the table; for a foreign key also ROW SHARE on the
      // referenced table (sql-altertable.html, 15).
      const locks = [target(st.table, 'SHARE UPDATE EXCLUSIVE')];
      if (st.constraintType === 'foreign_key' && st.references) locks.push(referenced(st.references, 'ROW SHARE'));
      return {
        locks,
        fullScan: true,
        notes:
          st.constraintType === undefined
            ? ['If the constraint is a foreign key, the referenced table is also locked ROW SHARE.']
            : [],
      };
    }
    case 'drop_constraint': {
      const locks = [target(st.table, 'ACCESS EXCLUSIVE')];
      // Dropping a foreign key removes its triggers on the referenced table, under ACCESS EXCLUSIVE
      // (RemoveTriggerById; measured on 15).
      if (st.constraintType === 'foreign_key' && st.references) locks.push(referenced(st.references, 'ACCESS EXCLUSIVE'));
      return {
        locks,
        notes:
          st.constraintType === undefined
            ? ['If the constraint is a foreign key, the referenced table is also locked ACCESS EXCLUSIVE.']
            : [],
      };
    }
    case 'reindex':
      return reindex(st);
    case 'cluster':
      if (!st.table) {
        // "CLUSTER without a table_name ... cannot be executed inside a transaction block" (sql-cluster.html).
        return {
          locks: [],
          nonTransactional: true,
          notes: ['It re-clusters every previously clustered table, each under ACCESS EXCLUSIVE.'],
        };
      }
      return { locks: [target(st.table, 'ACCESS EXCLUSIVE')], rewrite: true, fullScan: true, buildsIndex: true };
    case 'vacuum': {
      // "VACUUM cannot be executed inside a transaction block"; FULL takes ACCESS EXCLUSIVE and rewrites,
      // plain VACUUM takes SHARE UPDATE EXCLUSIVE (sql-vacuum.html, explicit-locking.html).
      if (!st.table) {
        return {
          locks: [],
          nonTransactional: true,
          notes: [`It processes every table of the database, each under ${st.full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE'}.`],
        };
      }
      return st.full
        ? { locks: [target(st.table, 'ACCESS EXCLUSIVE')], rewrite: true, fullScan: true, buildsIndex: true, nonTransactional: true }
        : { locks: [target(st.table, 'SHARE UPDATE EXCLUSIVE')], nonTransactional: true };
    }
    case 'analyze':
      // ANALYZE (without VACUUM) may run in a transaction; SHARE UPDATE EXCLUSIVE (explicit-locking.html).
      return st.table
        ? { locks: [target(st.table, 'SHARE UPDATE EXCLUSIVE')] }
        : { locks: [], notes: ['It analyzes every table of the database under SHARE UPDATE EXCLUSIVE.'] };
    case 'set_logged':
      // SET LOGGED / UNLOGGED rewrites the table (sql-altertable.html, 9.5+).
      return { locks: [target(st.table, 'ACCESS EXCLUSIVE')], rewrite: true, fullScan: true, buildsIndex: true };
    case 'set_access_method':
      // ALTER TABLE ... SET ACCESS METHOD (PostgreSQL 15) rewrites the table into the new access method.
      return {
        locks: [target(st.table, 'ACCESS EXCLUSIVE')],
        rewrite: true,
        fullScan: true,
        buildsIndex: true,
        requiresVersion: 15,
        notes: ['Setting the access method the table already has does not rewrite it.'],
      };
    case 'truncate':
      // TRUNCATE: ACCESS EXCLUSIVE (sql-truncate.html). It gives the table new, empty files rather than
      // rewriting rows, so `rewrite` stays false.
      return {
        locks: [target(st.table, 'ACCESS EXCLUSIVE')],
        notes: st.cascade ? ['CASCADE also empties every table with a foreign key to it, under ACCESS EXCLUSIVE.'] : [],
      };
    case 'create_trigger':
      // CREATE TRIGGER takes SHARE ROW EXCLUSIVE (explicit-locking.html); OR REPLACE exists from 14.
      return { locks: [target(st.table, 'SHARE ROW EXCLUSIVE')], ...(st.replace ? { requiresVersion: 14 } : {}) };
    case 'alter_trigger':
      // ENABLE/DISABLE TRIGGER: SHARE ROW EXCLUSIVE (sql-altertable.html).
      return { locks: [target(st.table, 'SHARE ROW EXCLUSIVE')] };
    case 'attach_partition':
      // ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent from 12 (ACCESS EXCLUSIVE before; release
      // notes 12), ACCESS EXCLUSIVE on the partition, which is scanned unless a valid CHECK constraint
      // implies the partition bound (sql-altertable.html).
      return {
        locks: [
          target(st.table, pg >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE'),
          target(st.partition, 'ACCESS EXCLUSIVE'),
        ],
        fullScan: true,
        notes: [
          'The partition is scanned to check the bound unless a valid CHECK constraint already proves it; a default partition is scanned too.',
        ],
      };
    case 'detach_partition':
      // DETACH PARTITION: ACCESS EXCLUSIVE on the parent; on the partition ACCESS EXCLUSIVE from 14 and
      // SHARE UPDATE EXCLUSIVE before (ATExecDetachPartition in tablecmds.c; measured on 11-13 and 15, 18).
      // CONCURRENTLY (14+): SHARE UPDATE EXCLUSIVE on both, and it "cannot be run in a transaction block"
      // (sql-altertable.html 14).
      return st.concurrently || st.finalize
        ? {
            locks: [target(st.table, 'SHARE UPDATE EXCLUSIVE'), target(st.partition, 'SHARE UPDATE EXCLUSIVE')],
            nonTransactional: !st.finalize,
            requiresVersion: 14,
          }
        : {
            locks: [
              target(st.table, 'ACCESS EXCLUSIVE'),
              target(st.partition, pg >= 14 ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE'),
            ],
          };
    case 'alter_table':
      return alterTableAction(st.table, st.action);
    case 'refresh_materialized_view': {
      // REFRESH MATERIALIZED VIEW: ACCESS EXCLUSIVE, and the view gets new files; CONCURRENTLY: EXCLUSIVE
      // (reads continue), the view is updated in place (sql-refreshmaterializedview.html). The view's query
      // reads its tables under ACCESS SHARE.
      const reads = st.withData ? (st.reads ?? []).map((r) => referenced(r, 'ACCESS SHARE')) : [];
      return st.concurrently
        ? { locks: [target(st.view, 'EXCLUSIVE'), ...reads], fullScan: true }
        : { locks: [target(st.view, 'ACCESS EXCLUSIVE'), ...reads], rewrite: true, fullScan: st.withData, buildsIndex: true };
    }
    case 'create_materialized_view':
      // The new view is invisible to others; its query reads the source tables under ACCESS SHARE.
      return st.reads && st.reads.length > 0 ? { locks: st.reads.map((r) => referenced(r, 'ACCESS SHARE')) } : null;
    case 'add_enum_value':
      // "ALTER TYPE ... ADD VALUE ... cannot be executed inside a transaction block" before 12
      // (sql-altertype.html 11); from 12 it can, but the new value cannot be used until the transaction
      // commits (sql-altertype.html 12 Notes).
      return {
        locks: [],
        nonTransactional: pg < 12,
        notes:
          pg < 12
            ? ['Before PostgreSQL 12 it cannot run inside a transaction block.']
            : ['The new value cannot be used until the transaction that added it has committed.'],
      };
    case 'update':
    case 'delete':
      return {
        locks: [target(st.table, 'ROW EXCLUSIVE')],
        fullScan: !st.where,
        notes: [
          'Every changed row stays locked until the transaction commits; foreign key checks also lock rows of the referenced tables.',
        ],
      };
    case 'insert':
      return {
        locks: [target(st.table, 'ROW EXCLUSIVE')],
        notes: ['Foreign key checks take ROW SHARE on the referenced tables.'],
      };
    case 'drop_schema':
      return {
        locks: [],
        notes: [st.cascade ? 'It drops every object in the schema, each table under ACCESS EXCLUSIVE.' : 'It fails unless the schema is empty.'],
      };
    case 'drop_database':
      // "DROP DATABASE cannot be executed inside a transaction block" (sql-dropdatabase.html).
      return { locks: [], nonTransactional: true };
    case 'create_enum':
    case 'set_setting':
    case 'transaction':
    case 'raw_sql':
    case 'run_code':
    case 'other':
      return null;
  }
}

function tz(opts: LockOptions): { timeZone?: string } {
  return opts.timeZone === undefined ? {} : { timeZone: opts.timeZone };
}

function addColumn(table: string, c: ColumnFacts, pg: number): Draft {
  const locks: RelationLock[] = [target(table, 'ACCESS EXCLUSIVE')];
  const notes: string[] = [];
  const assumptions: Assumption[] = [];
  let requiresVersion: number | undefined;
  let rewrite = false;
  // An inline REFERENCES adds a foreign key: SHARE ROW EXCLUSIVE on the referenced table (measured).
  if (c.references) locks.push(referenced(c.references.table, 'SHARE ROW EXCLUSIVE'));
  const d = c.default;
  const nullDefault = d !== undefined && d.kind === 'constant' && /^null$/i.test(d.text.trim());
  const hasValue = d !== undefined && !nullDefault;
  if (c.serial) {
    // serial means DEFAULT nextval(...), which is volatile: every row gets its own value.
    rewrite = true;
    notes.push('A serial column fills every existing row from its sequence, rewriting the table.');
  } else if (c.identity) {
    // Identity columns (10+) likewise fill every row from their sequence (measured on 15).
    rewrite = true;
    notes.push('An identity column fills every existing row from its sequence, rewriting the table.');
  } else if (c.generated) {
    if (c.generated.kind === 'stored') {
      // Stored generated columns (12+) are computed for every row (sql-altertable.html Notes).
      rewrite = true;
      requiresVersion = 12;
      notes.push('A stored generated column is computed for every existing row, rewriting the table.');
    } else {
      // Virtual generated columns (18) are computed on read: no rewrite.
      requiresVersion = 18;
    }
  } else if (hasValue) {
    if (d.volatile === true) {
      // "Adding a column with a volatile DEFAULT ... will require the entire table and its indexes to be
      // rewritten" (sql-altertable.html Notes, 11+; always true before 11).
      rewrite = true;
      notes.push('A volatile default is evaluated for every existing row, rewriting the table.');
    } else if (pg < 11) {
      // Before 11 any non-null default rewrote the table (release notes 11: "Allow ALTER TABLE to add a
      // column with a non-null default without doing a table rewrite").
      rewrite = true;
      notes.push('Before PostgreSQL 11 adding a column with a default rewrites the table.');
    } else if (d.kind === 'db-expression' && d.volatile === undefined) {
      rewrite = true;
      assumptions.push('rewrite');
      notes.push("The default's volatility is not known: if it is volatile, the table is rewritten.");
    }
  }
  const checks = (c.checks?.length ?? 0) > 0;
  const index = c.unique === true || c.primaryKey === true;
  // NOT NULL without a value to fill: PostgreSQL scans to verify, which fails on any existing row.
  const mustVerifyNotNull = (c.nullable === false || c.primaryKey === true) && !hasValue && !c.serial && !c.identity && !c.generated;
  if (mustVerifyNotNull) notes.push('Without a default it fails if the table has any rows.');
  return {
    locks,
    rewrite,
    // A rewrite reads every row; so do CHECK validation, a NOT NULL verification, an index build, and a
    // foreign key check of a non-null default (measured: a new FK column without a default is not scanned).
    fullScan: rewrite || checks || index || mustVerifyNotNull || (c.references !== undefined && hasValue),
    buildsIndex: index || rewrite,
    notes,
    assumptions,
    ...(requiresVersion ? { requiresVersion } : {}),
  };
}

function alterColumnType(st: Extract<Statement, { kind: 'alter_column_type' }>, pg: number, opts: LockOptions): Draft {
  const draft: Draft = { locks: [target(st.table, 'ACCESS EXCLUSIVE')], notes: [], assumptions: [] };
  if (st.using !== undefined && !st.usingIsColumn) {
    // A USING expression that computes something new must be evaluated for every row.
    draft.rewrite = true;
    draft.notes!.push('The USING expression is evaluated for every row, rewriting the table.');
  } else if (st.fromType === undefined) {
    draft.rewrite = true;
    draft.assumptions!.push('rewrite');
    draft.notes!.push(
      `The column's current type is not known here: changing it to ${st.toType} rewrites the table unless the change is binary-coercible.`,
    );
  } else {
    const tc = typeChange(st.fromType, st.toType, { pgVersion: pg, ...tz(opts) });
    draft.rewrite = tc.rewrite;
    if (!tc.certain) draft.assumptions!.push('rewrite');
    draft.notes!.push(tc.reason);
  }
  draft.fullScan = draft.rewrite;
  draft.buildsIndex = draft.rewrite;
  return draft;
}

function addConstraint(table: string, c: Extract<Statement, { kind: 'add_constraint' }>['constraint']): Draft {
  switch (c.type) {
    case 'check':
      // ADD CONSTRAINT ... CHECK takes ACCESS EXCLUSIVE; unless NOT VALID the table is scanned to validate
      // (sql-altertable.html).
      return { locks: [target(table, 'ACCESS EXCLUSIVE')], fullScan: !c.notValid };
    case 'foreign_key': {
      // "ADD FOREIGN KEY requires a SHARE ROW EXCLUSIVE lock on the referenced table, in addition to the
      // lock on the table on which the constraint is declared", which is also SHARE ROW EXCLUSIVE
      // (sql-altertable.html, 9.5+). Unless NOT VALID the table is scanned to validate.
      const locks = [target(table, 'SHARE ROW EXCLUSIVE')];
      if (c.references) locks.push(referenced(c.references, 'SHARE ROW EXCLUSIVE'));
      return { locks, fullScan: !c.notValid };
    }
    case 'unique':
    case 'primary_key':
      if (c.usingIndex) {
        // USING INDEX adopts an existing unique index: no build, brief ACCESS EXCLUSIVE.
        return {
          locks: [target(table, 'ACCESS EXCLUSIVE')],
          notes:
            c.type === 'primary_key'
              ? ['If any key column is nullable, PostgreSQL also sets NOT NULL, scanning the table.']
              : [],
        };
      }
      // The index is built under SHARE while ACCESS EXCLUSIVE is held (measured).
      return {
        locks: [target(table, 'ACCESS EXCLUSIVE')],
        fullScan: true,
        buildsIndex: true,
        notes: c.type === 'primary_key' ? ['Nullable key columns are also set NOT NULL, with a scan.'] : [],
      };
    case 'exclusion':
      return { locks: [target(table, 'ACCESS EXCLUSIVE')], fullScan: true, buildsIndex: true };
    case 'unknown':
      return { locks: [target(table, 'ACCESS EXCLUSIVE')], assumptions: ['fullScan'], fullScan: true };
  }
}

function reindex(st: Extract<Statement, { kind: 'reindex' }>): Draft {
  // REINDEX takes SHARE on the table and ACCESS EXCLUSIVE on each index it rebuilds; CONCURRENTLY (12+)
  // takes SHARE UPDATE EXCLUSIVE on both and cannot run in a transaction block; REINDEX SCHEMA, DATABASE
  // and SYSTEM cannot either (sql-reindex.html, 15).
  const requires = st.concurrently ? { requiresVersion: 12 } : {};
  if (st.target === 'index' || st.target === 'table') {
    const tableMode: LockMode = st.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
    const indexMode: LockMode = st.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    const table = st.target === 'table' ? (st.name ?? null) : (st.table ?? null);
    const idx = st.target === 'index' ? st.name : undefined;
    return {
      locks: [target(table, tableMode, table === null ? idx : undefined), onIndex(table, idx, indexMode)],
      fullScan: true,
      buildsIndex: true,
      nonTransactional: st.concurrently,
      notes: st.concurrently
        ? []
        : [
            // sql-reindex.html (15): "the query planner tries to take an ACCESS SHARE lock on every index of
            // the table regardless of the query, and so REINDEX blocks virtually any queries".
            'The ACCESS EXCLUSIVE lock on the index blocks every query the planner considers it for, which is almost every query on the table.',
          ],
      ...requires,
    };
  }
  return {
    locks: [],
    buildsIndex: true,
    nonTransactional: true,
    notes: [`It rebuilds every index in the ${st.target}, one table at a time.`],
    ...requires,
  };
}

/** Lock levels from `AlterTableGetLockLevel` (tablecmds.c, PostgreSQL 15), as sql-altertable.html documents. */
function alterTableAction(table: string, action: Extract<Statement, { kind: 'alter_table' }>['action']): Draft {
  const ae = (extra: Partial<Draft> = {}): Draft => ({ locks: [target(table, 'ACCESS EXCLUSIVE')], ...extra });
  const sue = (extra: Partial<Draft> = {}): Draft => ({ locks: [target(table, 'SHARE UPDATE EXCLUSIVE')], ...extra });
  switch (action) {
    case 'set_statistics':
    case 'set_column_options':
    case 'cluster_on':
    case 'set_without_cluster':
      return sue();
    case 'set_storage_parameters':
      return sue({ notes: ['A few storage parameters take ACCESS EXCLUSIVE instead (sql-altertable.html, SET ( storage_parameter )).'] });
    case 'rule':
      return { locks: [target(table, 'SHARE ROW EXCLUSIVE')] };
    case 'set_tablespace':
      // Moving to another tablespace copies the data files (sql-altertable.html).
      return ae({ rewrite: true, fullScan: true });
    case 'set_expression':
      // SET EXPRESSION (17) recomputes a stored generated column for every row.
      return ae({ rewrite: true, fullScan: true, buildsIndex: true, requiresVersion: 17 });
    case 'set_compression':
      return ae({ requiresVersion: 14 });
    case 'set_storage':
    case 'owner':
    case 'replica_identity':
    case 'row_security':
    case 'inherit':
    case 'no_inherit':
    case 'add_identity':
    case 'set_identity':
    case 'drop_identity':
    case 'drop_expression':
    case 'alter_constraint':
    case 'of_type':
      return ae();
    case 'other':
      return ae({ assumptions: ['locks'] });
  }
}

function finish(d: Draft): LockFacts {
  const blocks = new Set<'reads' | 'writes'>();
  for (const l of d.locks) {
    if (l.relation === 'table') for (const b of blockedBy(l.mode)) blocks.add(b);
    // The planner takes ACCESS SHARE on every index of a table it plans a query for, and writes touch every
    // index, so an ACCESS EXCLUSIVE index lock holds up reads and writes of the table (sql-reindex.html 15).
    else if (l.mode === 'ACCESS EXCLUSIVE') {
      blocks.add('reads');
      blocks.add('writes');
    }
  }
  const list = (['reads', 'writes'] as const).filter((b) => blocks.has(b));
  return {
    locks: d.locks,
    rewrite: d.rewrite ?? false,
    fullScan: d.fullScan ?? false,
    buildsIndex: d.buildsIndex ?? false,
    nonTransactional: d.nonTransactional ?? false,
    blocks: list,
    effect: effectText(list, d.locks),
    notes: d.notes ?? [],
    assumptions: d.assumptions ?? [],
    ...(d.requiresVersion !== undefined ? { requiresVersion: d.requiresVersion } : {}),
  };
}

function effectText(blocks: ('reads' | 'writes')[], locks: RelationLock[]): string {
  if (blocks.includes('reads')) return 'blocks reads and writes';
  if (blocks.includes('writes')) {
    return locks.some((l) => l.mode === 'EXCLUSIVE') ? 'blocks writes and locking reads (not plain reads)' : 'blocks writes (not reads)';
  }
  if (locks.some((l) => l.mode === 'SHARE UPDATE EXCLUSIVE')) {
    return 'blocks neither reads nor writes, only schema changes, VACUUM and other index builds';
  }
  if (locks.some((l) => l.mode === 'ROW EXCLUSIVE')) return 'blocks neither reads nor writes, only index builds and schema changes';
  if (locks.length > 0) return 'blocks only schema changes';
  return 'takes no table lock';
}
