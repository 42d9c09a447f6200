import { gitBlobId } from './content.js';
import { underPrefixes, type Snapshot } from './types.js';

/** A snapshot of files held in memory: for tests and for the library API. */
export class MemorySnapshot implements Snapshot {
  readonly root: string;
  private files: Map<string, Buffer>;

  constructor(files: Record<string, string | Buffer>, readonly description = 'memory', root = '/') {
    this.root = root;
    this.files = new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]));
  }

  async list(prefixes: readonly string[] = ['']): Promise<string[]> {
    return [...this.files.keys()]
      .filter(underPrefixes(prefixes))
      .sort();
  }

  async read(p: string): Promise<Buffer> {
    const b = this.files.get(p);
    if (!b) throw new Error(`no file ${p} in memory snapshot`);
    return b;
  }

  async contentId(p: string): Promise<string> {
    return gitBlobId(await this.read(p));
  }
}
