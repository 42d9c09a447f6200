import { readdirSync, readFileSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { IoError } from '../errors.js';
import { gitBlobId } from './content.js';
import { SKIPPED_DIRS, type Snapshot } from './types.js';

/** The working tree under `root`. Symbolic links are not followed (a link loop must not hang a hook). */
export class FsSnapshot implements Snapshot {
  readonly description = 'working tree';
  private ids = new Map<string, string>();

  constructor(readonly root: string) {}

  /** The whole tree's listing, walked once per snapshot (the configuration and discovery both ask). */
  private everything: Promise<string[]> | undefined;

  async list(prefixes: readonly string[] = ['']): Promise<string[]> {
    if (prefixes.length === 1 && prefixes[0] === '') return (this.everything ??= this.listUnder(prefixes));
    return this.listUnder(prefixes);
  }

  private async listUnder(prefixes: readonly string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const prefix of prefixes) {
      const abs = path.join(this.root, prefix);
      let st;
      try {
        st = await lstat(abs);
      } catch {
        throw new IoError(`no such file or directory: ${prefix || '.'}`, 'check the path you gave');
      }
      if (st.isFile()) out.add(toPosix(prefix));
      else if (st.isDirectory()) this.walk(abs, toPosix(prefix), out);
    }
    return [...out].sort();
  }

  /** Synchronous like `read` below: one `readdir` per directory, 2,000 of them in a Prisma tree, took
   *  71 ms awaited and a fraction of that called directly. */
  private walk(abs: string, rel: string, out: Set<string>): void {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) this.walk(path.join(abs, e.name), childRel, out);
      } else if (e.isFile()) {
        out.add(childRel);
      }
    }
  }

  /** Bytes read to compute a content id, kept until `read` asks for them: a working-tree file is read
   *  once, not once to hash and again to parse. */
  private hashed = new Map<string, Buffer>();

  async read(p: string): Promise<Buffer> {
    const kept = this.hashed.get(p);
    if (kept) {
      this.hashed.delete(p);
      return kept;
    }
    // Synchronous on purpose: measured on the 3,000-file Alembic tree, awaiting `fs.promises.readFile` file
    // by file took 1.2 s (four thread-pool round trips each, the parser idle in between), a pool of 32
    // callback reads 117 ms, `readFileSync` 36 ms. Parsing keeps this thread busy anyway, so there is no
    // other work a read could overlap with (BENCHMARKS.md, "What the profiles led to").
    try {
      return readFileSync(path.join(this.root, p));
    } catch (e) {
      throw new IoError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }

  async contentId(p: string): Promise<string> {
    let id = this.ids.get(p);
    if (!id) {
      const bytes = await this.read(p);
      id = gitBlobId(bytes);
      this.ids.set(p, id);
      this.hashed.set(p, bytes);
    }
    return id;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/^\.\/?/, '').replace(/\/$/, '');
}
