/**
 * A git comparison, as rules see it (DESIGN.md "Git comparison"): a branch about to merge into a target.
 * The project model the rules read is the merged view (the target's tip plus what the branch changed since
 * the branch point); this says which of its files came from the branch, what the branch point held, and
 * which commit brought each of the target's new migrations.
 */
import type { Finding, MigrationSet } from './types.js';

export interface CommitRef {
  /** Full object id. */
  id: string;
  /** How messages name it: the short id. */
  short: string;
  subject: string;
}

export interface Comparison {
  /** The target as the user named it (`origin/main`, `HEAD` for --staged), and its tip when known. */
  target: { name: string; commit?: CommitRef };
  /** The merge-base of target and head: the branch point. */
  base: { commit?: CommitRef };
  /** What is checked as the branch: `working tree`, `the index (staged files)`, a branch name. */
  head: string;
  /** The migration sets as they were at the branch point. */
  baseSets: readonly MigrationSet[];
  /** Files (repository-relative) the branch added or changed since the branch point. */
  branchFiles: ReadonlySet<string>;
  /** Files the branch deleted since the branch point. */
  deletedFiles: ReadonlySet<string>;
  /** The files the target's tip has, under the paths checked: a fix must never rename or edit one of
   *  them (databases deployed from the target may have run it). */
  targetFiles: ReadonlySet<string>;
  /** The commit on the target that added a file since the branch point, where git knows it. */
  addedOnTarget: ReadonlyMap<string, CommitRef>;
}

/** Whether the branch point already had this file as a migration of the set: the target did not gain it
 *  since, and databases may well have run it. */
export function inBase(c: Comparison, setId: string, file: string): boolean {
  return c.baseSets.some((b) => b.id === setId && b.migrations.some((m) => m.file === file));
}

/** What `migrate-lint branches` predicts (`predictBranches` computes it, report/branches.ts renders it). */
export interface BranchPrediction {
  target: { name: string; commit: string };
  /** Each branch merged alone into the target: the conflicts it would bring. */
  branches: { name: string; commit: string; base: string; findings: Finding[] }[];
  /** Pairs of branches that each merge cleanly alone but not both: the second to merge needs a merge
   *  migration or renumbering. `findings` are those of merging `second` after `first`. Branches that
   *  conflict with the target alone are left out (they need fixing first). */
  pairs: { first: string; second: string; findings: Finding[] }[];
}
