/**
 * Which directories hold migrations of which SQL tool, and each tool's list of migrations in the order it
 * applies them, from file names (reference/frameworks.md §16, strongest signal first). Only goose and
 * dbmate need the files' contents to be told apart from a plain numbered directory: `layoutsFromNames`
 * hands those directories back for index.ts to read, and `layoutFromMarkers` finishes them.
 */
import type { Framework } from '../../model/types.js';
import { compareBigInts, compareCodeUnits, compareFlywayVersions, flywayVersion, integerVersion } from '../../model/order.js';

export type SqlTool = Extract<Framework, 'prisma' | 'golang-migrate' | 'flyway' | 'dbmate' | 'goose' | 'sql'>;

/** One migration as the tool lists it, before any file is read. */
export interface Entry {
  /** Identity as the tool records it: Prisma folder name, golang-migrate/goose version number, Flyway
   *  version (`1.2`) or `R__<desc>`, dbmate version digits as written, plain file name without `.sql`. */
  name: string;
  /** The version key (`Migration.version`): golang-migrate, goose and plain integers without leading
   *  zeros, the normalised Flyway version, dbmate digits as written, a Prisma folder's timestamp. */
  version?: string;
  /** The file with the forward SQL. For a golang-migrate down or Flyway undo with no forward file, the
   *  down file itself; for a Prisma folder without `migration.sql`, the path that is missing. */
  file: string;
  /** The forward file is missing (see `file`). */
  noForward?: true;
  /** A separate down file: golang-migrate `.down.sql`, Flyway `U` script. */
  down?: string;
  /** Flyway's per-script configuration, `<script>.conf`. */
  conf?: string;
  repeatable?: true;
}

export interface Layout {
  tool: SqlTool;
  /** The migrations directory. */
  dir: string;
  entries: Entry[];
  /** Prisma's `migration_lock.toml`, when present. */
  lockFile?: string;
  /** Whether the tool has down migrations at all in this set (Flyway: whether any `U` script exists). */
  hasDowns: boolean;
}

/** A directory of numbered `.sql` files whose tool only their contents can tell. */
export interface Unsorted {
  dir: string;
  /** File names (not paths) that start with a digit and end in `.sql`. */
  names: string[];
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

/** Prisma folder names (prisma/prisma-engines `create_migration.rs`: `YYYYMMDDHHMMSS_<name>`). */
const PRISMA_FOLDER = /^\d{14}_.+$/;
const PRISMA_STAMP = /^(\d{14})_/;
/** golang-migrate source/parse.go `Regex`, for SQL files. */
const GOLANG_MIGRATE = /^([0-9]+)_(.*)\.(down|up)\.sql$/;
/** Flyway versioned (`V`) and undo (`U`) scripts: prefix, version, `__`, description, `.sql`. */
const FLYWAY_VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;
/** dbmate pkg/dbmate/db.go `migrationFileRegexp`: the leading digits are the version. */
const DBMATE = /^(\d+).*\.sql$/;
/** goose `NumericComponent`: the digits before the first `_`. */
const GOOSE = /^(\d+)_.*\.sql$/;
/** A plain ordered directory: `0001_init.sql`, `002-add-index.sql`. */
const PLAIN = /^(\d+)[_-].*\.sql$/;

/**
 * Layouts that file names decide (Prisma, golang-migrate, Flyway), and the directories left for their
 * contents to decide.
 */
export function layoutsFromNames(files: readonly string[]): { layouts: Layout[]; unsorted: Unsorted[] } {
  const present = new Set(files);
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const d = dirOf(f);
    let names = byDir.get(d);
    if (!names) byDir.set(d, (names = []));
    names.push(baseOf(f));
  }
  const prisma = prismaLayouts(files, present);
  // A Prisma migrations folder and everything inside it belong to Prisma, whatever the files are called.
  const claimed = (d: string) => prisma.some((l) => d === l.dir || l.dir === '' || d.startsWith(`${l.dir}/`));
  const layouts = [...prisma];
  const unsorted: Unsorted[] = [];
  for (const [dir, names] of [...byDir].sort(([a], [b]) => compareCodeUnits(a, b))) {
    if (claimed(dir)) continue;
    // drizzle-kit 0.x writes `NNNN_name.sql` next to `meta/_journal.json` and runs them all in one
    // transaction (frameworks.md §11, §16): not a plain directory, and not ours to read yet.
    if (present.has(join(dir, 'meta/_journal.json'))) continue;
    const sorted = [...names].sort(compareCodeUnits);
    const layout = golangMigrate(dir, sorted) ?? flyway(dir, sorted, present);
    if (layout) {
      layouts.push(layout);
      continue;
    }
    // SQL files beside a Python package's `__init__.py` (a Django migrations package) are read by its
    // migrations (`RunSQL(open(...).read())`), not run as a directory of their own.
    const numbered = sorted.filter((n) => DBMATE.test(n));
    if (numbered.length > 0 && !names.includes('__init__.py')) unsorted.push({ dir, names: numbered });
  }
  return { layouts, unsorted };
}

