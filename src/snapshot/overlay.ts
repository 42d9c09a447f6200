/**
 * The merged view: what merging a branch into its target would produce, before the merge exists. It is
 * the target's files with the branch's changes since the branch point laid over them (DESIGN.md "Git
 * comparison"). A file both sides changed takes the branch's version; git would ask a human there, and
 * the branch's version is the one its author is checking.
 */
import type { Changes } from './git.js';
import { underPrefixes, type Snapshot } from './types.js';

export class OverlaySnapshot implements Snapshot {
  readonly root: string;

  constructor(
    private readonly under: Snapshot,
    private readonly over: Snapshot,
    private readonly changes: Changes,
    readonly description: string,
  ) {
    this.root = over.root;
  }

  async list(prefixes: readonly string[] = ['']): Promise<string[]> {
    const inScope = underPrefixes(prefixes);
    const out = new Set((await this.under.list(prefixes)).filter((f) => !this.changes.deleted.has(f)));
    for (const f of this.changes.changed) if (inScope(f)) out.add(f);
    return [...out].sort();
  }

  read(p: string): Promise<Buffer> {
    return this.from(p).read(p);
  }

  contentId(p: string): Promise<string> {
    return this.from(p).contentId(p);
  }

  private from(p: string): Snapshot {
    return this.changes.changed.has(p) ? this.over : this.under;
  }
}

/** What changed between two snapshots, by content id: for snapshots git does not hold (tests, the API). */
export async function diffSnapshots(base: Snapshot, head: Snapshot, prefixes: readonly string[] = ['']): Promise<Changes> {
  const before = new Set(await base.list(prefixes));
  const after = await head.list(prefixes);
  const changed = new Set<string>();
  for (const f of after) {
    if (!before.has(f) || (await base.contentId(f)) !== (await head.contentId(f))) changed.add(f);
  }
  const now = new Set(after);
  const deleted = new Set([...before].filter((f) => !now.has(f)));
  return { changed, deleted };
}
