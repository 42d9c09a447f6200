/**
 * Which `ALTER COLUMN ... TYPE` changes rewrite the table.
 *
 * PostgreSQL 15 manual, sql-altertable.html, Notes: "changing the type of an existing column will
 * require the entire table and its indexes to be rewritten. As an exception, when changing the type of
 * an existing column, if the USING clause does not change the column contents and the old type is
 * either binary coercible to the new type or an unconstrained domain over the new type, a table rewrite
 * is not needed." The server decides this in `ATColumnChangeRequiresRewrite` (tablecmds.c) after the
 * planner has simplified the conversion: length coercions that cannot fail are turned into no-ops by the
 * types' support functions (`varchar_support`, `numeric_support`, `timestamp_support`, `time_support`,
 * `interval_support`, `varbit_support`), and from PostgreSQL 12 `timestamp` <-> `timestamptz` is a no-op
 * when the session time zone is UTC (release notes 12: "Allow ALTER TABLE ... SET DATA TYPE changing
 * between timestamp and timestamptz to avoid a table rewrite when the session time zone is UTC").
 *
 * The rules below mirror that logic: first the cast from the old base type to the new one (same type,
 * binary-coercible, or a conversion function), then the length/precision coercion to the new type
 * modifier. Every rule is checked against a real server by test/postgres/types.test.ts.
 */

import { DEFAULT_PG_VERSION } from './version.js';

/** A type name reduced to PostgreSQL's internal base name, its modifiers and array dimensions. */
export interface NormalizedType {
  /** Internal name: `int4`, `varchar`, `bpchar`, `timestamptz`, `numeric`; other names as written. */
  base: string;
  /** Type modifiers (`varchar(20)` → `[20]`, `numeric(10,2)` → `[10, 2]`); empty when unconstrained. */
  mods: number[];
  /** Array dimensions (`int[]` → 1). */
  array: number;
}

export interface TypeChange {
  /** The change rewrites the table and all its indexes. */
  rewrite: boolean;
  /** False when the types are not ones this table knows: `rewrite` is then the cautious answer. */
  certain: boolean;
  /** One line saying why, for messages and docs. */
  reason: string;
}

export interface TypeChangeOptions {
  /** PostgreSQL major version (default 15). */
  pgVersion?: number;
  /** The session's `TimeZone` setting when the migration runs, if known. */
  timeZone?: string;
}

/** Spellings of built-in types, to their internal names (datatype.html, Table 8.1). */
const ALIASES: Record<string, string> = {
  smallint: 'int2',
  int2: 'int2',
  smallserial: 'int2',
  serial2: 'int2',
  integer: 'int4',
  int: 'int4',
  int4: 'int4',
  serial: 'int4',
  serial4: 'int4',
  bigint: 'int8',
  int8: 'int8',
  bigserial: 'int8',
  serial8: 'int8',
  real: 'float4',
  float4: 'float4',
  'double precision': 'float8',
  float8: 'float8',
  float: 'float8',
  numeric: 'numeric',
  decimal: 'numeric',
  money: 'money',
  'character varying': 'varchar',
  'char varying': 'varchar',
  varchar: 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  bpchar: 'bpchar',
  text: 'text',
  name: 'name',
  bytea: 'bytea',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  time: 'time',
  'time without time zone': 'time',
  timetz: 'timetz',
  'time with time zone': 'timetz',
  date: 'date',
  interval: 'interval',
  boolean: 'bool',
  bool: 'bool',
  bit: 'bit',
  'bit varying': 'varbit',
  varbit: 'varbit',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  xml: 'xml',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr8',
  tsvector: 'tsvector',
  tsquery: 'tsquery',
  oid: 'oid',
};

/** Internal names this table knows: a change between two of them is decided with certainty. */
const KNOWN = new Set(Object.values(ALIASES));

/**
 * Casts that are binary-coercible (`pg_cast.castmethod = 'b'`): the value's bits are reused, so only a
 * following length coercion can force a rewrite. Checked against PostgreSQL 15's pg_cast.
 */
const BINARY_COERCIBLE = new Set([
  'text>varchar',
  'varchar>text',
  'text>bpchar',
  'varchar>bpchar',
  'cidr>inet',
  'bit>varbit',
  'varbit>bit',
  'xml>text',
  'xml>varchar',
  'xml>bpchar',
]);

/** Types whose length coercion has a planner support function that turns a widening into a no-op,
 *  and the largest precision (where "no precision" means that maximum). */
const SUPPORTED_TYPMOD: Record<string, 'length' | 'numeric' | { maxPrecision: number }> = {
  varchar: 'length',
  varbit: 'length',
  numeric: 'numeric',
  timestamp: { maxPrecision: 6 },
  timestamptz: { maxPrecision: 6 },
  time: { maxPrecision: 6 },
  timetz: { maxPrecision: 6 },
  interval: { maxPrecision: 6 },
};

/**
 * Parses one type name as a migration writes it (`VARCHAR(20)`, `timestamp(3) with time zone`,
 * `pg_catalog.int8`, `numeric(10, 2)[]`). Returns undefined for text that is not a type name.
 */