/**
 * Prisma: a directory holding `migration_lock.toml`, or `<14 digits>_<name>/migration.sql` folders
 * (frameworks.md §5.1). Every direct subdirectory is a migration, sorted by `localeCompare` of its path
 * (prisma/prisma packages/migrate/src/utils/listMigrations.ts); one without `migration.sql` stops
 * `migrate deploy` (P3015), so it is kept and reported.
 */
function prismaLayouts(files: readonly string[], present: ReadonlySet<string>): Layout[] {
  const dirs = new Set<string>();
  for (const f of files) {
    if (baseOf(f) === 'migration_lock.toml') dirs.add(dirOf(f));
    if (baseOf(f) === 'migration.sql' && PRISMA_FOLDER.test(baseOf(dirOf(f)))) {
      const d = dirOf(dirOf(f));
      // drizzle-kit 1.0 uses the same folder names, with a snapshot.json beside migration.sql (§11.2).
      if (!present.has(join(dirOf(f), 'snapshot.json'))) dirs.add(d);
    }
  }
  return [...dirs].sort(compareCodeUnits).map((dir) => prismaLayout(dir, files, present));
}

function prismaLayout(dir: string, files: readonly string[], present: ReadonlySet<string>): Layout {
  const prefix = dir === '' ? '' : `${dir}/`;
  const folders = new Set<string>();
  for (const f of files) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length);
    if (rest.includes('/')) folders.add(rest.slice(0, rest.indexOf('/')));
  }
  const entries = [...folders]
    .sort((a, b) => join(dir, a).localeCompare(join(dir, b)))
    .map((name): Entry => {
      const file = join(dir, `${name}/migration.sql`);
      // Every folder is a migration, but only `<14 digits>_` names carry a creation timestamp.
      const stamp = PRISMA_STAMP.exec(name)?.[1];
      return { name, ...(stamp ? { version: stamp } : {}), file, ...(present.has(file) ? {} : { noForward: true as const }) };
    });
  const lock = join(dir, 'migration_lock.toml');
  return { tool: 'prisma', dir, entries, hasDowns: false, ...(present.has(lock) ? { lockFile: lock } : {}) };
}

/**
 * golang-migrate: `<version>_<title>.up.sql` / `.down.sql`. A version is one migration; its down file, if
 * any, is its reverse. A down without an up is kept: `migrate up` runs an empty migration for it
 * (migrate.go `newMigration`, "create empty migration"). Duplicate versions are kept side by side; the
 * tool itself refuses them (`duplicate migration file`).
 */
function golangMigrate(dir: string, names: string[]): Layout | null {
  const matched = names.flatMap((n) => {
    const m = GOLANG_MIGRATE.exec(n);
    return m ? [{ n, version: integerVersion(m[1]!), up: m[3] === 'up' }] : [];
  });
  if (matched.length === 0) return null;
  const entries: (Entry & { key: bigint })[] = [];
  for (const key of [...new Set(matched.map((m) => m.version))]) {
    const same = matched.filter((m) => m.version === key);
    const ups = same.filter((m) => m.up);
    const downs = same.filter((m) => !m.up);
    // The version is the identity: `000002` and `2` are one migration to golang-migrate.
    const name = key.toString();
    const version = name;
    // Paired in name order: with one up and one down per version (the normal case) that is exact.
    ups.forEach((u, i) => entries.push({ name, version, key, file: join(dir, u.n), ...(downs[i] ? { down: join(dir, downs[i].n) } : {}) }));
    for (const d of downs.slice(ups.length)) entries.push({ name, version, key, file: join(dir, d.n), noForward: true, down: join(dir, d.n) });
  }
  entries.sort((a, b) => compareBigInts(a.key, b.key) || compareCodeUnits(a.file, b.file));
  return { tool: 'golang-migrate', dir, entries: entries.map(({ key: _k, ...e }) => e), hasDowns: true };
}

/**
 * Flyway: `V<version>__<desc>.sql` in version order (`MigrationVersion.compareTo`), then `R__<desc>.sql`
 * by description (`ResolvedMigrationComparator`). A `U<version>__` script is the undo of that version.
 * `<script>.conf` beside a script holds its configuration (`executeInTransaction`).
 */
