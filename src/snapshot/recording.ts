import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gitBlobId } from './content.js';
import type { Snapshot } from './types.js';

/**
 * A snapshot that remembers the content id of every file read through it: what a run's result depends
 * on, so a stored result can later be checked against the tree (`unchangedSince`) by re-reading just those
 * files. Everything else is the underlying snapshot's.
 */
export class RecordingSnapshot implements Snapshot {
  readonly reads = new Map<string, string>();

  constructor(private readonly inner: Snapshot) {}

  get description(): string {
    return this.inner.description;
  }
  get root(): string {
    return this.inner.root;
  }
  list(prefixes?: readonly string[]): Promise<string[]> {
    return this.inner.list(prefixes);
  }
  async read(p: string): Promise<Buffer> {
    const bytes = await this.inner.read(p);
    if (!this.reads.has(p)) this.reads.set(p, gitBlobId(bytes));
    return bytes;
  }
  async contentId(p: string): Promise<string> {
    const id = await this.inner.contentId(p);
    this.reads.set(p, id);
    return id;
  }
}

/** A file a run read: its path, content id and, for a quick check, what `stat` said of it afterwards. */
export type FileRead = [path: string, contentId: string, size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** Stat changes closer than this to the moment a read was recorded may be hidden by a coarse file-system
 *  clock (git's "racily clean" files): such files are checked by content. */
const RACY_MS = 2000;

/** The reads of a run with each file's `stat`, taken when the run's result is stored. A file changed
 *  while the run read it has times after the run's start, so `unchangedSince` reads it again. */
export function statReads(root: string, reads: ReadonlyMap<string, string>): FileRead[] {
  const out: FileRead[] = [];
  for (const [p, id] of reads) {
    try {
      const st = statSync(path.join(root, p));
      out.push([p, id, st.size, st.mtimeMs, st.ctimeMs, st.ino]);
    } catch {
      out.push([p, id, -1, -1, -1, -1]);
    }
  }
  return out;
}

/**
 * Whether every file of `reads` still has the content it had. As git trusts its index, a file whose size,
 * modification and change times and inode are what they were, and were already so well before the run
 * that recorded them started (`at`), is taken as unchanged without being read; any other file is read and
 * hashed.
 */
export function unchangedSince(root: string, reads: readonly FileRead[], at: number): boolean {
  for (const [p, id, size, mtimeMs, ctimeMs, ino] of reads) {
    const abs = path.join(root, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      return false;
    }
    if (st.size === size && st.mtimeMs === mtimeMs && st.ctimeMs === ctimeMs && st.ino === ino && Math.max(mtimeMs, ctimeMs) < at - RACY_MS) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch {
      return false;
    }
    if (gitBlobId(bytes) !== id) return false;
  }
  return true;
}
