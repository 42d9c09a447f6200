import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

export default defineRule({
  id: 'truncate-table',
  category: 'data',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'TRUNCATE empties an existing table under ACCESS EXCLUSIVE; with CASCADE, every table that references it too.',
  messages: {
    truncate: '{lock}, and deletes every row of "{table}", which the reverse migration cannot bring back',
    cascade: '{lock}, and CASCADE empties "{table}" and every table with a foreign key to it, which the reverse migration cannot bring back',
  },
  docs: {
    what:
      'Reports `TRUNCATE` of a table that existed before the migration, in a SQL migration, a Django `RunSQL` or any framework\'s raw SQL, with a message of its own for `CASCADE`. A table created earlier in the same migration is exempt.',
    why:
      'TRUNCATE deletes every row, and no down migration can bring them back. It takes ACCESS EXCLUSIVE, so it first waits for every query on the table while all reads and writes queue behind it, and then holds them off until the transaction commits. It is not MVCC-safe either: a concurrent transaction whose snapshot is older sees the table empty. `CASCADE` does all of this to every table with a foreign key to the named ones, and to theirs, without naming them. Deleting rows in batches takes row locks only, and readers keep a consistent view.',
    knownProblems:
      'Emptying a table on purpose (a cache, a staging table nothing reads) is sometimes what the migration is for: suppress the finding there with the reason.',
    example: {
      django: djangoMigration([runSql('TRUNCATE shop_item')]),
      sql: 'TRUNCATE orders CASCADE;',
    },
    instead: {
      django: djangoMigration([
        '# Rows are deleted in batches by a management command run outside the deploy,',
        "# e.g. Item.objects.filter(pk__in=Item.objects.values('pk')[:5000]).delete() until none are left.",
      ]),
      alembic: '# No revision: a job deletes the rows in batches outside the deploy, naming each table it empties.',
      sql: [
        '-- Run by a job outside the deploy, repeated until it deletes nothing: row locks only, batch by batch.',
        'DELETE FROM orders WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 5000);',
      ].join('\n'),
      prisma: [
        '-- Not in migration.sql: a job outside the deploy runs this until it deletes nothing.',
        'DELETE FROM "orders" WHERE "id" IN (SELECT "id" FROM "orders" ORDER BY "id" LIMIT 5000);',
      ].join('\n'),
      knex: "// A job outside the deploy, repeated until it deletes nothing:\nawait knex('orders').whereIn('id', knex('orders').select('id').orderBy('id').limit(5000)).del();",
      typeorm:
        '// A job outside the deploy, repeated until it deletes nothing:\nawait dataSource.query(\'DELETE FROM orders WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 5000)\');',
    },
    references: [
      'PostgreSQL 15 manual, sql-truncate.html (ACCESS EXCLUSIVE; CASCADE; "TRUNCATE is not MVCC-safe")',
      'PostgreSQL 15 manual, explicit-locking.html, Table 13.2',
      'squawk `ban-truncate-cascade`',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['truncate'])) {
      const { statement: st, lock } = v;
      report(v, st.cascade ? 'cascade' : 'truncate', { lock: lock.text, table: st.table }, {
        facts: lockData(lock.facts),
        hint: st.cascade
          ? 'name every table to empty and leave out CASCADE, so the statement fails instead of emptying a table nobody meant to'
          : 'delete the rows in batches (DELETE ... WHERE id IN (SELECT ... LIMIT n)) from a job outside the deploy, or empty the table deliberately outside the deploy',
      });
    }
  },
});
