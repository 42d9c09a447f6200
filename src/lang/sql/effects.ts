/**
 * What a SQL text does to rows, for data-migration rules: found by walking every statement's AST, so DML
 * inside CTEs (`WITH d AS (DELETE ...) SELECT ...`), `MERGE` and `INSERT ... ON CONFLICT DO UPDATE` count.
 */

import type { Node } from 'libpg-query';
import type { DataEffects } from '../../model/statement.js';
import { unwrap } from './ast.js';

export function emptyEffects(): DataEffects {
  return { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false };
}

/** Adds what `node` does to `effects`. */
export function collectEffects(node: Node, effects: DataEffects): void {
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (!x || typeof x !== 'object') return;
    const n = x as Node;
    if (unwrap(n, 'InsertStmt')) {
      effects.inserts = true;
      if (unwrap(n, 'InsertStmt')!.onConflictClause?.action === 'ONCONFLICT_UPDATE') effects.updates = true;
    }
    if (unwrap(n, 'UpdateStmt')) effects.updates = true;
    if (unwrap(n, 'DeleteStmt')) effects.deletes = true;
    if (unwrap(n, 'TruncateStmt')) effects.deletes = true;
    const merge = unwrap(n, 'MergeStmt');
    if (merge) {
      for (const w of merge.mergeWhenClauses ?? []) {
        const c = unwrap(w, 'MergeWhenClause')?.commandType;
        if (c === 'CMD_INSERT') effects.inserts = true;
        if (c === 'CMD_UPDATE') effects.updates = true;
        if (c === 'CMD_DELETE') effects.deletes = true;
      }
    }
    const copy = unwrap(n, 'CopyStmt');
    if (copy?.is_from) effects.inserts = true;
    const drop = unwrap(n, 'DropStmt');
    if (drop) {
      if (drop.removeType === 'OBJECT_TABLE') effects.dropsData = true;
      if (drop.removeType === 'OBJECT_SCHEMA' && drop.behavior === 'DROP_CASCADE') effects.dropsData = true;
    }
    if (unwrap(n, 'AlterTableCmd')?.subtype === 'AT_DropColumn') effects.dropsData = true;
    // DO blocks and procedure calls run code this front end does not read.
    if (unwrap(n, 'DoStmt') || unwrap(n, 'CallStmt')) effects.opaque = true;
    for (const v of Object.values(x)) if (typeof v === 'object') visit(v);
  };
  visit(node);
}
