import { defineRule, type FrameworkHints } from '../src/engine/rule.js';
import { compareCodeUnits, compareInSet } from '../src/model/order.js';
import type { Fix, Migration } from '../src/model/types.js';
import { resequenceFix } from './shared/resequence.js';

const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** Renumbering is safe only for a migration no shared database has applied (reference/frameworks.md §1). */
const HINT: FrameworkHints = {
  default: 'renumber the one that has not been applied anywhere to one past the highest version in the directory',
  'golang-migrate': 'renumber the one that has not been applied anywhere to one past the highest version, renaming both its .up.sql and its .down.sql',
  flyway: 'renumber the script that has not been applied anywhere to one past the highest version, renaming its .sql.conf too if it has one',
  dbmate: 'rename the one that has not been applied anywhere to a version later than every other (dbmate new uses the current time)',
  prisma: 'rename the folder of the one that has not been applied anywhere to a timestamp later than every other migration',
};

/** The docs' golang-migrate example: two branches each picked version 2. */
const GOLANG_ORDERS_NOTE = [
  '-- file: 000002_add_orders_note.up.sql',
  'ALTER TABLE orders ADD COLUMN note text;',
  '-- file: 000002_add_orders_note.down.sql',
  'ALTER TABLE orders DROP COLUMN note;',
];
const golangUsersName = (version: string) => [
  `-- file: ${version}_add_users_name.up.sql`,
  'ALTER TABLE users ADD COLUMN name text;',
  `-- file: ${version}_add_users_name.down.sql`,
  'ALTER TABLE users DROP COLUMN name;',
];
const PRISMA_ORDERS_NOTE = ['-- file: 20240102000000_add_orders_note', '-- AlterTable', 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;', ''];
const prismaUsersName = (folder: string) => [`-- file: ${folder}`, '-- AlterTable', 'ALTER TABLE "users" ADD COLUMN "name" TEXT;'];

export default defineRule({
  id: 'duplicate-version',
  category: 'conflict',
  severity: 'error',
  fix: 'sometimes',
  since: '0.2.0',
  description: 'Two migrations of one versioned set have the same version: the tool refuses the set, runs only one of them, or orders them by the rest of their names.',
  messages: {
    golangMigrate: '{files} have the same version {version}: golang-migrate refuses to load the directory ("duplicate migration file: {duplicate}")',
    flyway: '{files} have the same version {version}: Flyway stops before migrating ("Found more than one migration with version {version}")',
    goose: '{files} have the same version {version}: goose refuses to collect the migrations ("duplicate version {version} detected")',
    dbmate:
      '{files} have the same version {version}: dbmate records applied migrations by version in schema_migrations, so once one of them is applied the others count as applied and never run',
    prisma:
      '{files} have the same timestamp {version}: Prisma applies them in the order of the rest of their folder names, not in the order they were written',
    plain: '{files} have the same number {version}: which of them runs first depends on how the runner breaks the tie',
  },
  docs: {
    what:
      'Reports migrations of one versioned set that share a version: two golang-migrate `.up.sql` files with the same number (`000002` and `2` are the same version), two Flyway scripts whose versions are equal (`V1_2`, `V1.2` and `V1.2.0` are all 1.2), two goose files with the same number, two dbmate files with the same leading digits, two Prisma folders with the same 14-digit timestamp, and two files of a plain numbered SQL directory with the same number. A golang-migrate `.down.sql` belongs to the `.up.sql` of its version, and Flyway repeatable (`R__`) scripts have no version, so neither counts. Django is not checked: its number prefix is cosmetic, and two `0002_` migrations in a chain are valid. Each migration after the first of its version (in the order the tool applies them) is reported, naming every file with that version.',
    why:
      "The usual cause is two branches that each took the next free number: git merges the two files without a conflict, and the tool finds out at deploy time. golang-migrate refuses to load the directory (`duplicate migration file: …`), goose refuses to collect the migrations (`duplicate version … detected`), and Flyway stops every command with `Found more than one migration with version …`, so nothing deploys until someone renumbers one by hand. dbmate raises nothing: it records applied migrations by version in `schema_migrations`, so once one file with that version has been applied the other counts as applied too and never runs. Prisma keys migrations by their whole folder name and applies them in name order, so two folders with the same timestamp run in the order of the rest of their names, not in the order they were written; that is a warning, as is a plain numbered directory, whose runner is not known.",
    knownProblems:
      "Only `.sql` migrations are read: a goose `.go` migration or a Flyway Java migration with the same version is not seen. A second Flyway undo (`U`) script for one version is not reported. Each finding points at the later migration in the tool's order, which is the one to renumber only when it has not been applied anywhere; when it has, renumber the other one.",
    example: {
      sql: ['-- golang-migrate, db/migrations/: two branches each added version 2', ...GOLANG_ORDERS_NOTE, ...golangUsersName('000002')].join('\n'),
      prisma: [...PRISMA_ORDERS_NOTE, ...prismaUsersName('20240102000000_add_users_name')].join('\n'),
    },
    instead: {
      sql: ['-- golang-migrate, db/migrations/: the unapplied one renumbered past the newest', ...GOLANG_ORDERS_NOTE, ...golangUsersName('000003')].join('\n'),
      prisma: [...PRISMA_ORDERS_NOTE, ...prismaUsersName('20240103000000_add_users_name')].join('\n'),
    },
    fixSafety:
      "`--fix` (with `--base` or `--staged`) renames the branch's new migrations in this set to fresh keys after the newest one the target has, keeping their relative order and the tool's key format: a number steps by one with the file's zero-padding (golang-migrate renames the `.up.sql` and the `.down.sql`, Flyway the script, its `U` undo and its `.conf`), a Flyway version steps its last part (`1.2` → `1.3`), and a 14-digit timestamp (Prisma folders, dbmate, goose) becomes the current UTC time, as `prisma migrate dev` or `dbmate new` would name it, or one second past the previous key when that is later. A later branch migration that was in order moves along when it has to, so the branch's order never changes. Inside git the renames are `git mv`, so the index shows them. Renaming is safe only while no shared database has run the migration, which holds for the branch's own new migrations and for nothing else: the fix is not offered when any file to rename exists on the target or at the branch point, `--fix` checks the plan against the target's tree once more and refuses to touch a file with uncommitted or conflicted changes unless `--allow-dirty`, and it never overwrites an existing file. Without `--base`, which of two migrations with one version a database has run cannot be known, so no fix is offered.",
    references: [
      'golang-migrate/migrate source/migration.go `Migrations.Append` ("reject duplicate versions"), source/iofs/iofs.go `PartialDriver.Init`, source/errors.go `ErrDuplicateMigration`',
      'flyway/flyway flyway-core `CompositeMigrationResolver.checkForIncompatibilities` ("Found more than one migration with version %s"), `MigrationVersion`',
      'pressly/goose migrate.go `Migrations` (`goose: duplicate version %v detected`)',
      'amacneil/dbmate pkg/dbmate/db.go `FindMigrations` (applied migrations keyed by version, files sorted by name), `Migrate`',
      'prisma/prisma packages/migrate/src/utils/listMigrations.ts (folders sorted by `localeCompare`)',
      'reference/frameworks.md §1 (class 2, duplicate sequence number), §5.6, §13, §14',
    ],
  },
  check({ project, report, fixEnv }) {
    const c = project.comparison;
    for (const set of project.sets) {
      if (set.ordering !== 'sequence') continue;
      let fix: Fix | undefined | null = null;
      const byVersion = new Map<string, Migration[]>();
      for (const m of set.migrations) {
        // A Flyway repeatable has no version; a Prisma folder without a timestamp has none either.
        if (m.version === undefined || m.repeatable) continue;
        const same = byVersion.get(m.version);
        if (same) same.push(m);
        else byVersion.set(m.version, [m]);
      }
      for (const [version, same] of byVersion) {
        if (same.length < 2) continue;
        const ordered = [...same].sort((a, b) => compareInSet(set, a, b));
        const files = ordered.map((m) => m.file);
        const data = { files: files.join(', '), version };
        const facts = { version, files };
        // Once per migration after the first in the tool's order: each is one to renumber. In a comparison,
        // once per migration the branch brings: the target's may have run already, the branch's have not.
        const ours = c ? ordered.filter((m) => c.branchFiles.has(m.file)) : [];
        for (const migration of ours.length > 0 && ours.length < ordered.length ? ours : ordered.slice(1)) {
          // In a comparison, the branch's new migrations can be renumbered past the target's (resequence.ts).
          if (fix === null) fix = c ? resequenceFix(set, c, fixEnv.now) : undefined;
          const extra = { facts, hint: HINT, ...(fix && c?.branchFiles.has(migration.file) ? { fix } : {}) };
          switch (set.framework) {
            case 'golang-migrate': {
              const duplicate = golangMigrateDuplicate(ordered);
              report({ migration }, 'golangMigrate', { ...data, duplicate }, { ...extra, facts: { ...facts, duplicate } });
              break;
            }
            case 'flyway':
            case 'goose':
            case 'dbmate':
              report({ migration }, set.framework, data, extra);
              break;
            // Prisma runs both, and a plain directory's runner is not known: the order is in doubt, not the run.
            case 'prisma':
              report({ migration }, 'prisma', data, { ...extra, severity: 'warning' });
              break;
            case 'sql':
            default:
              report({ migration }, 'plain', data, { ...extra, severity: 'warning' });
          }
        }
      }
    }
  },
});

/**
 * The file golang-migrate names: it lists the directory in name order and refuses the first file whose
 * version already has a file of the same direction (source/iofs/iofs.go `Init`, `Migrations.Append`). A
 * migration whose forward file is its down file is a `.down.sql` with no `.up.sql` (model `Migration.down`).
 */
function golangMigrateDuplicate(same: readonly Migration[]): string {
  const files = same.flatMap((m) => [
    ...(m.down?.file !== m.file ? [{ name: baseName(m.file), up: true }] : []),
    ...(m.down ? [{ name: baseName(m.down.file), up: false }] : []),
  ]);
  files.sort((a, b) => compareCodeUnits(a.name, b.name));
  const seen = new Set<boolean>();
  for (const f of files) {
    if (seen.has(f.up)) return f.name;
    seen.add(f.up);
  }
  // Unreachable with two migrations of one version, but a name is better than a throw in a message.
  return baseName(same[same.length - 1]!.file);
}
