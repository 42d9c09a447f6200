import type { Snapshot } from './types.js';

/** A snapshot without the files `hidden` says no to (configured `ignore` patterns): they are not listed,
 *  so no front end reads them. Everything else is the underlying snapshot's. */
export class FilteredSnapshot implements Snapshot {
  constructor(
    private readonly inner: Snapshot,
    private readonly hidden: (path: string) => boolean,
  ) {}

  get description(): string {
    return this.inner.description;
  }
  get root(): string {
    return this.inner.root;
  }
  async list(prefixes?: readonly string[]): Promise<string[]> {
    return (await this.inner.list(prefixes)).filter((p) => !this.hidden(p));
  }
  read(path: string): Promise<Buffer> {
    return this.inner.read(path);
  }
  contentId(path: string): Promise<string> {
    return this.inner.contentId(path);
  }
}