export function normalizeType(text: string): NormalizedType | undefined {
  const t = text.trim();
  // Quoted or schema-qualified user types: keep the name as written, no modifiers understood.
  const m =
    /^(?:pg_catalog\s*\.\s*)?([A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*?)\s*(?:\(\s*(-?\d+(?:\s*,\s*-?\d+)?)\s*\))?\s*((?:with|without)\s+time\s+zone)?\s*((?:\[\s*\d*\s*\]\s*)*)$/i.exec(
      t,
    );
  if (!m) {
    const user = /^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*))?\s*((?:\[\s*\d*\s*\]\s*)*)$/.exec(
      t,
    );
    if (!user) return undefined;
    const name = user[2] ? `${user[1]}.${user[2]}` : user[1]!;
    return { base: name, mods: [], array: countArray(user[3] ?? '') };
  }
  let words = m[1]!.toLowerCase().replace(/\s+/g, ' ');
  if (m[3]) words = `${words} ${m[3].toLowerCase().replace(/\s+/g, ' ')}`;
  let mods = m[2] ? m[2].split(',').map((s) => Number(s.trim())) : [];
  let base = ALIASES[words] ?? words;
  // float(p): p <= 24 is real, otherwise double precision (datatype-numeric.html 8.1.3).
  if (words === 'float' && mods.length === 1) {
    base = mods[0]! <= 24 ? 'float4' : 'float8';
    mods = [];
  }
  // `character` and `bit` without a length mean length 1 (datatype-character.html, datatype-bit.html).
  if ((words === 'character' || words === 'char' || words === 'bit') && mods.length === 0) mods = [1];
  // numeric(p) means numeric(p, 0).
  if (base === 'numeric' && mods.length === 1) mods = [mods[0]!, 0];
  return { base, mods, array: countArray(m[4] ?? '') };
}

function countArray(s: string): number {
  return (s.match(/\[/g) ?? []).length;
}

/** Time zone settings with a fixed UTC offset of zero (what `TimestampTimestampTzRequiresRewrite` checks). */
export function isUtcTimeZone(tz: string): boolean {
  const z = tz.trim().toLowerCase();
  if (/^[+-]?0+(?::0+){0,2}$/.test(z)) return true;
  return /^(?:etc\/)?(?:utc|uct|gmt|gmt[+-]?0|gmt0|universal|zulu|greenwich|z)$/.test(z);
}

/** Whether changing a column from type `from` to type `to` rewrites the table. */
export function typeChange(from: string, to: string, opts: TypeChangeOptions = {}): TypeChange {
  const pg = opts.pgVersion ?? DEFAULT_PG_VERSION;
  const a = normalizeType(from);
  const b = normalizeType(to);
  if (!a || !b) return unknown(from, to);
  const same = a.base === b.base && sameMods(a.mods, b.mods) && a.array === b.array;
  if (same) return { rewrite: false, certain: true, reason: `${from} and ${to} are the same type: no rewrite` };
  if (!KNOWN.has(a.base) || !KNOWN.has(b.base)) return unknown(from, to);
  if (a.array || b.array) {
    // An array coercion is never simplified away: any change of element type or modifier rewrites
    // (checked: varchar(5)[] -> varchar(10)[] and varchar(5)[] -> text[] both rewrite on 15).
    return { rewrite: true, certain: true, reason: `changing ${from} to ${to} converts every array element` };
  }

  // Step 1: the cast between base types.
  let sourceMods: number[] | undefined; // the old type modifier, when the cast keeps it visible
  if (a.base === b.base) {
    sourceMods = a.mods;
  } else if (BINARY_COERCIBLE.has(`${a.base}>${b.base}`)) {
    sourceMods = undefined; // a relabel to another type carries no modifier (typmod -1)
  } else if (isTimestampPair(a.base, b.base)) {
    const utc = opts.timeZone !== undefined && isUtcTimeZone(opts.timeZone);
    if (pg < 12 || !utc) {
      const why =
        pg < 12
          ? 'before PostgreSQL 12 it always rewrites'
          : opts.timeZone === undefined
            ? 'it rewrites unless the session time zone is UTC (not known here)'
            : `the session time zone ${opts.timeZone} is not UTC`;
      return { rewrite: true, certain: opts.timeZone !== undefined || pg < 12, reason: `${from} to ${to}: ${why}` };
    }
    sourceMods = undefined; // the conversion function's result has no modifier
  } else {
    return {
      rewrite: true,
      certain: true,
      reason: `${from} to ${to} needs a conversion function: every row is rewritten`,
    };
  }

  // Step 2: the length/precision coercion to the new modifier.
  if (b.mods.length === 0) {
    return { rewrite: false, certain: true, reason: `${from} to ${to} is binary-coercible: no rewrite` };
  }
  if (sourceMods !== undefined && sameMods(sourceMods, b.mods)) {
    return { rewrite: false, certain: true, reason: `${from} to ${to} keeps the same modifier: no rewrite` };
  }
  const rule = SUPPORTED_TYPMOD[b.base];
  let noop = false;
  if (rule === 'length') {
    noop = sourceMods !== undefined && sourceMods.length > 0 && b.mods[0]! >= sourceMods[0]!;
  } else if (rule === 'numeric') {
    noop =
      sourceMods !== undefined &&
      sourceMods.length === 2 &&
      b.mods.length === 2 &&
      b.mods[1] === sourceMods[1] &&
      b.mods[0]! >= sourceMods[0]!;
  } else if (rule) {
    noop =
      b.mods[0] === rule.maxPrecision ||
      (sourceMods !== undefined && sourceMods.length > 0 && b.mods[0]! >= sourceMods[0]!);
  }
  return noop
    ? { rewrite: false, certain: true, reason: `${from} to ${to} only relaxes the type modifier: no rewrite` }
    : {
        rewrite: true,
        certain: true,
        reason: `${from} to ${to} must check or convert every value: every row is rewritten`,
      };
}

function isTimestampPair(a: string, b: string): boolean {
  return (a === 'timestamp' && b === 'timestamptz') || (a === 'timestamptz' && b === 'timestamp');
}

function sameMods(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function unknown(from: string, to: string): TypeChange {
  return {
    rewrite: true,
    certain: false,
    reason: `${from} to ${to}: not a change this table knows, assuming it rewrites the table`,
  };
}
