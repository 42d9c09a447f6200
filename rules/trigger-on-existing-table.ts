import { defineRule } from '../src/engine/rule.js';
import { lockData } from '../src/engine/statements.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const TRIGGER_SQL = 'CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row()';

export default defineRule({
  id: 'trigger-on-existing-table',
  category: 'lock',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'CREATE TRIGGER or ENABLE / DISABLE TRIGGER blocks writes to an existing table, with no lock_timeout to bound the wait.',
  messages: {
    blocksWrites: '{lock}, and no lock_timeout is set: while it waits for the transactions already writing to "{table}", every new write queues behind it',
  },
  docs: {
    what:
      'Reports `CREATE [OR REPLACE] TRIGGER` and `ALTER TABLE ... ENABLE | DISABLE TRIGGER` on a table that existed before the migration, in a SQL migration, a Django `RunSQL` or any framework\'s raw SQL, unless a `SET lock_timeout` earlier in the migration bounds the wait (`SET LOCAL` counts within its transaction). A table created earlier in the same migration is exempt.',
    why:
      'Both take SHARE ROW EXCLUSIVE, which conflicts with the ROW EXCLUSIVE lock every INSERT, UPDATE and DELETE holds. The statement itself is quick, but it first waits for every transaction already writing to the table, and all new writes queue behind it meanwhile; then it holds them off until the transaction commits. On a busy table, one long transaction turns that into an outage of writes. A short `lock_timeout` makes the migration give up instead, to be retried; keeping the trigger in a migration of its own means the lock is not held while other statements run.',
    knownProblems:
      'A `lock_timeout` the runner sets for the whole session (a connection option, a role setting, `PGOPTIONS`) cannot be seen in the migration; suppress the rule for such projects. `ENABLE`/`DISABLE TRIGGER ALL` also switches the foreign-key triggers, which needs superuser and silently stops referential checks while disabled.',
    example: {
      django: djangoMigration([runSql(TRIGGER_SQL.replaceAll('orders', 'shop_item'), 'DROP TRIGGER shop_item_audit ON shop_item')]),
      sql: `${TRIGGER_SQL};`,
    },
    instead: {
      django: djangoMigration([
        "# A migration of its own: the wait is bounded, and the lock is not held while anything else runs.",
        runSql("SET LOCAL lock_timeout = '2s'"),
        runSql(TRIGGER_SQL.replaceAll('orders', 'shop_item'), 'DROP TRIGGER shop_item_audit ON shop_item'),
      ]),
      alembic: ['def upgrade():', '    op.execute("SET LOCAL lock_timeout = \'2s\'")', `    op.execute('${TRIGGER_SQL}')`].join('\n'),
      sql: ['-- A migration of its own; if it times out, run it again.', "SET lock_timeout = '2s';", `${TRIGGER_SQL};`].join('\n'),
      prisma: ["SET lock_timeout = '2s';", `${TRIGGER_SQL};`].join('\n'),
      knex: ['exports.up = async (knex) => {', "  await knex.raw(\"SET LOCAL lock_timeout = '2s'\");", `  await knex.raw('${TRIGGER_SQL}');`, '};'].join('\n'),
      typeorm: ['async up(q: QueryRunner) {', "  await q.query(\"SET LOCAL lock_timeout = '2s'\");", `  await q.query('${TRIGGER_SQL}');`, '}'].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-createtrigger.html and explicit-locking.html 13.3.1 (CREATE TRIGGER: SHARE ROW EXCLUSIVE)',
      'PostgreSQL 15 manual, sql-altertable.html (ENABLE / DISABLE TRIGGER: SHARE ROW EXCLUSIVE)',
      'PostgreSQL 15 manual, runtime-config-client.html `lock_timeout`',
      'Atlas PG308; squawk `require-lock-timeout` (the same wait, for every statement)',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['create_trigger', 'alter_trigger'])) {
      if (v.lockTimeout) continue;
      report(v, 'blocksWrites', { lock: v.lock.text, table: v.statement.table }, {
        facts: lockData(v.lock.facts),
        hint: {
          default: "put it in a migration of its own after SET lock_timeout = '2s', and run the migration again if it times out",
          django: "put it in a migration of its own, after RunSQL(\"SET LOCAL lock_timeout = '2s'\"), and run it again if it times out",
        },
      });
    }
  },
});
