/**
 * What a branch did to migrations the target already had at the branch point: edited, deleted or renamed
 * them. Worked out once per run for edited-migration, deleted-migration and renamed-migration, which
 * must agree (a rename is not also reported as a deletion).
 */
import type { ProjectModel } from '../../src/engine/rule.js';
import type { Comparison } from '../../src/model/comparison.js';
import type { Migration, MigrationSet } from '../../src/model/types.js';

export interface HistoryEdit {
  set: MigrationSet;
  before: Migration;
  after: Migration;
}

export interface BranchChanges {
  edited: HistoryEdit[];
  renamed: HistoryEdit[];
  deleted: { set: MigrationSet; migration: Migration }[];
}

const cache = new WeakMap<ProjectModel, BranchChanges | null>();

/** Null outside a comparison. */
export function branchChanges(project: ProjectModel): BranchChanges | null {
  if (!cache.has(project)) cache.set(project, project.comparison ? compute(project, project.comparison) : null);
  return cache.get(project)!;
}

function compute(project: ProjectModel, c: Comparison): BranchChanges {
  const out: BranchChanges = { edited: [], renamed: [], deleted: [] };
  const setById = new Map(project.sets.map((s) => [s.id, s]));
  // A Django migration replaced by a squash the merged view holds may be deleted: that is the documented
  // end of squashing ("you can delete the old migrations once all instances have migrated past it").
  const squashed = new Set(project.sets.flatMap((s) => s.migrations.flatMap((m) => m.replaces.map((r) => `${r.set}.${r.name}`))));
  for (const baseSet of c.baseSets) {
    const now = setById.get(baseSet.id);
    const baseFiles = new Set(baseSet.migrations.map((m) => m.file));
    // Migrations the branch added to this set: candidates for the new name of a renamed one.
    const added = (now?.migrations ?? []).filter((m) => c.branchFiles.has(m.file) && !baseFiles.has(m.file) && !m.incomplete);
    for (const before of baseSet.migrations) {
      // Flyway repeatable scripts are meant to be edited; they are re-run when their checksum changes.
      if (before.repeatable) continue;
      const after = now?.migrations.find((m) => m.file === before.file);
      if (after && c.branchFiles.has(before.file) && after.contentId !== before.contentId) {
        if (!squashFinished(before, after)) out.edited.push({ set: now!, before, after });
        continue;
      }
      if (after || !c.deletedFiles.has(before.file)) continue;
      if (squashed.has(`${baseSet.name}.${before.name}`)) continue;
      const i = added.findIndex((m) => m.contentId === before.contentId);
      const j = i >= 0 ? i : added.findIndex((m) => sameOperations(m, before));
      if (j >= 0) {
        out.renamed.push({ set: now!, before, after: added[j]! });
        added.splice(j, 1);
      } else {
        out.deleted.push({ set: baseSet, migration: before });
      }
    }
  }
  return out;
}

/** A squash whose `replaces` was removed once every database had run it (Django's squashing docs). */
function squashFinished(before: Migration, after: Migration): boolean {
  return before.replaces.length > 0 && after.replaces.length === 0 && sameOperations(before, after) && signature(before.parents) === signature(after.parents);
}

/** The same operations, spans aside: a file moved and perhaps reformatted or renumbered. A migration
 *  without statements (a merge, an unreadable file) matches only by identical content. */
function sameOperations(a: Migration, b: Migration): boolean {
  return a.statements.length > 0 && signature(a.statements) === signature(b.statements);
}

function signature(value: unknown): string {
  return JSON.stringify(value, (k, v: unknown) => (k === 'span' || k === 'tableIsNew' ? undefined : v));
}
