import { branchTree, djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import type { Framework } from '../src/model/types.js';
import { branchChanges } from './shared/branch-changes.js';

/** What each tool does with a migration whose file changed after it was applied (frameworks.md §1 class 5). */
const CONSEQUENCE: Partial<Record<Framework, string>> & { default: string } = {
  flyway: "Flyway's validate then stops every deploy with 'Migration checksum mismatch for migration version {name}'",
  prisma: "'prisma migrate dev' then reports that the migration was modified after it was applied and asks to reset the development database; 'migrate deploy' never runs the new version",
  default: 'databases that already applied it never run it again, so they keep the old version while new databases get the new one',
};

export default defineRule({
  id: 'edited-migration',
  category: 'history',
  severity: 'error',
  fix: 'none',
  since: '0.3.0',
  description: 'The branch changes a migration that the target branch already has, which production may have applied.',
  messages: {
    edited: '{migration} is already on {target} and this branch changes it: {consequence}',
  },
  docs: {
    what:
      'With `--base <ref>` (or `--staged`), reports a migration file that existed at the branch point and that the branch changed. Flyway repeatable (`R__`) scripts are left alone: they are meant to be edited. A Django squash whose `replaces` list was removed, with its operations unchanged, is the end of the squashing workflow and is not reported.',
    why:
      "A migration that reached the target branch has probably been applied somewhere: production, staging, colleagues' databases. Tools record that a migration ran, not what it contained, so an edit never reaches those databases and the schema silently forks: new databases get the edited version, old ones keep the original. Flyway and Prisma keep checksums and stop instead (`Migration checksum mismatch`, or Prisma asking to reset the development database).",
    knownProblems:
      'Every byte counts, as it does for the checksums of Flyway and Prisma: an edit to a comment is reported too. An edit that only fixes a migration no database has run yet (it reached the target minutes ago) is a judgement the rule cannot make; suppress it with the reason.',
    example: {
      django: branchTree({
        base: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        head: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.CharField(max_length=200, null=True))"]) },
      }),
      sql: branchTree({ base: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note varchar(200);' } }, '--'),
    },
    instead: {
      django: branchTree({
        base: { 'shop/migrations/0002_add_note.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]) },
        head: { 'shop/migrations/0003_note_varchar.py': djangoMigration(["migrations.AlterField('item', 'note', models.CharField(max_length=200, null=True))"], { dependency: "('shop', '0002_add_note')" }) },
      }),
      sql: branchTree({ base: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0003_note_varchar.sql': 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(200);' } }, '--'),
    },
    references: [
      'reference/frameworks.md §1, conflict class 5 (checksum drift) and "A rule every auto-fix must follow"',
      'flyway-core `MigrationInfoImpl.validate` ("Migration checksum mismatch for migration version")',
      'prisma/prisma-engines migration-core `DevDiagnostic` (edited applied migrations)',
      'django/db/migrations/recorder.py `MigrationRecorder` (records names, not contents)',
    ],
  },
  check({ project, report }) {
    const changes = branchChanges(project);
    if (!changes) return;
    const c = project.comparison!;
    for (const { set, after } of changes.edited) {
      const consequence = (CONSEQUENCE[set.framework] ?? CONSEQUENCE.default).replace('{name}', after.name);
      report({ migration: after }, 'edited', { migration: after.name, target: c.target.name, consequence }, {
        facts: { migration: after.name, file: after.file, target: c.target.name },
        hint: 'revert the edit and make the change in a new migration',
      });
    }
  },
});
