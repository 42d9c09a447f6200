/**
 * Function volatility (`pg_proc.provolatile`) for the functions migrations use in column defaults. It
 * decides whether `ADD COLUMN ... DEFAULT f()` rewrites the table: "Adding a column with a volatile
 * DEFAULT ... will require the entire table and its indexes to be rewritten" (sql-altertable.html 15).
 * Values from PostgreSQL 15's catalog (`SELECT proname, provolatile FROM pg_proc`); test/postgres checks
 * each entry against the server. Functions not listed are unknown: user functions are VOLATILE unless
 * declared otherwise (sql-createfunction.html), so callers treat unknown as possibly volatile.
 */

import type { Node } from 'libpg-query';
import { strings, unwrap } from './ast.js';

export type Volatility = 'immutable' | 'stable' | 'volatile';

/** Sorted by volatility, then name. */
export const FUNCTION_VOLATILITY: Readonly<Record<string, Volatility>> = {
  abs: 'immutable',
  btrim: 'immutable',
  ceil: 'immutable',
  floor: 'immutable',
  left: 'immutable',
  lower: 'immutable',
  make_date: 'immutable',
  make_interval: 'immutable',
  md5: 'immutable',
  replace: 'immutable',
  right: 'immutable',
  round: 'immutable',
  split_part: 'immutable',
  upper: 'immutable',
  uuid_nil: 'immutable',
  concat: 'stable',
  current_database: 'stable',
  current_setting: 'stable',
  json_build_object: 'stable',
  jsonb_build_array: 'stable',
  jsonb_build_object: 'stable',
  now: 'stable',
  statement_timestamp: 'stable',
  to_char: 'stable',
  to_jsonb: 'stable',
  transaction_timestamp: 'stable',
  txid_current: 'stable',
  clock_timestamp: 'volatile',
  currval: 'volatile',
  gen_random_uuid: 'volatile',
  lastval: 'volatile',
  nextval: 'volatile',
  random: 'volatile',
  setval: 'volatile',
  timeofday: 'volatile',
  uuid_generate_v1: 'volatile',
  uuid_generate_v1mc: 'volatile',
  uuid_generate_v4: 'volatile',
};

/**
 * The volatility of an expression: the most volatile function in it. `CURRENT_TIMESTAMP` and friends
 * (SQLValueFunction) are stable; constants, casts of constants and operators on them are immutable
 * (built-in operators are). Undefined when it calls a function this table does not know, or contains a
 * subquery.
 */
export function expressionVolatility(n: unknown): Volatility | undefined {
  let worst = 'immutable' as Volatility;
  let unknown = false;
  const rank = { immutable: 0, stable: 1, volatile: 2 } as const;
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (!x || typeof x !== 'object') return;
    const node = x as Node;
    const call = unwrap(node, 'FuncCall');
    if (call) {
      const name = strings(call.funcname);
      const fn = name.length === 2 && name[0] === 'pg_catalog' ? name[1]! : name.length === 1 ? name[0]! : undefined;
      const v = fn === undefined ? undefined : FUNCTION_VOLATILITY[fn.toLowerCase()];
      if (v === undefined) unknown = true;
      else if (rank[v] > rank[worst]) worst = v;
    }
    if (unwrap(node, 'SQLValueFunction') && rank.stable > rank[worst]) worst = 'stable';
    if (unwrap(node, 'SubLink')) unknown = true;
    for (const v of Object.values(x)) if (typeof v === 'object') visit(v);
  };
  visit(n);
  if (worst === 'volatile') return 'volatile';
  return unknown ? undefined : worst;
}
