import { branchTree } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { inBase, type Comparison } from '../src/model/comparison.js';
import { compareInSet } from '../src/model/order.js';
import type { Fix, Framework, Migration, MigrationSet } from '../src/model/types.js';
import { branchSplit, resequenceFix } from './shared/resequence.js';

/** Tools whose order this rule knows (model/order.ts `compareInSet`). */
const ORDERED: ReadonlySet<Framework> = new Set(['golang-migrate', 'flyway', 'goose', 'dbmate', 'prisma', 'sql', 'knex', 'typeorm', 'sequelize', 'node-pg-migrate']);

/** Tools that apply an older pending migration after newer applied ones, without a word. */
const SILENT: Partial<Record<Framework, string>> = {
  prisma: 'Prisma',
  dbmate: 'dbmate (unless run with --strict, which refuses it)',
  knex: 'Knex',
  typeorm: 'TypeORM',
  sequelize: 'Sequelize (umzug)',
};

export default defineRule({
  id: 'out-of-order-migration',
  category: 'conflict',
  severity: 'error',
  fix: 'sometimes',
  since: '0.3.0',
  description: 'The branch adds a migration that sorts before one the target branch already has.',
  messages: {
    neverApplied:
      '{migration} sorts before {newer}, which {where}: golang-migrate records only the newest version a database ran, so databases already past {newer} never run {migration}',
    flywayRefuses:
      "{migration} sorts before {newer}, which {where}: Flyway refuses to migrate databases that ran {newer}: 'Detected resolved migration not applied to database: {version}. To ignore this migration, set -ignoreMigrationPatterns='*:ignored'. To allow executing this migration, set -outOfOrder=true.'",
    nodePgMigrateRefuses:
      "{migration} sorts before {newer}, which {where}: node-pg-migrate stops on databases that ran {newer} with 'Not run migration {migration} is preceding already run migration {newer}' unless run with --no-check-order",
    gooseRefuses:
      "{migration} sorts before {newer}, which {where}: 'goose up' stops on databases that ran {newer} with 'found 1 missing migrations before current version' unless run with -allow-missing",
    appliedOutOfOrder:
      '{migration} sorts before {newer}, which {where}: {tool} runs it after {newer} on databases that already ran {newer} but before it on new ones, so environments apply the two in different orders',
  },
  docs: {
    what:
      'With `--base <ref>` (or `--staged`), reports a migration the branch adds to a set ordered by version or timestamp (golang-migrate, Flyway, goose, dbmate, Prisma, a plain numbered directory, Knex, TypeORM, Sequelize, node-pg-migrate) whose key, by the order of the tool (Knex and Sequelize the file name with its extension, TypeORM the timestamp ending the class name, node-pg-migrate the numeric prefix), sorts before a migration the target already has: one it gained since the branch point, or the newest one at the branch point. Severity follows what the tool does with it (reference/frameworks.md §1, class 3): golang-migrate never applies it, Flyway, goose and node-pg-migrate (its default `checkOrder`) refuse to migrate (errors); Prisma, dbmate, Knex, TypeORM, Sequelize and an unknown runner apply it in a different order than new databases do (warnings).',
    why:
      "Two branches that each add a migration merge cleanly in git, but a database that already ran the target's newer migration meets the branch's older-numbered one afterwards. golang-migrate stores one version per database and only runs higher ones, so the migration is skipped forever; Flyway's validate fails with 'Detected resolved migration not applied to database'; goose stops with 'found 1 missing migrations'. Prisma and dbmate run it, but after the newer one, while a fresh database and Prisma's shadow database run it before: when the two touch the same table the environments end up different.",
    example: {
      sql: branchTree({ target: { '0003_add_status_index.sql': 'CREATE INDEX CONCURRENTLY orders_status ON orders (status);' }, head: { '0002_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' } }, '--'),
      prisma: branchTree({ target: { '20240105000000_status_index': 'CREATE INDEX CONCURRENTLY "orders_status" ON "orders" ("status");' }, head: { '20240103000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;' } }, '--'),
    },
    instead: {
      sql: branchTree({ target: { '0003_add_status_index.sql': 'CREATE INDEX CONCURRENTLY orders_status ON orders (status);' }, head: { '0004_add_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' } }, '--'),
      prisma: branchTree({ target: { '20240105000000_status_index': 'CREATE INDEX CONCURRENTLY "orders_status" ON "orders" ("status");' }, head: { '20240106000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;' } }, '--'),
    },
    fixSafety:
      "`--fix` (with `--base` or `--staged`) renames the branch's new migrations in this set to fresh keys after the newest one the target has, keeping their relative order and the tool's key format: a number steps by one with the file's zero-padding (golang-migrate renames the `.up.sql` and the `.down.sql`, Flyway the script, its `U` undo and its `.conf`), a Flyway version steps its last part (`1.2` → `1.3`), a TypeORM class name (and its `name` property, and the file name) gets a new 13-digit millisecond timestamp, as does a node-pg-migrate prefix, and a 14-digit timestamp (Prisma folders, Knex, Sequelize, dbmate, goose) becomes the current UTC time, as `prisma migrate dev` or `dbmate new` would name it, or one second past the previous key when that is later. A later branch migration that was in order moves along when it has to, so the branch's order never changes. Inside git the renames are `git mv`, so the index shows them. Renaming is safe only while no shared database has run the migration, which holds for the branch's own new migrations and for nothing else: the fix is not offered when any file to rename exists on the target or at the branch point, `--fix` checks the plan against the target's tree once more and refuses to touch a file with uncommitted or conflicted changes unless `--allow-dirty`, and it never overwrites an existing file.",
    references: [
      'reference/frameworks.md §1 (class 3, out-of-order timestamps), §5.6 (Prisma), §13 (golang-migrate), §14 (Flyway outOfOrder)',
      'golang-migrate/migrate migrate.go (`up` runs only versions above the recorded one)',
      'pressly/goose up.go (missing migrations refused unless allowMissing)',
      'amacneil/dbmate issue #159 (pending migrations applied in numeric order; `--strict` to refuse)',
      'salsita/node-pg-migrate src/runner.ts `checkOrder` ("Not run migration … is preceding already run migration …"); reference/frameworks.md §6.6 (Knex), §7.6 (TypeORM), §8 (umzug sorts paths, no order check), §12',
    ],
  },
  check({ project, report, fixEnv }) {
    function reportOne(set: MigrationSet, m: Migration, newer: Migration, c: Comparison, fix: Fix | undefined): void {
      const commit = c.addedOnTarget.get(newer.file);
      const gained = !inBase(c, set.id, newer.file);
      const where = commit ? `${c.target.name} gained in ${commit.short} "${commit.subject}"` : gained ? `${c.target.name} gained since the branch point` : `${c.target.name} already had at the branch point`;
      const base = { migration: m.name, newer: newer.name, where };
      const facts = { migration: m.name, file: m.file, newer: newer.name, newerFile: newer.file, target: c.target.name, newerCommit: commit?.id ?? null };
      const hint = `renumber it after ${newer.name}${set.framework === 'golang-migrate' ? ' (both the .up.sql and the .down.sql)' : set.framework === 'flyway' ? ' (the script and its .conf)' : ''}: no database has run it yet`;
      const target = { migration: m };
      const extra = { facts, hint, ...(fix ? { fix } : {}) };
      switch (set.framework) {
        case 'golang-migrate':
          report(target, 'neverApplied', base, extra);
          return;
        case 'flyway':
          report(target, 'flywayRefuses', { ...base, version: m.name }, extra);
          return;
        case 'goose':
          report(target, 'gooseRefuses', base, extra);
          return;
        case 'node-pg-migrate':
          report(target, 'nodePgMigrateRefuses', base, extra);
          return;
        default: {
          const tool = SILENT[set.framework] ?? 'a runner that applies pending files by number';
          report(target, 'appliedOutOfOrder', { ...base, tool }, { ...extra, severity: 'warning' });
        }
      }
    }

    const c = project.comparison;
    if (!c) return;
    for (const set of project.sets) {
      if (set.ordering !== 'sequence' || !ORDERED.has(set.framework)) continue;
      // The branch's new migrations, and the newest one the target has (resequence.ts).
      const { ours: added, newest } = branchSplit(set, c);
      if (added.length === 0 || !newest) continue;
      const fix = resequenceFix(set, c, fixEnv.now);
      for (const m of added) {
        // The same version on both sides is duplicate-version's finding, not an order question.
        if (compareInSet(set, m, newest) >= 0 || (m.version !== undefined && m.version === newest.version)) continue;
        reportOne(set, m, newest, c, fix);
      }
    }
  },
});
