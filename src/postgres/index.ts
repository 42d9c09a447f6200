/**
 * PostgreSQL knowledge in one place (DESIGN.md): lock modes and their conflicts, the lock table per
 * statement, column type changes, and the words rules quote. Verified against a real server by
 * test/postgres/.
 */
export { LOCK_MODES, blockedBy, conflictSet, conflicts, dominantMode, lockModeFromPgLocks } from './modes.js';
export type { LockMode } from './modes.js';
export { lockFacts } from './locks.js';
export type { Assumption, LockFacts, LockOptions, RelationLock } from './locks.js';
export { describeLock, operationLabel } from './describe.js';
export { isUtcTimeZone, normalizeType, typeChange } from './types.js';
export type { NormalizedType, TypeChange, TypeChangeOptions } from './types.js';
export { DEFAULT_PG_VERSION, parsePgVersion, pgMajorFromVersionNum } from './version.js';