function flyway(dir: string, names: string[], present: ReadonlySet<string>): Layout | null {
  const versioned = names.flatMap((n) => {
    const m = FLYWAY_VERSIONED.exec(n);
    return m ? [{ n, undo: m[1] === 'U', version: flywayVersion(m[2]!) }] : [];
  });
  const repeatable = names.flatMap((n) => {
    const m = FLYWAY_REPEATABLE.exec(n);
    return m ? [{ n, description: m[1]!.replace(/_/g, ' ') }] : [];
  });
  if (versioned.length === 0 && repeatable.length === 0) return null;
  const withConf = (file: string): { conf?: string } => (present.has(`${file}.conf`) ? { conf: `${file}.conf` } : {});
  const key = (v: bigint[]) => v.join('.');
  const undos = versioned.filter((v) => v.undo);
  const forwards = versioned.filter((v) => !v.undo);
  const entries: (Entry & { parts: bigint[] })[] = forwards.map((v) => {
    const file = join(dir, v.n);
    const undo = undos.find((u) => key(u.version) === key(v.version));
    return { name: key(v.version), version: key(v.version), parts: v.version, file, ...(undo ? { down: join(dir, undo.n) } : {}), ...withConf(file) };
  });
  for (const u of undos) {
    if (forwards.some((v) => key(v.version) === key(u.version))) continue;
    entries.push({ name: key(u.version), version: key(u.version), parts: u.version, file: join(dir, u.n), noForward: true, down: join(dir, u.n) });
  }
  entries.sort((a, b) => compareFlywayVersions(a.parts, b.parts) || compareCodeUnits(a.file, b.file));
  const repeatables = repeatable
    .sort((a, b) => compareCodeUnits(a.description, b.description))
    .map((r): Entry => ({ name: r.n.replace(/\.sql$/, ''), file: join(dir, r.n), repeatable: true, ...withConf(join(dir, r.n)) }));
  return { tool: 'flyway', dir, entries: [...entries.map(({ parts: _p, ...e }) => e), ...repeatables], hasDowns: undos.length > 0 };
}

/**
 * Finishes a directory of numbered `.sql` files once their markers are known: goose if any file has a
 * `-- +goose Up` line, dbmate if any has `-- migrate:up`, otherwise a plain ordered directory (names
 * with a digit prefix and `_` or `-`). Files of a goose or dbmate directory without the marker are kept:
 * the tool refuses them, and the front end reports it.
 */
export function layoutFromMarkers(dir: string, names: string[], markers: ReadonlyMap<string, 'goose' | 'dbmate' | null>): Layout | null {
  const has = (tool: 'goose' | 'dbmate') => names.some((n) => markers.get(n) === tool);
  const layout = numberedLayout(has('goose') ? 'goose' : has('dbmate') ? 'dbmate' : 'sql', dir, names);
  return layout.tool !== 'sql' || layout.entries.length > 0 ? layout : null;
}

function numberedLayout(tool: 'goose' | 'dbmate' | 'sql', dir: string, names: string[]): Layout {
  if (tool === 'goose') return { tool, dir, entries: numbered(dir, names, GOOSE, (n, digits) => integerVersion(digits).toString()), hasDowns: true };
  if (tool === 'dbmate') {
    // dbmate keeps the version as the string of digits and sorts by file name (db.go `FindMigrations`).
    const entries = names.filter((n) => DBMATE.test(n)).map((n) => {
      const version = DBMATE.exec(n)![1]!;
      return { name: version, version, file: join(dir, n) };
    });
    return { tool, dir, entries, hasDowns: true };
  }
  return { tool, dir, entries: numbered(dir, names, PLAIN, (n) => n.replace(/\.sql$/, '')), hasDowns: false };
}

/**
 * A directory the configuration declares as `tool` (discover/index.ts): the tool's own file-name rules
 * applied to it whatever detection would say (a plain directory declared goose, SQL files beside an
 * `__init__.py`, a Prisma folder whose folders have no timestamps). Files the tool would not run are
 * not migrations, so a directory with none is a layout with no entries.
 */
export function declaredLayout(tool: SqlTool, dir: string, files: readonly string[]): Layout {
  const present = new Set(files);
  if (tool === 'prisma') return prismaLayout(dir, files, present);
  const names = files.filter((f) => dirOf(f) === dir).map(baseOf).sort(compareCodeUnits);
  if (tool === 'golang-migrate') return golangMigrate(dir, names) ?? { tool, dir, entries: [], hasDowns: true };
  if (tool === 'flyway') return flyway(dir, names, present) ?? { tool, dir, entries: [], hasDowns: false };
  return numberedLayout(tool, dir, names);
}

/** Files named `<digits>…` sorted by that number (then by name), as goose and a plain runner order them;
 *  the version is the number without leading zeros. */
function numbered(dir: string, names: string[], re: RegExp, nameOf: (n: string, digits: string) => string): Entry[] {
  return names
    .flatMap((n) => {
      const m = re.exec(n);
      return m ? [{ n, version: integerVersion(m[1]!), name: nameOf(n, m[1]!) }] : [];
    })
    .sort((a, b) => compareBigInts(a.version, b.version) || compareCodeUnits(a.n, b.n))
    .map((e) => ({ name: e.name, version: e.version.toString(), file: join(dir, e.n) }));
}
