/**
 * The persistent half of the parse cache: what the front ends computed for a file's content, kept on disk
 * between runs so that a second check of an unchanged tree parses nothing (DESIGN.md "Speed").
 *
 * One file per repository and kind (parse results, stored runs) under the cache directory. Entries are keyed as the in-memory cache is keyed
 * (the front end, the content id and whatever else the parse depends on) and stored as V8's structured
 * serialization of the value, taken when the value is first computed, so a later change to the object in
 * memory never reaches the disk. An entry is deserialised only when a front end asks for it.
 *
 * The file belongs to one build of migrate-lint: its header holds a fingerprint of the code that parses
 * (`codeFingerprint`), and a file from another build is ignored and replaced. A cache that cannot be read
 * or written never fails a check: it is as if there were none.
 *
 * Format (little endian): `MLC1`, u32 length + UTF-8 fingerprint, u32 generation, then entries of
 * u32 key length, key, u32 generation last used, u32 value length, value.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

const MAGIC = 'MLC1';
/** Entries not used in this many saves are dropped, so a cache follows the tree instead of growing. */
const KEEP_GENERATIONS = 8;

/** An entry of the file read at start (`bytes`, a view of it), or one this run wrote to the next file
 *  (`at`, `length`: where its value is there). */
type Entry = { generation: number } & ({ bytes: Buffer } | { at: number; length: number });

/** The next file, being written: its descriptor, where the next entry goes, the generation in its header. */
interface Next {
  fd: number;
  tmp: string;
  pos: number;
  generation: number;
  cleanup: () => void;
}

/** The cache directory: `MIGRATE_LINT_CACHE_DIR`, else `$XDG_CACHE_HOME/migrate-lint`, else `~/.cache/migrate-lint`. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.MIGRATE_LINT_CACHE_DIR) return path.resolve(env.MIGRATE_LINT_CACHE_DIR);
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'migrate-lint');
}

export class CacheStore {
  private entries = new Map<string, Entry>();
  private generation = 0;
  private next: Next | undefined;
  /** Statistics for `--debug` and the benchmark: how many entries were read and how many computed. */
  readonly stats = { hits: 0, misses: 0 };

  private constructor(readonly file: string, private readonly fingerprint: string) {}

  /**
   * The store `kind` (`parse`, `runs`) of the repository at `root` in `dir`. The file is read on first use;
   * an unreadable or foreign one reads as empty.
   */
  static open(dir: string, root: string, kind: string): CacheStore {
    const name = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16);
    return new CacheStore(path.join(dir, `${name}.${kind}.bin`), codeFingerprint());
  }

  private loaded = false;

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    let buf: Buffer;
    try {
      buf = readFileSync(this.file);
    } catch {
      return;
    }
    try {
      let at = 0;
      const u32 = () => {
        const v = buf.readUInt32LE(at);
        at += 4;
        return v;
      };
      const bytes = (n: number) => {
        if (at + n > buf.length) throw new RangeError('truncated');
        const b = buf.subarray(at, at + n);
        at += n;
        return b;
      };
      if (bytes(4).toString('latin1') !== MAGIC) return;
      if (bytes(u32()).toString('utf8') !== this.fingerprint) return;
      const generation = u32();
      const entries = new Map<string, Entry>();
      while (at < buf.length) {
        const key = bytes(u32()).toString('utf8');
        const gen = u32();
        entries.set(key, { generation: gen, bytes: bytes(u32()) });
      }
      this.entries = entries;
      this.generation = generation;
    } catch {
      // A truncated or corrupt file (a crash mid-write cannot leave one: writes rename a whole file).
      this.entries = new Map();
    }
  }

  has(key: string): boolean {
    this.load();
    return this.entries.has(key);
  }

  /** The stored value, deserialised anew (a fresh object each call), or undefined. */
  get(key: string): unknown {
    this.load();
    const e = this.entries.get(key);
    if (!e) return undefined;
    try {
      const value = deserialize('bytes' in e ? e.bytes : this.readBack(e.at, e.length));
      e.generation = this.generation + 1;
      this.stats.hits++;
      return value;
    } catch {
      this.entries.delete(key);
      return undefined;
    }
  }

  /**
   * Stores `value` as it is now, written to the next file at once. Values the structured serializer cannot
   * copy are not stored, nor is anything when the next file cannot be written.
   */
  set(key: string, value: unknown): void {
    let bytes: Buffer;
    try {
      bytes = serialize(value);
    } catch {
      return;
    }
    this.load();
    this.stats.misses++;
    const next = this.openNext();
    if (!next) return;
    const at = this.append(next, key, next.generation, bytes);
    if (at === undefined) this.entries.delete(key);
    else this.entries.set(key, { generation: next.generation, at, length: bytes.length });
  }

  /** The next file, opened (its header written) on first use; undefined when it cannot be. */
  private openNext(): Next | undefined {
    if (this.next) return this.next;
    if (this.failed) return undefined;
    const generation = this.generation + 1;
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let fd: number | undefined;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      removeOrphans(this.file);
      fd = openSync(tmp, 'wx+');
      const fp = Buffer.from(this.fingerprint, 'utf8');
      const header = Buffer.concat([Buffer.from(MAGIC, 'latin1'), u32(fp.length), fp, u32(generation)]);
      writeSync(fd, header, 0, header.length, 0);
      const cleanup = () => removeQuietly(tmp);
      process.once('exit', cleanup);
      return (this.next = { fd, tmp, pos: header.length, generation, cleanup });
    } catch {
      this.failed = true;
      if (fd !== undefined) closeQuietly(fd);
      removeQuietly(tmp);
      return undefined;
    }
  }

  /** Whether the next file could not be opened or written: the run goes on without storing. */
  private failed = false;

  /** Writes one entry to the next file; where its value starts, or undefined when the write failed (the
   *  file is then given up: nothing more is stored in this run). */
  private append(next: Next, key: string, generation: number, value: Buffer): number | undefined {
    const k = Buffer.from(key, 'utf8');
    try {
      // One system call an entry: a cold run writes thousands.
      const head = Buffer.concat([u32(k.length), k, u32(generation), u32(value.length)]);
      const written = writevSync(next.fd, [head, value], next.pos);
      if (written !== head.length + value.length) throw new RangeError('short write');
      const at = next.pos + head.length;
      next.pos += written;
      return at;
    } catch {
      this.abandon();
      return undefined;
    }
  }

  private readBack(at: number, length: number): Buffer {
    if (!this.next) throw new Error('no next file');
    const buf = Buffer.allocUnsafe(length);
    if (readSync(this.next.fd, buf, 0, length, at) !== length) throw new RangeError('short read');
    return buf;
  }

  /** Closes and removes the next file; entries written to it are forgotten. */
  private abandon(): void {
    const next = this.next;
    if (!next) return;
    this.next = undefined;
    this.failed = true;
    closeQuietly(next.fd);
    next.cleanup();
    process.removeListener('exit', next.cleanup);
    for (const [key, e] of this.entries) if (!('bytes' in e)) this.entries.delete(key);
  }

  /**
   * Finishes the next file when this run added entries (the old entries still in use appended after the
   * new ones) and renames it over the old one, so a reader sees the old file or the new one, never half of
   * one. Entries unused for `KEEP_GENERATIONS` saves are left out. Errors are swallowed: a read-only home
   * directory only costs the next run time.
   */
  save(): void {
    const next = this.next;
    if (!next) return;
    for (const [key, e] of this.entries) {
      if (!('bytes' in e) || next.generation - e.generation >= KEEP_GENERATIONS) continue;
      if (this.append(next, key, e.generation, e.bytes) === undefined) return;
    }
    try {
      closeSync(next.fd);
      renameSync(next.tmp, this.file);
    } catch {
      removeQuietly(next.tmp);
    }
    process.removeListener('exit', next.cleanup);
    this.next = undefined;
    // The saved file is the store now; this process reads it again if it is asked for more.
    this.loaded = false;
    this.entries = new Map();
  }
}

