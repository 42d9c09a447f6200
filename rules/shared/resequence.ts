/**
 * The fix for a sequence-ordered set whose branch migrations sort before, or share a version with, what
 * the target already has (out-of-order-migration, duplicate-version): rename the branch's new migrations
 * to fresh keys after the target's newest, keeping their relative order and the tool's key format
 * (reference/frameworks.md §1 class 2 and 3, §5.6, §6.6, §13, §14). Only in a git comparison: there the
 * branch's new migrations are known, and no database deployed from the target has run them. A migration
 * the target has, or had at the branch point, is never renamed.
 *
 * Keys are stepped the way each tool writes them: a 14-digit `YYYYMMDDHHMMSS` timestamp (Prisma, dbmate,
 * goose and golang-migrate timestamps) becomes the later of the current UTC time and one second past the
 * previous key, as `migrate dev` / `dbmate new` would name it now; any other number is one past the
 * previous key, zero-padded to the width the file used (golang-migrate `-seq -digits 6` writes `000007`);
 * a Flyway version steps its last part (`1.2` → `1.3`), keeping its separators; a 13-digit millisecond
 * key (node-pg-migrate's prefix, the timestamp ending a TypeORM class name) becomes the later of now and one
 * past the previous key. A TypeORM migration is renumbered where its file writes the key (the class name
 * and its `name` property, `Migration.keySpans`) and its file renamed when its name starts with the key.
 */
import type { Comparison } from '../../src/model/comparison.js';
import { compareInSet, flywayVersion, integerVersion } from '../../src/model/order.js';
import type { FileEdit, Fix, Migration, MigrationSet } from '../../src/model/types.js';

/** The frameworks whose keys this fix knows how to step. */
const RESEQUENCED = new Set(['golang-migrate', 'flyway', 'goose', 'dbmate', 'prisma', 'sql', 'knex', 'sequelize', 'node-pg-migrate', 'typeorm']);

/** Tools that order by the whole file name: their key is the leading digits only when a `_` or `-` follows
 *  (umzug's `2024.01.01T12.00.00.x.js` has no such key, and is not renamed). */
const NAME_ORDERED = new Set(['knex', 'sequelize', 'node-pg-migrate']);

const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

/** One migration's new key, and the files that move. */
export interface Renumbering {
  migration: Migration;
  /** The key as written in the file name, before and after (`000002` → `000004`). */
  from: string;
  to: string;
  edits: FileEdit[];
}

/**
 * A sequence-ordered set in a comparison, split the way the order rules and this fix read it: the
 * branch's new migrations (in the set's order), and the newest migration the target has — in the merged
 * view or at the branch point (which the branch may have edited or removed, but databases still ran).
 * Migrations without a place in the order (Flyway repeatables, a TypeORM class without its timestamp)
 * are in neither.
 */
export function branchSplit(set: MigrationSet, c: Comparison): { ours: Migration[]; newest: Migration | undefined; baseFiles: Set<string> } {
  const baseSet = c.baseSets.find((b) => b.id === set.id);
  const baseFiles = new Set(baseSet?.migrations.map((m) => m.file) ?? []);
  const ordered = (m: Migration) => !m.repeatable && (m.version !== undefined || set.framework === 'prisma');
  const ours = set.migrations.filter((m) => ordered(m) && c.branchFiles.has(m.file) && !baseFiles.has(m.file));
  const theirs = [...set.migrations.filter((m) => !c.branchFiles.has(m.file)), ...(baseSet?.migrations ?? [])].filter(ordered);
  const newest = theirs.length > 0 ? theirs.reduce((a, b) => (compareInSet(set, a, b) >= 0 ? a : b)) : undefined;
  return { ours, newest, baseFiles };
}

/**
 * The fix that puts the branch's new migrations of `set` after everything the target has, or undefined
 * when none is needed or the set cannot be fixed safely (a migration without a key, a file the target
 * has, a tool whose keys are not modelled). One per set: renumbering one migration may push the branch's
 * later ones along. Later migrations are renamed first, so a name a later one frees can be taken.
 */
