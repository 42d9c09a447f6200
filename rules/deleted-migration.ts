import { branchTree, djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import type { Framework } from '../src/model/types.js';
import { branchChanges } from './shared/branch-changes.js';

/** What each tool does when a migration it applied is no longer in the files (frameworks.md §1). */
const CONSEQUENCE: Partial<Record<Framework, string>> & { default: string } = {
  django: "databases that applied it keep its row in django_migrations, and a migration that depends on it stops 'migrate' with NodeNotFoundError",
  flyway: "Flyway's validate stops every deploy with 'Detected applied migration not resolved locally: {name}'",
  prisma: "'prisma migrate dev' finds a migration applied to the database but missing from the folder and asks to reset; its changes stay in every database that ran it",
  default: 'databases that applied it keep its changes while new databases never get them, so the schema forks',
};

export default defineRule({
  id: 'deleted-migration',
  category: 'history',
  severity: 'error',
  fix: 'none',
  since: '0.3.0',
  description: 'The branch deletes a migration that the target branch already has.',
  messages: {
    deleted: '{migration} is on {target} but this branch deletes it: {consequence}',
  },
  docs: {
    what:
      "With `--base <ref>` (or `--staged`), reports a migration that existed at the branch point and that the branch removed, unless it was renamed (`renamed-migration` reports that) or it is a Django migration replaced by a squashed migration that is still there (deleting those is the last step of Django's squashing workflow). Flyway repeatable (`R__`) scripts are left alone.",
    why:
      "Deleting a migration does not undo it: every database that ran it keeps its tables and columns, and its record in the tool's history table, while a database built from the files never gets them. The histories then disagree for good. Flyway refuses to migrate ('Detected applied migration not resolved locally'), Prisma asks developers to reset their databases, and Django stops with NodeNotFoundError as soon as a remaining migration depends on the deleted one.",
    knownProblems:
      'Removing a whole app or set on purpose reports each of its migrations; suppress with the reason, or exclude the set.',
    example: {
      django: branchTree({
        base: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        deleted: ['shop/migrations/0002_add_note.py'],
      }),
      sql: branchTree({ base: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, deleted: ['0002_add_note.sql'] }, '--'),
    },
    instead: {
      django: branchTree({
        base: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        head: { 'shop/migrations/0003_remove_note.py': djangoMigration(["migrations.RemoveField('item', 'note')"], { dependency: "('shop', '0002_add_note')" }) },
      }),
      sql: branchTree({ base: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0003_drop_note.sql': 'ALTER TABLE orders DROP COLUMN note;' } }, '--'),
    },
    references: [
      'reference/frameworks.md §1 and §14 (Flyway "Detected applied migration not resolved locally")',
      'django/db/migrations/loader.py `MigrationLoader.build_graph` (NodeNotFoundError for a missing dependency)',
      'Django documentation, "Squashing migrations" (deleting replaced migrations after the squash is applied everywhere)',
    ],
  },
  check({ project, report }) {
    const changes = branchChanges(project);
    if (!changes) return;
    const c = project.comparison!;
    for (const { set, migration } of changes.deleted) {
      const consequence = (CONSEQUENCE[set.framework] ?? CONSEQUENCE.default).replace('{name}', migration.name);
      report({ file: migration.file, set: set.id, migration: migration.name, ...(migration.span ? { span: migration.span } : {}) }, 'deleted', { migration: migration.name, target: c.target.name, consequence }, {
        facts: { migration: migration.name, file: migration.file, target: c.target.name },
        hint: 'restore the file; to undo its changes, add a new migration that reverses them',
      });
    }
  },
});