/** Removes the next files of `file` that processes no longer running left (killed by a signal, which
 *  skips the exit handler). */
function removeOrphans(file: string): void {
  const prefix = `${path.basename(file)}.`;
  for (const name of readdirSync(path.dirname(file))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    removeQuietly(path.join(path.dirname(file), name));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // not there
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

let fingerprint: string | undefined;

/**
 * What the cached values depend on besides the files' content: the code (every module of this build's
 * src/ and rules/, by path, size and modification time, so a rebuilt or edited migrate-lint never reads
 * its old results) and the parsers it calls (their package versions).
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const h = createHash('sha1');
  h.update(`${process.versions.v8}\n`);
  // This module's own file (in the bundle, dist/migrate-lint.cjs, which with its chunks, built with it, is all the code), and when it is
  // one module of many, every module of src/ and rules/ beside it (dist/ or the source tree).
  const self = fileURLToPath(import.meta.url);
  const stamp = (p: string, rel: string) => {
    const st = statSync(p);
    h.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
  };
  const walk = (dir: string, top: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, top);
      else if (/\.(js|ts|mjs|cjs|json)$/.test(e.name)) stamp(p, path.relative(top, p));
    }
  };
  try {
    stamp(self, path.basename(self));
    if (/[\\/]discover[\\/]store\.[jt]s$/.test(self)) {
      const top = path.resolve(path.dirname(self), '../..');
      walk(path.join(top, 'src'), top);
      walk(path.join(top, 'rules'), top);
    }
  } catch {
    h.update(randomBytes(8));
  }
  const lookup = createRequire(import.meta.url).resolve.paths('typescript') ?? [];
  for (const dep of ['@lezer/python', '@lezer/lr', '@lezer/common', 'libpg-query', 'typescript', 'smol-toml']) {
    const manifest = lookup.map((dir) => path.join(dir, dep, 'package.json')).find((p) => existsSync(p));
    h.update(`${dep}@${manifest ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : '?'}\n`);
  }
  return (fingerprint = h.digest('hex'));
}
