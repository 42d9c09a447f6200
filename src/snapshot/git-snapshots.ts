/**
 * Snapshots read from git: a revision's tree, and the index (what `git commit` would record). Content ids
 * are the blob ids git already knows, so a file unchanged between base, target and head is parsed once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError } from '../errors.js';
import { gitBlobId } from './content.js';
import type { Listing } from './git.js';
import type { BlobReader } from './cat-file.js';
import { underPrefixes, type Snapshot } from './types.js';

abstract class ListingSnapshot implements Snapshot {
  abstract readonly description: string;
  private sorted: string[] | null = null;

  constructor(readonly root: string, protected readonly files: Listing, protected readonly blobs: BlobReader) {}

  async list(prefixes: readonly string[] = ['']): Promise<string[]> {
    this.sorted ??= [...this.files.keys()].sort();
    return prefixes.length === 0 || prefixes.includes('') ? this.sorted : this.sorted.filter(underPrefixes(prefixes));
  }

  has(p: string): boolean {
    return this.files.has(p);
  }

  async read(p: string): Promise<Buffer> {
    const oid = this.files.get(p);
    if (oid === undefined) throw new IoError(`${p} is not in ${this.description}`);
    return oid === null ? this.readUnmerged(p) : this.blobs.read(oid);
  }

  async contentId(p: string): Promise<string> {
    const oid = this.files.get(p);
    if (oid === undefined) throw new IoError(`${p} is not in ${this.description}`);
    return oid ?? gitBlobId(await this.readUnmerged(p));
  }

  protected readUnmerged(p: string): Promise<Buffer> {
    throw new IoError(`${p} has no single version in ${this.description}`);
  }
}

/** The files of one commit. */
export class TreeSnapshot extends ListingSnapshot {
  constructor(root: string, files: Listing, blobs: BlobReader, readonly description: string) {
    super(root, files, blobs);
  }
}

/**
 * The index. A path with unmerged stages (a conflict being resolved) is read from the working tree,
 * conflict markers and all, so the front end reports the markers instead of guessing a side.
 */
export class IndexSnapshot extends ListingSnapshot {
  readonly description = 'the index (staged files)';

  protected override async readUnmerged(p: string): Promise<Buffer> {
    try {
      return await readFile(path.join(this.root, p));
    } catch (e) {
      throw new IoError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
}
