/**
 * The git repository a comparison reads: refs, merge-bases, tree and index listings and diffs through
 * simple-git, blob contents through one `git cat-file --batch` process (cat-file.ts). Every ref and path
 * reaches git as an argument of its own, never through a shell; a ref that could be read as an option is
 * refused before git sees it, and `--end-of-options` guards the rest.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';
import { BlobReader } from './cat-file.js';
import { SKIPPED_DIRS } from './types.js';

export interface Commit {
  id: string;
  /** The ref as the user wrote it (`origin/main`), or the short id when there is none. */
  name: string;
  subject: string;
}

/** A file in a tree or the index: its blob id, or (for the index) `null` when the path is unmerged. */
export type Listing = Map<string, string | null>;

export interface Changes {
  /** Paths added or modified, relative to the base. */
  changed: Set<string>;
  /** Paths deleted. */
  deleted: Set<string>;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export class GitRepo {
  readonly blobs: BlobReader;
  private shallow: boolean | undefined;
  private listings = new Map<string, Promise<Listing>>();

  private constructor(readonly root: string, private readonly git: SimpleGit) {
    this.blobs = new BlobReader(root);
  }

  /** The repository `cwd` is in. */
  static async open(cwd: string): Promise<GitRepo> {
    let top: string;
    try {
      top = (await simpleGit({ baseDir: cwd }).raw(['rev-parse', '--show-toplevel'])).trim();
    } catch (e) {
      const msg = (e as Error).message ?? '';
      if (/ENOENT|spawn git/.test(msg)) throw new GitError('git is not installed or not on PATH', 'install git, or check the working tree without --base/--staged');
      if (/not a git repository/i.test(msg)) {
        throw new GitError(`not a git repository: ${cwd}`, 'run it inside a git checkout, or leave out --base/--staged to check the files as they are');
      }
      throw new GitError(`git failed: ${firstLine(msg)}`);
    }
    if (!top) throw new GitError(`not inside a git working tree: ${cwd}`, 'run it inside a checkout, not in .git or a bare repository');
    return new GitRepo(top, simpleGit({ baseDir: top }));
  }

  close(): void {
    this.blobs.close();
  }

  /** The commit a ref names. Refuses refs that git could read as options (`--output=x`). */
  async resolve(ref: string): Promise<Commit> {
    if (ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref)) {
      throw new GitError(`not a git ref: '${ref.replace(/[\0\n\r]/g, '?')}'`, 'give a branch, tag or commit, such as origin/main');
    }
    const id = (await this.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    if (!id) {
      const hint = ref.includes('/')
        ? `fetch it first (git fetch ${ref.split('/')[0]} ${ref.split('/').slice(1).join('/')}); in GitHub Actions set fetch-depth: 0 on actions/checkout`
        : 'check the name with git branch -a; remote branches are named like origin/main';
      throw new GitError(`unknown git ref '${ref}'`, hint);
    }
    return { id, name: ref, subject: await this.subject(id) };
  }

  /** HEAD's commit; a clear error on a repository with no commits yet. */
  async head(): Promise<Commit | null> {
    const id = (await this.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
    if (!id) return null;
    const branch = (await this.raw(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
    return { id, name: branch && branch !== 'HEAD' ? branch : id.slice(0, 7), subject: await this.subject(id) };
  }

  async requireHead(): Promise<Commit> {
    const head = await this.head();
    if (!head) throw new GitError('HEAD has no commits yet (unborn branch)', 'commit once before comparing with --base; --staged works before the first commit');
    return head;
  }

  /** The best common ancestor of two commits: the branch point. */
  async mergeBase(a: Commit, b: Commit): Promise<Commit> {
    let id = '';
    try {
      id = (await this.raw(['merge-base', a.id, b.id])).trim();
    } catch {
      id = '';
    }
    if (!id) {
      if (await this.isShallow()) {
        throw new GitError(
          `this is a shallow clone and it does not hold the merge-base of ${a.name} and ${b.name}`,
          'fetch the history: git fetch --unshallow (GitHub Actions: actions/checkout with fetch-depth: 0)',
        );
      }
      throw new GitError(`${a.name} and ${b.name} have no common history`, 'compare with a branch this one was started from');
    }
    return { id, name: id.slice(0, 7), subject: await this.subject(id) };
  }

  async isShallow(): Promise<boolean> {
    this.shallow ??= (await this.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    return this.shallow;
  }

  /** Every regular file of a commit's tree with its blob id (symbolic links and submodules left out). */
  tree(commit: string | null): Promise<Listing> {
    const key = commit ?? EMPTY_TREE;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = commit === null ? Promise.resolve(new Map()) : this.lsTree(commit);
      this.listings.set(key, listing);
    }
    return listing;
  }

  private async lsTree(commit: string): Promise<Listing> {
    const out = await this.raw(['ls-tree', '-r', '-z', '--full-tree', commit]);
    const files: Listing = new Map();
    for (const rec of out.split('\0')) {
      const tab = rec.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, oid] = rec.slice(0, tab).split(' ');
      const p = rec.slice(tab + 1);
      if (type === 'blob' && (mode === '100644' || mode === '100755') && !skipped(p)) files.set(p, oid!);
    }
    return files;
  }

  /** The index: staged content per path; `null` for a path with unmerged stages (a conflict). */
  async index(): Promise<Listing> {
    const out = await this.raw(['ls-files', '--stage', '-z']);
    const files: Listing = new Map();
    for (const rec of out.split('\0')) {
      const tab = rec.indexOf('\t');
      if (tab < 0) continue;
      const [mode, oid, stage] = rec.slice(0, tab).split(' ');
      const p = rec.slice(tab + 1);
      if (skipped(p) || !(mode === '100644' || mode === '100755')) continue;
      files.set(p, stage === '0' ? oid! : null);
    }
    return files;
  }

  /**
   * What changed from `base` to `to`: another commit, the index (`staged`), or the working tree
   * (tracked changes plus untracked files that are not ignored). Git decides, so line-ending filters and
   * `core.autocrlf` do not make every file look edited.
   */
  async changes(base: string | null, to: { commit: string } | 'staged' | 'worktree'): Promise<Changes> {
    const from = base ?? EMPTY_TREE;
    const args = ['diff', '--name-status', '--no-renames', '--no-ext-diff', '-z'];
    if (to === 'staged') args.push('--cached', from);
    else if (to === 'worktree') args.push(from);
    else args.push(from, to.commit);
    args.push('--');
    const out = await this.raw(args);
    const changed = new Set<string>();
    const deleted = new Set<string>();
    const recs = out.split('\0');
    for (let i = 0; i + 1 < recs.length; i += 2) {
      const status = recs[i]!;
      const p = recs[i + 1]!;
      if (skipped(p)) continue;
      if (status.startsWith('D')) deleted.add(p);
      else changed.add(p);
    }
    if (to === 'worktree') {
      const untracked = await this.raw(['ls-files', '--others', '--exclude-standard', '-z']);
      for (const p of untracked.split('\0')) if (p && !skipped(p)) changed.add(p);
    }
    return { changed, deleted };
  }

  /** For each path, the newest commit in `base..tip` that added it. One `git log` for all of them. */
  async addedBy(base: string | null, tip: string, paths: readonly string[]): Promise<Map<string, Commit>> {
    const found = new Map<string, Commit>();
    if (paths.length === 0) return found;
    const range = base ? `${base}..${tip}` : tip;
    const out = await this.raw(['log', '--no-renames', '--diff-filter=A', '--name-only', '-z', '--format=%x1e%H%x1f%s', range, '--', ...paths]);
    for (const rec of out.split('\x1e')) {
      if (!rec) continue;
      const sep = rec.indexOf('\x1f');
      const id = rec.slice(0, sep);
      // `%s` is followed by NUL (from -z), then a newline and the NUL-separated names.
      const end = rec.indexOf('\0', sep);
      const subject = rec.slice(sep + 1, end < 0 ? undefined : end);
      const names = end < 0 ? [] : rec.slice(end + 1).split('\0');
      for (const n of names) {
        const p = n.replace(/^\n/, '');
        if (p && !found.has(p)) found.set(p, { id, name: id.slice(0, 7), subject });
      }
    }
    return found;
  }

  /** Local branches (`refs/heads`) or remote-tracking branches (`refs/remotes`, without the `<remote>/HEAD` aliases). */
  async branches(remote: boolean): Promise<Commit[]> {
    const out = await this.raw(['for-each-ref', '--format=%(refname:short)%00%(objectname)%00%(subject)', remote ? 'refs/remotes' : 'refs/heads']);
    return out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\0'))
      .filter(([name]) => !(remote && name!.endsWith('/HEAD')) && name !== undefined)
      .map(([name, id, subject]) => ({ name: name!, id: id!, subject: subject ?? '' }));
  }

  /** What a symbolic ref points at, abbreviated (`origin/HEAD` → `origin/main`); null if it is not one. */
  async symbolicName(ref: string): Promise<string | null> {
    // Without --end-of-options: git 2.39 echoes it back under --abbrev-ref. Only refs we already resolved
    // (never starting with `-`) come here.
    if (ref.startsWith('-')) return null;
    const out = (await this.raw(['rev-parse', '--abbrev-ref', ref])).trim();
    return out && out !== ref ? out : null;
  }

  /**
   * The working-tree state of these paths (files, or directories and everything under them): each path
   * git reports as changed, staged, untracked or unmerged, with its two-letter `git status` code. Empty
   * when all of them are clean or absent.
   */
  async status(paths: readonly string[]): Promise<{ path: string; code: string; conflicted: boolean }[]> {
    if (paths.length === 0) return [];
    const out = await this.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...paths.map(literalPathspec)]);
    return out
      .split('\0')
      .filter((rec) => rec.length > 3)
      .map((rec) => {
        const code = rec.slice(0, 2);
        // `git status` short format: DD, AU, UD, UA, DU, AA and UU are the unmerged states.
        return { path: rec.slice(3), code, conflicted: code.includes('U') || code === 'DD' || code === 'AA' };
      });
  }

  /** Whether git tracks this path (a file in the index, or a directory with a file in the index). */
  async tracked(p: string): Promise<boolean> {
    return (await this.raw(['ls-files', '-z', '--', literalPathspec(p)])).length > 0;
  }

  /** `git mv`: renames a tracked file or directory on disk and in the index; refuses an existing destination. */
  async mv(from: string, to: string): Promise<void> {
    await this.raw(['mv', '--', from, to]);
  }

  private async subject(id: string): Promise<string> {
    return (await this.raw(['log', '-1', '--format=%s', id])).trim();
  }

  private async raw(args: string[]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (e) {
      throw new GitError(`git ${args[0]} failed: ${firstLine((e as Error).message ?? String(e))}`);
    }
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]!.replace(/^fatal: /, '');
}

/** The snapshot layer never descends into dependency or VCS directories; git listings follow suit. */
function skipped(p: string): boolean {
  return p.split('/').some((seg, i, all) => i < all.length - 1 && SKIPPED_DIRS.has(seg));
}

/** A pathspec that means exactly this path: no glob, no magic, even for names with `*` or a leading `:`. */
function literalPathspec(p: string): string {
  return `:(literal)${p}`;
}
