/**
 * PostgreSQL versions as the lock model uses them: a major version number. `11` means 11.0; every fact
 * the model knows changes at a major release, so minor versions are not modelled.
 */

/** The version assumed when none is configured (the oldest major still commonly deployed; squawk's
 *  default too). */
export const DEFAULT_PG_VERSION = 15;

/**
 * Reads a configured version: `15`, `'15'`, `'15.4'`, `'9.6'`, or a `server_version_num` (`150004`).
 * Returns the major version (9.6 stays 9.6: before 10 the major version had two parts).
 */
export function parsePgVersion(v: string | number): number {
  const n = typeof v === 'number' ? v : Number.parseFloat(v);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`not a PostgreSQL version: ${String(v)}`);
  if (n >= 10000) return pgMajorFromVersionNum(Math.trunc(n));
  if (typeof v === 'string') {
    const [major, minor] = v.trim().split('.');
    const maj = Number(major);
    if (maj >= 10) return maj;
    return Number(`${maj}.${minor ?? '0'}`);
  }
  return n >= 10 ? Math.trunc(n) : n;
}

/** `server_version_num` (`150018`, `90624`) to the major version (`15`, `9.6`). */
export function pgMajorFromVersionNum(num: number): number {
  if (num >= 100000) return Math.trunc(num / 10000);
  return Math.trunc(num / 10000) + Math.trunc((num % 10000) / 100) / 10;
}
