import { branchTree, djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import type { Framework } from '../src/model/types.js';
import { branchChanges } from './shared/branch-changes.js';

/** A migration's identity is its name in every tool we read (frameworks.md §1, "Identity"). */
const CONSEQUENCE: Partial<Record<Framework, string>> & { default: string } = {
  django: "databases that applied it record it as {before}: they run {after} again as a new migration, and a migration depending on the old name stops 'migrate' with NodeNotFoundError",
  flyway: "Flyway's validate stops every deploy: version {before} is applied but no longer resolved locally",
  default: 'databases that applied it record the old name, so they run it again under the new one',
};

export default defineRule({
  id: 'renamed-migration',
  category: 'history',
  severity: 'error',
  fix: 'none',
  since: '0.3.0',
  description: 'The branch renames or renumbers a migration that the target branch already has.',
  messages: {
    renamed: '{before} is on {target} but this branch renames it to {after}: {consequence}',
  },
  docs: {
    what:
      'With `--base <ref>` (or `--staged`), reports a migration that existed at the branch point, is gone from its old path, and reappears in the same set under a new name: the same bytes, or the same operations reformatted. Renaming a migration only the branch has is fine and not reported (that is how a branch is renumbered after a rebase).',
    why:
      "Every tool identifies an applied migration by its name (Django's app and module name, Prisma's folder, golang-migrate's version, Flyway's version). A database that ran the old name sees the new name as a migration it has never run, and runs it again: `CREATE TABLE` fails with 'already exists', or an `ADD COLUMN IF NOT EXISTS` hides that the history is now wrong. Flyway refuses outright, since an applied version is missing.",
    example: {
      django: branchTree({
        base: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        head: { 'shop/migrations/0002_item_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        deleted: ['shop/migrations/0002_add_note.py'],
      }),
      sql: branchTree({ base: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0003_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, deleted: ['0002_add_note.sql'] }, '--'),
    },
    instead: {
      django: branchTree({
        base: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        head: { 'shop/migrations/0003_remove_note.py': djangoMigration(["migrations.RemoveField('item', 'note')"], { dependency: "('shop', '0002_add_note')" }) },
      }),
      sql: branchTree({ base: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0003_index_note.sql': 'CREATE INDEX CONCURRENTLY orders_note ON orders (note);' } }, '--'),
    },
    references: [
      'reference/frameworks.md §1 (identity of a migration per tool; "A rule every auto-fix must follow")',
      'django/db/migrations/recorder.py `MigrationRecorder.applied_migrations` (app and name)',
    ],
  },
  check({ project, report }) {
    const changes = branchChanges(project);
    if (!changes) return;
    const c = project.comparison!;
    for (const { set, before, after } of changes.renamed) {
      const consequence = (CONSEQUENCE[set.framework] ?? CONSEQUENCE.default).replaceAll('{before}', before.name).replaceAll('{after}', after.name);
      report({ migration: after }, 'renamed', { before: before.name, after: after.name, target: c.target.name, consequence }, {
        facts: { before: before.name, after: after.name, beforeFile: before.file, afterFile: after.file, target: c.target.name },
        hint: `rename it back to ${before.file.slice(before.file.lastIndexOf('/') + 1)}`,
      });
    }
  },
});
