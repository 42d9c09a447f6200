/**
 * A read-only view of a tree of files: the working tree, the git index, or a git revision. Every later
 * stage works on a snapshot, so "lint the working tree" and "lint what the merge would produce" are the
 * same code. Paths are repository-relative and POSIX.
 */
export interface Snapshot {
  /** What this snapshot is, for messages: `working tree`, `origin/main (3f2a1c9)`. */
  readonly description: string;
  /** Absolute path of the directory paths are relative to. */
  readonly root: string;
  /** Every file under the given path prefixes (all files when none are given), sorted. */
  list(prefixes?: readonly string[]): Promise<string[]>;
  read(path: string): Promise<Buffer>;
  /** The git blob id of the file's content: equal content, equal id, across snapshots. */
  contentId(path: string): Promise<string>;
}

/** Directories never descended into: they hold dependencies, build output or VCS data, not migrations. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.venv',
  '__pycache__',
  'node_modules',
  'site-packages',
  'venv',
]);

/** Whether a path is one of, or under one of, `prefixes` ('' or none: every path). What `list` filters by. */
export function underPrefixes(prefixes: readonly string[]): (path: string) => boolean {
  if (prefixes.length === 0 || prefixes.includes('')) return () => true;
  return (f) => prefixes.some((p) => f === p || f.startsWith(p.endsWith('/') ? p : p + '/'));
}
