/**
 * Versions and order of sequence-ordered sets, as each tool reads them from file names and sorts them.
 * The SQL-file front end sorts its sets with these helpers; `compareInSet` gives the same order from a
 * migration's own fields (`name`, `file`, `version`), so migrations of different snapshots of one set
 * (the target branch's newest against a branch's new one) compare the way the tool would compare them.
 */
import type { Migration, MigrationSet } from './types.js';

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

const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/**
 * Orders two migrations of one sequence-ordered set the way its tool applies them: negative when `a`
 * runs first, 0 for the same place. Works from each migration's own fields, never from its position in
 * `set.migrations`, so `a` and `b` may come from different snapshots of the set.
 *
 * - golang-migrate, goose, a plain directory: the integer version, then the file name (golang-migrate
 *   `source.Migrations` index; goose `Migrations.Less`; a duplicate version is refused by both, and the
 *   file name only makes the order total);
 * - Flyway: `MigrationVersion.compareTo`, then the file; repeatable scripts after every versioned one, by
 *   description (`ResolvedMigrationComparator`);
 * - dbmate: the file name by code units (pkg/dbmate/db.go `FindMigrations` sorts by `FileName`);
 * - Prisma: the folder path by `localeCompare` (packages/migrate/src/utils/listMigrations.ts).
 *
 * Throws for a graph-ordered set and for tools whose order is not modelled yet: guessing would report
 * conflicts that are not there.
 */
export function compareInSet(set: MigrationSet, a: Migration, b: Migration): number {
  if (set.ordering !== 'sequence') throw new Error(`compareInSet: ${set.id} is ordered by its graph, not by a key`);
  switch (set.framework) {
    case 'golang-migrate':
    case 'goose':
    case 'sql':
      return compareBigInts(integerVersion(versionOf(a)), integerVersion(versionOf(b))) || compareCodeUnits(baseOf(a.file), baseOf(b.file));
    case 'flyway': {
      if (a.repeatable || b.repeatable) {
        if (!a.repeatable) return -1;
        if (!b.repeatable) return 1;
        return compareCodeUnits(repeatableDescription(a), repeatableDescription(b)) || compareCodeUnits(a.file, b.file);
      }
      return compareFlywayVersions(flywayVersion(versionOf(a)), flywayVersion(versionOf(b))) || compareCodeUnits(a.file, b.file);
    }
    case 'dbmate':
      return compareCodeUnits(baseOf(a.file), baseOf(b.file));
    case 'prisma':
      // The folder is the migration (`<folder>/migration.sql`, also when that file is missing).
      return dirOf(a.file).localeCompare(dirOf(b.file));
    case 'knex':
    case 'sequelize':
      // Knex: `lodash.sortBy(migrations, 'file')`, the file name with its extension (Migrator.js);
      // umzug: `paths.sort()` (src/umzug.ts). Both compare code units.
      return compareCodeUnits(baseOf(a.file), baseOf(b.file));
    case 'typeorm':
      // MigrationExecutor.getMigrations: by the 13-digit timestamp ending the class name (stable sort).
      return compareBigInts(BigInt(versionOf(a)), BigInt(versionOf(b))) || compareCodeUnits(a.file, b.file);
    case 'node-pg-migrate':
      // utils/comparators.ts compareMigrationFileNames: the numeric prefix, then the whole name.
      return compareBigInts(BigInt(versionOf(a)), BigInt(versionOf(b))) || baseOf(a.file).localeCompare(baseOf(b.file), undefined, { usage: 'sort', numeric: true, sensitivity: 'variant', ignorePunctuation: true });
    default:
      throw new Error(`compareInSet: the order of ${set.framework} sets is not modelled`);
  }
}

function versionOf(m: Migration): string {
  // The SQL-file front end sets a version on every migration of these tools but Flyway repeatables: one
  // missing here is a front-end bug, not something to sort around.
  if (m.version === undefined) throw new Error(`compareInSet: ${m.file} has no version`);
  return m.version;
}

/** A Flyway repeatable's description: its name is `R__<description>`, with `_` read as a space. */
function repeatableDescription(m: Migration): string {
  return m.name.replace(/^R__/, '').replace(/_/g, ' ');
}