export function resequenceFix(set: MigrationSet, c: Comparison, now: Date): Fix | undefined {
  if (set.ordering !== 'sequence' || !RESEQUENCED.has(set.framework)) return undefined;
  const { ours, newest, baseFiles } = branchSplit(set, c);
  const plan = resequencePlan(set, c, now, [...ours].sort((a, b) => compareInSet(set, a, b)), newest, baseFiles);
  if (!plan) return undefined;
  const moves = plan.map((r) => (set.framework === 'typeorm' ? `${r.migration.name} → ${r.migration.name.slice(0, -r.from.length)}${r.to}` : `${displayName(set, r.migration)} → ${displayName(set, r.migration).replace(r.from, r.to)}`)).join(', ');
  return {
    description: `renumber the branch's ${plan.length === 1 ? 'migration' : `${plan.length} migrations`}${newest ? ` after ${newest.name}` : ''}: ${moves}`,
    edits: [...plan].reverse().flatMap((r) => r.edits),
  };
}

function resequencePlan(set: MigrationSet, c: Comparison, now: Date, ours: readonly Migration[], newest: Migration | undefined, baseFiles: ReadonlySet<string>): Renumbering[] | null {
  let prev = newest;
  const plan: Renumbering[] = [];
  for (const m of ours) {
    const key = keyOf(set, m);
    if (key === null) return null;
    if (prev === undefined || (compareInSet(set, m, prev) > 0 && m.version !== prev.version)) {
      prev = m;
      continue;
    }
    const prevKey = keyOf(set, prev);
    if (prevKey === null) return null;
    // Every file of a migration to rename must be the branch's own: a file the target has means the two
    // sides added the same path, and renaming it would rename the target's migration too.
    if (migrationFiles(m).some((f) => c.targetFiles.has(f) || baseFiles.has(f))) return null;
    const to = nextKey(set, prevKey, key, now);
    plan.push({ migration: m, from: key, to, edits: renames(set, m, key, to) });
    prev = renamedMigration(set, m, key, to);
  }
  return plan.length > 0 ? plan : null;
}

function displayName(set: MigrationSet, m: Migration): string {
  return set.framework === 'prisma' ? baseOf(dirOf(m.file)) : baseOf(m.file);
}

/** The key as the file name writes it: the leading digits (after Flyway's `V`), or null when there is none. */
function keyOf(set: MigrationSet, m: Migration): string | null {
  if (set.framework === 'typeorm') {
    // The 13-digit timestamp ending the class name (or `name`); renumbering edits it where the file
    // writes it (`keySpans`), so without those there is no fix.
    const key = m.name.slice(-13);
    return /^\d{13}$/.test(key) && m.keySpans?.length ? key : null;
  }
  const name = displayName(set, m);
  const start = set.framework === 'flyway' ? 1 : 0;
  if (set.framework === 'flyway' && name[0] !== 'V' && name[0] !== 'U') return null;
  let end = start;
  const separators = set.framework === 'flyway' ? '._' : '';
  while (end < name.length && (isDigit(name[end]!) || (separators.includes(name[end]!) && end + 1 < name.length && isDigit(name[end + 1]!)))) end++;
  if (set.framework === 'flyway' && !name.startsWith('__', end)) return null;
  if (NAME_ORDERED.has(set.framework) && name[end] !== '_' && name[end] !== '-') return null;
  return end > start ? name.slice(start, end) : null;
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** The key after `prev`, written in the style of `own` (the key the migration had). */
export function nextKey(set: MigrationSet, prev: string, own: string, now: Date): string {
  if (set.framework === 'flyway' && (/[._]/.test(prev) || /[._]/.test(own))) {
    // Step the last part of the previous version, keeping its separators and that part's width.
    const m = /^(.*?)(\d+)$/.exec(prev)!;
    return m[1]! + pad((BigInt(m[2]!) + 1n).toString(), m[2]!.startsWith('0') ? m[2]!.length : 0);
  }
  if (/^\d{13}$/.test(prev) && /^\d{13}$/.test(own) && (set.framework === 'node-pg-migrate' || set.framework === 'typeorm')) {
    // Milliseconds since the epoch (`Date.now()`): node-pg-migrate's default prefix, TypeORM's class suffix.
    return String(Math.max(now.getTime(), Number(prev) + 1));
  }
  if (isTimestamp(prev) && isTimestamp(own)) {
    const next = new Date(Math.max(now.getTime() - now.getUTCMilliseconds(), parseTimestamp(prev) + 1000));
    return formatTimestamp(next);
  }
  const width = own.startsWith('0') ? own.length : prev.startsWith('0') ? prev.length : 0;
  return pad((integerVersion(prev) + 1n).toString(), width);
}

function pad(digits: string, width: number): string {
  return digits.padStart(width, '0');
}

/** A 14-digit `YYYYMMDDHHMMSS` that is a real UTC time. */
function isTimestamp(key: string): boolean {
  if (!/^\d{14}$/.test(key)) return false;
  return formatTimestamp(new Date(parseTimestamp(key))) === key;
}

function parseTimestamp(key: string): number {
  const n = (a: number, b: number) => Number(key.slice(a, b));
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14));
}

function formatTimestamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getUTCFullYear()).padStart(4, '0')}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** Replaces the key at the start of a file or folder name (after Flyway's prefix letter). */
function rekey(set: MigrationSet, name: string, from: string, to: string): string {
  const start = set.framework === 'flyway' ? 1 : 0;
  if (name.slice(start, start + from.length) !== from) throw new Error(`resequence: ${name} does not start with ${from}`);
  return name.slice(0, start) + to + name.slice(start + from.length);
}

/** The files that make up a migration and move with it: its own, a separate down file, a Flyway `.conf`. */
function migrationFiles(m: Migration): string[] {
  return [m.file, ...(m.down && m.down.file !== m.file ? [m.down.file] : []), ...(m.companions ?? [])];
}

/** A path with the key at the start of its last segment replaced. */
function rekeyPath(set: MigrationSet, p: string, from: string, to: string): string {
  return join(dirOf(p), rekey(set, baseOf(p), from, to));
}

function renames(set: MigrationSet, m: Migration, from: string, to: string): FileEdit[] {
  if (set.framework === 'prisma') {
    // The folder is the migration: rename it, with everything in it.
    const folder = dirOf(m.file);
    return [{ kind: 'rename', from: folder, to: rekeyPath(set, folder, from, to) }];
  }
  if (set.framework === 'typeorm') {
    // The class name and `name` end in the key (each span's last 13 characters); the file name's
    // leading timestamp is cosmetic, renamed when it is the same one.
    const texts: FileEdit[] = (m.keySpans ?? []).map((s) => ({ kind: 'replace', path: m.file, offset: s.endOffset - from.length, endOffset: s.endOffset, text: to }));
    const file = newFile(set, m, from, to);
    return [...texts, ...(file !== m.file ? [{ kind: 'rename' as const, from: m.file, to: file }] : [])];
  }
  return migrationFiles(m).map((f) => ({ kind: 'rename', from: f, to: rekeyPath(set, f, from, to) }));
}

/** Where the migration's file will be. */
function newFile(set: MigrationSet, m: Migration, from: string, to: string): string {
  if (set.framework === 'prisma') return `${rekeyPath(set, dirOf(m.file), from, to)}/${baseOf(m.file)}`;
  if (set.framework === 'typeorm') return baseOf(m.file).startsWith(from) ? join(dirOf(m.file), to + baseOf(m.file).slice(from.length)) : m.file;
  return rekeyPath(set, m.file, from, to);
}

/** The migration as it will be after the rename, so the next one is compared with its new key. */
function renamedMigration(set: MigrationSet, m: Migration, from: string, to: string): Migration {
  const file = newFile(set, m, from, to);
  const version =
    set.framework === 'flyway'
      ? flywayVersion(to).join('.')
      : set.framework === 'dbmate' || set.framework === 'prisma'
        ? to
        : set.framework === 'typeorm'
          ? String(Number(to))
          : set.framework === 'knex' || set.framework === 'sequelize'
          ? baseOf(file)
          : set.framework === 'node-pg-migrate' && to.length === 17
            ? // A 17-digit `utc` prefix is a UTC time to the millisecond (utils/fileNameUtils.ts getNumericPrefix).
              String(parseTimestamp(to.slice(0, 14)) + Number(to.slice(14)))
            : integerVersion(to).toString();
  const name = set.framework === 'prisma' ? baseOf(dirOf(file)) : set.framework === 'typeorm' ? m.name.slice(0, -from.length) + to : m.name.replace(from, to);
  return { ...m, file, version, name };
}
