import { defineRule } from '../src/engine/rule.js';
import { isPostgresSet } from '../src/engine/statements.js';

export default defineRule({
  id: 'lock-rules-skipped',
  category: 'lock',
  severity: 'info',
  fix: 'none',
  since: '0.2.0',
  description: 'A migration history runs on a database other than PostgreSQL, so the PostgreSQL lock rules were not applied to it.',
  messages: {
    skipped: '{dir} runs on {dialect}: the PostgreSQL lock, rewrite and transaction rules were not applied to its {count} migrations',
  },
  docs: {
    what:
      "Notes, once per migration history, that its database is not PostgreSQL (Prisma's `migration_lock.toml` says `mysql` or `sqlite`), so the rules that read PostgreSQL's lock table were skipped for it rather than applied where they do not hold. History rules (conflicts, dependencies, parse errors, reversibility) still run.",
    why:
      'MySQL and SQLite lock, rewrite and commit DDL differently: MySQL commits every DDL statement implicitly and builds most indexes online; SQLite rewrites tables to change them. Reporting PostgreSQL locks for them would be wrong, and silently reporting nothing would look like a clean bill of health.',
    example: {
      prisma: ['-- file: migration_lock.toml', 'provider = "mysql"', '', '-- file: 20240102000000_change', 'CREATE INDEX `orders_status_idx` ON `orders`(`status`);'].join('\n'),
    },
    instead: {
      prisma: ['-- file: migration_lock.toml', 'provider = "postgresql"', '', '-- file: 20240102000000_change', 'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");'].join('\n'),
    },
    references: ['prisma-engines `migrations_directory.rs` `read_provider_from_lock_file`; reference/frameworks.md §5.1, §5.4 (MySQL flavour)'],
  },
  check({ project, report }) {
    for (const set of project.sets) {
      const first = set.migrations[0];
      if (isPostgresSet(set) || !first) continue;
      report({ migration: first }, 'skipped', { dir: set.dir, dialect: set.dialect, count: set.migrations.length });
    }
  },
});
