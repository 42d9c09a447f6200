/**
 * What every generator shares: the description it returns, the in-memory tree it builds before writing
 * (so the git generator can feed the same bytes to `git fast-import`), and UTC date formatting from a
 * fixed epoch (never the clock).
 */
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export type Kind = 'django' | 'alembic' | 'prisma' | 'knex' | 'typeorm' | 'git';

export interface GenerateOptions {
  /** Number of migrations (each generator's default is the size). */
  size?: number;
  seed?: number;
}

export interface GeneratedTree<E extends object = Record<string, unknown>> {
  kind: Kind;
  /** The directory to run migrate-lint in. */
  root: string;
  seed: number;
  size: number;
  /** Files written (for git: in the checked-out working tree, `.git` aside). */
  files: number;
  bytes: number;
  /** Migration files in the tree as written (for git: in the working tree, the feature branch). */
  migrations: number;
  /** Facts the smoke test and the benchmark runner check; each generator documents its own. */
  expected: E;
}

export const DEFAULT_SEED = 1;

/** Files by repository-relative path, written in path order. */
export class FileTree {
  readonly files = new Map<string, string>();

  add(file: string, content: string): void {
    if (this.files.has(file)) throw new Error(`generator wrote ${file} twice`);
    this.files.set(file, content);
  }

  get bytes(): number {
    let n = 0;
    for (const c of this.files.values()) n += Buffer.byteLength(c);
    return n;
  }

  /** Writes every file under `dir`, which must be empty or absent: a generator never mixes with other files. */
  write(dir: string): void {
    prepareDir(dir);
    const made = new Set<string>();
    for (const file of [...this.files.keys()].sort()) {
      const abs = path.join(dir, file);
      const parent = path.dirname(abs);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      writeFileSync(abs, this.files.get(file)!);
    }
  }
}

export function prepareDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: generators write only into an empty or new directory`);
  mkdirSync(dir, { recursive: true });
}

/** 2021-01-04 09:00:00 UTC: every generated history starts here and moves forward by seeded steps. */
export const EPOCH_MS = Date.UTC(2021, 0, 4, 9, 0, 0);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function utcParts(ms: number): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const t = new Date(ms);
  return { y: String(t.getUTCFullYear()), mo: pad(t.getUTCMonth() + 1), d: pad(t.getUTCDate()), h: pad(t.getUTCHours()), mi: pad(t.getUTCMinutes()), s: pad(t.getUTCSeconds()) };
}

/** `YYYYMMDDHHMMSS`: Prisma's and Knex's migration prefixes. */
export function stamp14(ms: number): string {
  const p = utcParts(ms);
  return `${p.y}${p.mo}${p.d}${p.h}${p.mi}${p.s}`;
}

/** `YYYY-MM-DD HH:MM`. */
export function dateTime(ms: number): string {
  const p = utcParts(ms);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}`;
}

export function positiveInt(n: number | undefined, fallback: number, what: string): number {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${String(n)}`);
  return v;
}

export const camel = (words: readonly string[]): string => words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
