/**
 * Version numbers as each SQL tool reads them from a file name, and the order it sorts them in.
 */

/**
 * An integer version written in decimal (golang-migrate `strconv.ParseUint` in source/parse.go, goose
 * `NumericComponent` in migrate.go). BigInt, because timestamps such as `20240101120000` are near the
 * limit of exact doubles and a uint64 is past it. `000001` and `1` are the same version to both tools.
 */
export function integerVersion(digits: string): bigint {
  return BigInt(digits);
}

export function compareBigInts(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A Flyway version (flyway-core `MigrationVersion`): `_` is another way to write `.`, each part is a
 * BigInteger, and trailing zero parts are dropped, so `1.2`, `1_2` and `1.2.0` are one version.
 */
export function flywayVersion(raw: string): bigint[] {
  const parts = raw
    .replace(/_/g, '.')
    .split('.')
    .map((p) => BigInt(p));
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

/** `MigrationVersion.compareTo`: part by part, a missing part counting as zero (so `V10` comes after `V9`). */
export function compareFlywayVersions(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareBigInts(a[i] ?? 0n, b[i] ?? 0n);
    if (c !== 0) return c;
  }
  return 0;
}

/** Compares strings by UTF-16 code units, as Java's `String.compareTo` and Go's `<` (on ASCII) do. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
