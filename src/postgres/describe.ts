/**
 * The words rules quote from the lock table: a short name for the operation and one sentence saying
 * which lock it takes on what and what that blocks, e.g.
 * `CREATE INDEX takes SHARE on "orders": blocks writes (not reads) until the transaction commits`.
 */

import type { Statement } from '../model/statement.js';
import type { LockFacts, RelationLock } from './locks.js';

/** The SQL name of what a statement does, whatever framework produced it (`ADD COLUMN`, `CREATE INDEX`). */
export function operationLabel(st: Statement): string {
  const conc = (c: boolean) => (c ? ' CONCURRENTLY' : '');
  switch (st.kind) {
    case 'create_table':
      return 'CREATE TABLE';
    case 'drop_table':
      return 'DROP TABLE';
    case 'rename_table':
      return 'RENAME TABLE';
    case 'add_column':
      return 'ADD COLUMN';
    case 'drop_column':
      return 'DROP COLUMN';
    case 'rename_column':
      return 'RENAME COLUMN';
    case 'alter_column_type':
      return 'ALTER COLUMN TYPE';
    case 'set_not_null':
      return 'SET NOT NULL';
    case 'drop_not_null':
      return 'DROP NOT NULL';
    case 'set_default':
      return 'SET DEFAULT';
    case 'drop_default':
      return 'DROP DEFAULT';
    case 'alter_column':
      return 'ALTER COLUMN';
    case 'create_index':
      return `CREATE ${st.unique ? 'UNIQUE ' : ''}INDEX${conc(st.concurrently)}`;
    case 'drop_index':
      return `DROP INDEX${conc(st.concurrently)}`;
    case 'rename_index':
      return 'RENAME INDEX';
    case 'add_constraint': {
      const t = st.constraint.type;
      const name =
        t === 'check'
          ? 'CHECK'
          : t === 'unique'
            ? 'UNIQUE'
            : t === 'primary_key'
              ? 'PRIMARY KEY'
              : t === 'foreign_key'
                ? 'FOREIGN KEY'
                : t === 'exclusion'
                  ? 'EXCLUDE'
                  : 'CONSTRAINT';
      return `ADD ${name}${st.constraint.notValid ? ' NOT VALID' : ''}`;
    }
    case 'validate_constraint':
      return 'VALIDATE CONSTRAINT';
    case 'drop_constraint':
      return 'DROP CONSTRAINT';
    case 'reindex':
      return `REINDEX${conc(st.concurrently)}`;
    case 'cluster':
      return 'CLUSTER';
    case 'vacuum':
      return st.full ? 'VACUUM FULL' : 'VACUUM';
    case 'analyze':
      return 'ANALYZE';
    case 'set_logged':
      return st.logged ? 'SET LOGGED' : 'SET UNLOGGED';
    case 'set_access_method':
      return 'SET ACCESS METHOD';
    case 'truncate':
      return 'TRUNCATE';
    case 'create_trigger':
      return 'CREATE TRIGGER';
    case 'alter_trigger':
      return st.enabled ? 'ENABLE TRIGGER' : 'DISABLE TRIGGER';
    case 'attach_partition':
      return 'ATTACH PARTITION';
    case 'detach_partition':
      return `DETACH PARTITION${conc(st.concurrently)}${st.finalize ? ' FINALIZE' : ''}`;
    case 'alter_table':
      return st.detail;
    case 'create_materialized_view':
      return 'CREATE MATERIALIZED VIEW';
    case 'refresh_materialized_view':
      return `REFRESH MATERIALIZED VIEW${conc(st.concurrently)}`;
    case 'create_enum':
      return 'CREATE TYPE AS ENUM';
    case 'add_enum_value':
      return 'ALTER TYPE ADD VALUE';
    case 'set_setting':
      return st.value === null ? 'RESET' : 'SET';
    case 'transaction':
      return st.action.toUpperCase().replace('_', ' ');
    case 'update':
      return 'UPDATE';
    case 'delete':
      return 'DELETE';
    case 'insert':
      return 'INSERT';
    case 'drop_schema':
      return 'DROP SCHEMA';
    case 'drop_database':
      return 'DROP DATABASE';
    case 'run_code':
      return st.language === 'python' ? 'Python code' : 'JavaScript code';
    case 'raw_sql':
      return 'raw SQL';
    case 'other':
      return st.description;
  }
}

/**
 * One sentence for a finding's message: the operation, each lock it takes and on what, and what waits.
 * `CREATE INDEX takes SHARE on "orders": blocks writes (not reads) until the transaction commits`.
 */
export function describeLock(st: Statement, facts: LockFacts, opts: { autocommit?: boolean } = {}): string {
  const op = operationLabel(st);
  // Statements outside a transaction block release their locks when they finish.
  const until = facts.nonTransactional || opts.autocommit ? 'while it runs' : 'until the transaction commits';
  if (facts.locks.length === 0) return `${op} takes no table lock`;
  const parts: string[] = [];
  const byMode = new Map<string, string[]>();
  for (const l of facts.locks) {
    const list = byMode.get(l.mode) ?? [];
    list.push(relationText(l));
    byMode.set(l.mode, list);
  }
  for (const [mode, rels] of byMode) parts.push(`${mode} on ${joinAnd(rels)}`);
  return `${op} takes ${joinAnd(parts)}: ${facts.effect} ${until}`;
}

function relationText(l: RelationLock): string {
  if (l.relation === 'index') {
    if (l.index !== undefined) return `index "${l.index}"`;
    return l.table === null ? 'its indexes' : `every index of "${l.table}"`;
  }
  if (l.table !== null) return `"${l.table}"`;
  return l.index !== undefined ? `the table of index "${l.index}"` : 'its table';
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}
