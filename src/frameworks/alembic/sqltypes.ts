/**
 * SQLAlchemy column types and server defaults, written as SQLAlchemy's PostgreSQL dialect compiles them
 * (sqlalchemy/dialects/postgresql/base.py `PGTypeCompiler`, sqlalchemy/sql/compiler.py
 * `GenericTypeCompiler`), so an `op.*` call lowers into the SQL `alembic upgrade --sql` prints for it
 * (reference/frameworks.md §4.6; test/interop/alembic.test.ts compares the two).
 */
import type { PyValue } from '../../lang/python/index.js';

/** The class name of a type expression: `sa.String(50)` → `String`, `postgresql.JSONB` → `JSONB`. */
export function typeClass(v: PyValue): string | null {
  const path = v.kind === 'call' ? v.callee : v.kind === 'name' ? v.path : null;
  if (!path) return null;
  return path.slice(path.lastIndexOf('.') + 1);
}

function num(v: PyValue | undefined): number | null {
  return v?.kind === 'num' && Number.isInteger(v.value) ? v.value : null;
}

function kw(v: PyValue, name: string, index: number): PyValue | undefined {
  return v.kind === 'call' ? (v.kwargs.get(name) ?? v.args[index]) : undefined;
}

const PLAIN: Record<string, string> = {
  Text: 'TEXT',
  TEXT: 'TEXT',
  UnicodeText: 'TEXT',
  Integer: 'INTEGER',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BigInteger: 'BIGINT',
  BIGINT: 'BIGINT',
  SmallInteger: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  Boolean: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  Date: 'DATE',
  DATE: 'DATE',
  JSON: 'JSON',
  JSONB: 'JSONB',
  Uuid: 'UUID',
  UUID: 'UUID',
  LargeBinary: 'BYTEA',
  BYTEA: 'BYTEA',
  REAL: 'REAL',
  Double: 'DOUBLE PRECISION',
  DOUBLE: 'DOUBLE PRECISION',
  DOUBLE_PRECISION: 'DOUBLE PRECISION',
  INET: 'INET',
  CIDR: 'CIDR',
  MACADDR: 'MACADDR',
  MONEY: 'MONEY',
  OID: 'OID',
  TSVECTOR: 'TSVECTOR',
  HSTORE: 'HSTORE',
  CITEXT: 'CITEXT',
};

/** The PostgreSQL type SQLAlchemy writes for a type expression; null when it is not one we know. */
export function pgType(v: PyValue | undefined): string | null {
  if (!v) return null;
  const cls = typeClass(v);
  if (!cls) return null;
  if (cls in PLAIN) return PLAIN[cls]!;
  const tz = v.kind === 'call' ? v.kwargs.get('timezone') : undefined;
  const withTz = tz?.kind === 'bool' && tz.value;
  switch (cls) {
    case 'String':
    case 'Unicode':
    case 'VARCHAR':
    case 'NVARCHAR': {
      const n = num(kw(v, 'length', 0));
      return n === null ? 'VARCHAR' : `VARCHAR(${n})`;
    }
    case 'CHAR':
    case 'NCHAR': {
      const n = num(kw(v, 'length', 0));
      return n === null ? 'CHAR' : `CHAR(${n})`;
    }
    case 'DateTime':
    case 'TIMESTAMP':
      return withTz ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
    case 'Time':
    case 'TIME':
      return withTz ? 'TIME WITH TIME ZONE' : 'TIME WITHOUT TIME ZONE';
    case 'Interval':
    case 'INTERVAL':
      return 'INTERVAL';
    case 'Numeric':
    case 'NUMERIC':
    case 'DECIMAL': {
      const p = num(kw(v, 'precision', 0));
      const s = num(kw(v, 'scale', 1));
      return p === null ? 'NUMERIC' : s === null ? `NUMERIC(${p})` : `NUMERIC(${p}, ${s})`;
    }
    case 'Float':
    case 'FLOAT': {
      const p = num(kw(v, 'precision', 0));
      return p === null ? 'FLOAT' : `FLOAT(${p})`;
    }
    case 'ARRAY': {
      const item = pgType(kw(v, 'item_type', 0));
      return item === null ? null : `${item}[]`;
    }
    case 'Enum':
    case 'ENUM': {
      const name = v.kind === 'call' ? v.kwargs.get('name') : undefined;
      return name?.kind === 'str' ? quoteIdent(name.value) : null;
    }
    default:
      return null;
  }
}

/** Whether SQLAlchemy writes an autoincrementing primary key of this type as SERIAL (and its kind). */
export function serialOf(pg: string | null): string | null {
  switch (pg) {
    case 'INTEGER':
      return 'SERIAL';
    case 'BIGINT':
      return 'BIGSERIAL';
    case 'SMALLINT':
      return 'SMALLSERIAL';
    default:
      return null;
  }
}

/** `"name"` unless the name is a plain lower-case identifier that is not a keyword PostgreSQL reserves
 *  (SQLAlchemy's `IdentifierPreparer` rule, with PostgreSQL's reserved words). */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** PostgreSQL's reserved key words (Appendix C, "reserved" and "reserved (can be function or type)"). */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently ' +
    'constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default ' +
    'deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect ' +
    'into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer ' +
    'overlaps placing primary references returning right select session_user similar some symmetric system_user table tablesample then to ' +
    'trailing true union unique user using variadic verbose when where window with'
  ).split(' '),
);

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A `server_default` as SQLAlchemy renders it: a Python string is a quoted literal, `sa.text('…')` and
 * `sa.literal_column('…')` are SQL as written, `sa.func.now()` a function call, `sa.true()` / `sa.false()`
 * the constants. Null when it is none of these.
 */
export function serverDefault(v: PyValue): string | null {
  if (v.kind === 'str') return sqlString(v.value);
  if (v.kind !== 'call' || !v.callee) return null;
  const cls = v.callee.slice(v.callee.lastIndexOf('.') + 1);
  const first = v.args[0];
  if ((cls === 'text' || cls === 'literal_column') && first?.kind === 'str') return first.value;
  if (cls === 'true' && v.args.length === 0) return 'true';
  if (cls === 'false' && v.args.length === 0) return 'false';
  if (cls === 'null' && v.args.length === 0) return 'NULL';
  const parts = v.callee.split('.');
  if (parts.length >= 2 && parts[parts.length - 2] === 'func') {
    const name = parts[parts.length - 1]!;
    // ANSI functions SQLAlchemy writes without parentheses (sqlalchemy/sql/functions.py AnsiFunction).
    if (['current_timestamp', 'current_date', 'current_time', 'localtime', 'localtimestamp', 'current_user', 'session_user', 'user'].includes(name.toLowerCase()) && v.args.length === 0) {
      return name.toUpperCase();
    }
    const args: string[] = [];
    for (const a of v.args) {
      if (a.kind === 'str') args.push(sqlString(a.value));
      else if (a.kind === 'num') args.push(a.text);
      else return null;
    }
    return `${name}(${args.join(', ')})`;
  }
  return null;
}
