/**
 * Table-level lock modes and which of them conflict, as PostgreSQL defines them.
 *
 * Source: PostgreSQL 15 manual, "13.3.1. Table-Level Locks" and "Table 13.2. Conflicting Lock Modes"
 * (https://www.postgresql.org/docs/15/explicit-locking.html). The table has not changed since 8.2.
 */

/** Lock modes by the names the manual (and `LOCK TABLE ... IN <mode> MODE`) uses, weakest first. */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

/** Table 13.2: the modes each mode conflicts with. The relation is symmetric. */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  'ACCESS SHARE': ['ACCESS EXCLUSIVE'],
  'ROW SHARE': ['EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ROW EXCLUSIVE': ['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE UPDATE EXCLUSIVE': [
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  SHARE: ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE ROW EXCLUSIVE': [
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  EXCLUSIVE: [
    'ROW SHARE',
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  'ACCESS EXCLUSIVE': LOCK_MODES,
};

/** Whether a lock held in mode `a` makes a request for mode `b` wait. */
export function conflicts(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}

/** The modes `mode` conflicts with. */
export function conflictSet(mode: LockMode): readonly LockMode[] {
  return CONFLICTS[mode];
}

/**
 * What ordinary traffic a lock on a table holds up. Plain `SELECT` takes ACCESS SHARE and
 * `INSERT`/`UPDATE`/`DELETE` take ROW EXCLUSIVE (explicit-locking.html, 13.3.1), so a mode blocks reads
 * when it conflicts with ACCESS SHARE and writes when it conflicts with ROW EXCLUSIVE.
 */
export function blockedBy(mode: LockMode): ('reads' | 'writes')[] {
  const out: ('reads' | 'writes')[] = [];
  if (conflicts(mode, 'ACCESS SHARE')) out.push('reads');
  if (conflicts(mode, 'ROW EXCLUSIVE')) out.push('writes');
  return out;
}

/** `pg_locks.mode` names (`AccessExclusiveLock`) to the manual's names (`ACCESS EXCLUSIVE`). */
export function lockModeFromPgLocks(name: string): LockMode | undefined {
  const words = name
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return (LOCK_MODES as readonly string[]).includes(words) ? (words as LockMode) : undefined;
}

/**
 * The mode among `modes` whose conflicts cover all the others', if there is one: what a session holding
 * all of `modes` on one relation blocks. (SHARE and SHARE UPDATE EXCLUSIVE, for example, have no
 * single dominant mode; every combination a DDL statement takes does.)
 */
export function dominantMode(modes: readonly LockMode[]): LockMode | undefined {
  return modes.find((m) => modes.every((o) => CONFLICTS[o].every((c) => CONFLICTS[m].includes(c))));
}
