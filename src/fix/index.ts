/**
 * `--fix` and `--fix-dry-run` as one step: plan the findings' edits, check them against the target
 * branch and the work tree (safety.ts), then write them or show them.
 */
import type { Comparison } from '../model/comparison.js';
import type { Finding } from '../model/types.js';
import { applyFixes, planFixes, renderDiff, type FixPlan } from './apply.js';
import { checkFixSafety, openWorkTree } from './safety.js';

export { planFixes, applyFixes, renderDiff, type FixPlan, type PlannedEdit } from './apply.js';

export interface FixRequest {
  root: string;
  findings: readonly Finding[];
  /** The comparison the findings came from: its target's files are never touched. */
  comparison?: Comparison;
  dryRun: boolean;
  allowDirty: boolean;
}

export interface FixOutcome {
  plan: FixPlan;
  /** The diff, for a dry run. */
  diff?: string;
  /** Why `--fix` would refuse this plan (a dry run reports it instead of failing). */
  refusal?: string;
}

export async function runFixes(req: FixRequest): Promise<FixOutcome> {
  const plan = planFixes(req.root, req.findings);
  if (plan.edits.length === 0) return { plan, ...(req.dryRun ? { diff: '' } : {}) };
  const repo = await openWorkTree(req.root);
  try {
    const targetCommit = req.comparison?.target.commit;
    const target = repo && targetCommit ? { name: req.comparison!.target.name, files: new Set((await repo.tree(targetCommit.id)).keys()) } : undefined;
    const guard = { repo, allowDirty: req.allowDirty, ...(target ? { target } : {}) };
    if (req.dryRun) {
      const refusal = await checkFixSafety(plan, guard).then(
        () => undefined,
        (e: Error) => e.message,
      );
      return { plan, diff: renderDiff(plan), ...(refusal ? { refusal } : {}) };
    }
    await checkFixSafety(plan, guard);
    await applyFixes(req.root, plan, repo);
    return { plan };
  } finally {
    repo?.close();
  }
}
