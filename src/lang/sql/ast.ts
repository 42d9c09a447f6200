/**
 * Small helpers over libpg-query's JSON AST (the `@pgsql/types` shapes): unwrapping nodes, names as
 * PostgreSQL folds them, type names, and the source text of an expression.
 */

import type { Node, RangeVar, TypeName } from 'libpg-query';
import type { SqlToken } from './parser.js';

/** Every node tag of the AST (`IndexStmt`, `A_Const`, ...). */
export type NodeTag = Node extends infer U ? (U extends unknown ? keyof U : never) : never;
/** The payload type of one node tag. */
export type NodeOf<T extends NodeTag> = Extract<Node, Record<T, unknown>> extends infer U
  ? U extends Record<T, infer V>
    ? V
    : never
  : never;

/** The payload of `n` if it is a `tag` node. */
export function unwrap<T extends NodeTag>(n: Node | undefined | null, tag: T): NodeOf<T> | undefined {
  if (!n || typeof n !== 'object' || !(tag in n)) return undefined;
  return (n as Record<T, NodeOf<T>>)[tag];
}

/** The tag of a node (`IndexStmt`). */
export function tagOf(n: Node): string {
  return Object.keys(n)[0] ?? '';
}

/** A `String` node's value. */
export function str(n: Node | undefined): string | undefined {
  return unwrap(n, 'String')?.sval;
}

/** A list of `String` nodes (a qualified name) as strings. */
export function strings(list: Node[] | undefined): string[] {
  return (list ?? []).flatMap((n) => {
    const s = str(n);
    return s === undefined ? [] : [s];
  });
}

/** A relation as written, with its schema kept (`public.orders`); names are already folded by the parser. */
export function relName(r: RangeVar | undefined): string {
  if (!r) return '';
  return [r.catalogname, r.schemaname, r.relname].filter((x): x is string => !!x).join('.');
}

/** A `List` node of `String`s (`DROP INDEX s.i` objects) as a dotted name. */
export function listName(n: Node | undefined): string {
  const list = unwrap(n, 'List');
  if (list) return strings(list.items).join('.');
  return str(n) ?? '';
}

/** `SQL names of internal type names, for readable messages (int8 -> bigint). */
const DISPLAY: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

/** Interval field masks (`INTERVAL_MASK` in datetime.h) as the grammar encodes `interval day to second`. */
const INTERVAL_FIELDS: Record<number, string> = {
  4: 'year',
  2: 'month',
  8: 'day',
  1024: 'hour',
  2048: 'minute',
  4096: 'second',
  6: 'year to month',
  1032: 'day to hour',
  3080: 'day to minute',
  7176: 'day to second',
  3072: 'hour to minute',
  7168: 'hour to second',
  6144: 'minute to second',
};
const INTERVAL_FULL_RANGE = 0x7fff;

function intConst(n: Node | undefined): number | undefined {
  const c = unwrap(n, 'A_Const');
  if (!c) return undefined;
  if (c.ival) return c.ival.ival ?? 0;
  return undefined;
}

/**
 * A type name in readable SQL (`bigint`, `varchar(20)`, `numeric(10,2)`, `timestamptz`, `text[]`),
 * built from the parsed name so that `character varying(20)` and `VARCHAR(20)` read the same.
 */
export function renderType(t: TypeName | undefined): string {
  if (!t) return '';
  const names = strings(t.names);
  const builtin = names.length === 2 && names[0] === 'pg_catalog';
  const base = builtin ? names[1]! : names.join('.');
  const mods = (t.typmods ?? []).map(intConst);
  let out = builtin ? (DISPLAY[base] ?? base) : base;
  if (builtin && base === 'interval') {
    const [range, precision] = mods;
    if (range !== undefined && range !== INTERVAL_FULL_RANGE && INTERVAL_FIELDS[range]) out += ` ${INTERVAL_FIELDS[range]}`;
    if (precision !== undefined) out += `(${precision})`;
  } else if (mods.length > 0 && mods.every((m) => m !== undefined)) {
    out += `(${mods.join(',')})`;
  }
  for (const _ of t.arrayBounds ?? []) out += '[]';
  if (t.setof) out = `setof ${out}`;
  return out;
}

/** All `location` values in a subtree (bytes relative to the parsed text). */
export function locations(n: unknown, out: number[] = []): number[] {
  if (Array.isArray(n)) {
    for (const x of n) locations(x, out);
  } else if (n && typeof n === 'object') {
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) out.push(v);
      else if (typeof v === 'object') locations(v, out);
    }
  }
  return out;
}

/**
 * The source range of an expression. AST nodes record where they start but not where they end, so the
 * range runs from the smallest to the largest `location` in the subtree and is then widened on the
 * tokens until it is a whole expression: unbalanced parentheses and brackets are closed (in either
 * direction), a function name takes its argument list, multi-word type names (`double precision`,
 * `timestamp with time zone`), `IS [NOT] NULL` tails and `CASE ... END` are completed.
 */
export function exprRange(
  node: unknown,
  tokens: SqlToken[],
  toOffset: (byteLocation: number) => number,
  limit: number,
): { start: number; end: number } | undefined {
  const locs = locations(node);
  if (locs.length === 0) return undefined;
  const code = tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'semicolon' && t.end <= limit);
  const lo = toOffset(Math.min(...locs));
  const hi = toOffset(Math.max(...locs));
  let a = code.findIndex((t) => t.end > lo);
  let b = code.findIndex((t) => t.end > hi);
  if (a < 0) return undefined;
  if (b < 0) b = code.length - 1;
  const at = (i: number) => code[i];
  const up = (i: number) => code[i]?.upper.toUpperCase() ?? '';
  for (let changed = true; changed; ) {
    changed = false;
    // Balance ( ) and [ ] inside the range.
    let depth = 0;
    let minDepth = 0;
    let cases = 0;
    for (let i = a; i <= b; i++) {
      const t = at(i)!;
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') depth--;
      minDepth = Math.min(minDepth, depth);
      if (up(i) === 'CASE') cases++;
      else if (up(i) === 'END') cases--;
    }
    if (minDepth < 0 && a > 0) {
      a--;
      changed = true;
      continue;
    }
    if (depth - minDepth > 0 && b + 1 < code.length) {
      b++;
      changed = true;
      continue;
    }
    if (cases > 0 && b + 1 < code.length) {
      b++;
      changed = true;
      continue;
    }
    const last = up(b);
    const next = up(b + 1);
    const grow =
      (next === '(' && /^[A-Za-z_"]/.test(at(b)?.text ?? '') && !['AND', 'OR', 'NOT', 'IN', 'IS'].includes(last)) ||
      next === '[' ||
      (last === 'DOUBLE' && next === 'PRECISION') ||
      (['CHARACTER', 'CHAR', 'BIT', 'NATIONAL'].includes(last) && next === 'VARYING') ||
      ((last === 'TIMESTAMP' || last === 'TIME' || last === ')') && (next === 'WITH' || next === 'WITHOUT')) ||
      ((last === 'WITH' || last === 'WITHOUT') && next === 'TIME') ||
      (last === 'TIME' && next === 'ZONE') ||
      (last === 'IS' && ['NOT', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'DOCUMENT'].includes(next)) ||
      (last === 'NOT' && up(b - 1) === 'IS' && ['NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'DOCUMENT'].includes(next));
    if (grow && b + 1 < code.length) {
      b++;
      changed = true;
    }
  }
  return { start: at(a)!.start, end: at(b)!.end };
}
