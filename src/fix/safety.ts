/**
 * What must hold before `--fix` writes anything (issue 5, DESIGN.md "fix"):
 * - no edit renames, edits or replaces a path the target branch has: databases deployed from the target
 *   may have run that migration, and renaming it makes them skip it or run it again. The rules never
 *   offer such a fix; this checks the plan against the target's tree once more, from git itself.
 * - no edit touches a path with uncommitted or conflicted changes, unless the user allows it: the fix
 *   should be a change of its own that `git diff` shows and `git checkout` undoes.
 */
import { realpathSync } from 'node:fs';
import { GitError, UsageError } from '../errors.js';
import { GitRepo } from '../snapshot/git.js';
import { touchedPaths, type FixPlan } from './apply.js';

export interface FixGuard {
  /** The git work tree the fixes are applied in; null outside git (nothing to check). */
  repo: GitRepo | null;
  /** The branch the work will merge into, and its files. */
  target?: { name: string; files: ReadonlySet<string> };
  /** `--allow-dirty`: touch files with uncommitted or conflicted changes. */
  allowDirty: boolean;
}

export async function checkFixSafety(plan: FixPlan, guard: FixGuard): Promise<void> {
  if (guard.target) {
    const { name, files } = guard.target;
    const onTarget = (p: string) => files.has(p) || [...files].some((f) => f.startsWith(`${p}/`));
    for (const edit of plan.edits) {
      const path = edit.kind === 'rename' ? edit.from : edit.path;
      if (onTarget(path)) {
        const what = edit.kind === 'rename' ? `rename ${edit.from}` : edit.kind === 'create' ? `create ${edit.path}` : `edit ${edit.path}`;
        throw new UsageError(`refusing to ${what}: ${name} has it, and databases deployed from ${name} may have run it`, 'fix the branch\'s own migration instead, by hand');
      }
    }
  }
  if (!guard.repo || guard.allowDirty) return;
  const dirty = await guard.repo.status(touchedPaths(plan));
  if (dirty.length === 0) return;
  const conflicted = dirty.filter((d) => d.conflicted);
  const list = (ds: typeof dirty) => ds.map((d) => d.path).slice(0, 5).join(', ') + (ds.length > 5 ? `, and ${ds.length - 5} more` : '');
  if (conflicted.length > 0) {
    throw new UsageError(`refusing to fix: ${list(conflicted)} ${conflicted.length === 1 ? 'has' : 'have'} unresolved merge conflicts`, 'resolve the conflicts first, or pass --allow-dirty');
  }
  throw new UsageError(`refusing to fix: ${list(dirty)} ${dirty.length === 1 ? 'has' : 'have'} uncommitted changes`, 'commit or stash them first so the fix can be reviewed and undone, or pass --allow-dirty');
}

/** The git work tree at `root`, or null when it is not in one (or git is missing): nothing to guard. */
export async function openWorkTree(root: string): Promise<GitRepo | null> {
  let repo: GitRepo;
  try {
    repo = await GitRepo.open(root);
  } catch (e) {
    if (e instanceof GitError) return null;
    throw e;
  }
  // Fix paths are relative to `root`; git's are relative to its top level. They are the same directory
  // whenever the check found the repository itself (api.ts findRoot); anything else is not guarded by git.
  if (realpathSync(repo.root) !== realpathSync(root)) {
    repo.close();
    return null;
  }
  return repo;
}
