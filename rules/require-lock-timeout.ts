import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { lockData, lockOf, statementsOf } from '../src/engine/statements.js';
import type { Migration } from '../src/model/types.js';
import { blockedBy } from '../src/postgres/index.js';
import { durationMs } from '../src/model/statement.js';

export default defineRule({
  id: 'require-lock-timeout',
  category: 'lock',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  optIn: true,
  description: 'A statement that takes a SHARE or stronger lock on an existing table runs with no lock_timeout set before it.',
  options: {
    maxLockTimeout: {
      description:
        "Also report a lock_timeout longer than this (a PostgreSQL duration: `'5s'`, `'500ms'`, `'1min'`, or milliseconds as a number): a timeout of minutes protects nothing. strong_migrations' `lock_timeout_limit` (10 seconds) is the model.",
      anyOf: [
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(us|ms|s|min|h|d)?\\s*$' },
      ],
    },
  },
  messages: {
    timeoutTooLong: '{lock}, and the lock_timeout set before it ({timeout}) is longer than the {limit} the configuration allows: while it waits, every query after it on {table} waits too',
    noTimeout: '{lock}, and no lock_timeout is set before it: while it waits for a long-running query on {table}, every query after it waits too',
  },
  docs: {
    what:
      'Reports the first statement in a migration that takes a SHARE, SHARE ROW EXCLUSIVE, EXCLUSIVE or ACCESS EXCLUSIVE lock on an existing table when no `SET lock_timeout` (or `SET LOCAL lock_timeout` in the same transaction) comes before it in the migration. Off by default: turn it on where deploys run against busy databases.',
    why:
      'A lock request waits for every conflicting lock already held, and every later request on the same table queues behind it. A one-millisecond `ALTER TABLE` that waits behind a ten-minute report query blocks all reads and writes of the table for ten minutes. With `lock_timeout` set, the migration gives up instead and can be retried.',
    knownProblems:
      'A timeout set by the runner for the whole session (a connection option, a role setting, `PGOPTIONS`) cannot be seen in the migration; suppress the rule for such projects, or leave it off.',
    example: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='note', field=models.TextField(null=True))"]),
      sql: 'ALTER TABLE orders ADD COLUMN note text;',
    },
    instead: {
      django: [
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [',
        "        migrations.RunSQL(\"SET LOCAL lock_timeout = '2s'\", migrations.RunSQL.noop),",
        "        migrations.AddField(model_name='item', name='note', field=models.TextField(null=True)),",
        '    ]',
      ].join('\n'),
      alembic: ['def upgrade():', '    op.execute("SET LOCAL lock_timeout = \'2s\'")', "    op.add_column('orders', sa.Column('note', sa.Text()))"].join('\n'),
      sql: ["SET lock_timeout = '2s';", 'ALTER TABLE orders ADD COLUMN note text;'].join('\n'),
      prisma: ["SET lock_timeout = '2s';", 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;'].join('\n'),
      knex: ["exports.up = async (knex) => {", "  await knex.raw(\"SET LOCAL lock_timeout = '2s'\");", "  await knex.schema.alterTable('orders', (t) => t.text('note'));", '};'].join('\n'),
      typeorm: ['async up(q: QueryRunner) {', "  await q.query(\"SET LOCAL lock_timeout = '2s'\");", "  await q.query('ALTER TABLE orders ADD COLUMN note text');", '}'].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, runtime-config-client.html `lock_timeout`',
      'PostgreSQL 15 manual, explicit-locking.html 13.3.1 (lock requests queue in order)',
      'squawk `require-lock-timeout` (docs/safe_migrations.md); eugene E9; strong_migrations `lock_timeout`',
    ],
  },
  check({ project, settings, options, report }) {
    const limitMs = limitOf(options.maxLockTimeout);
    const reported = new Set<Migration>();
    for (const v of statementsOf(project, { postgres: true })) {
      const st = v.statement;
      const tooLong = v.lockTimeout && limitMs !== undefined && v.lockTimeoutMs !== null && v.lockTimeoutMs > limitMs;
      if ((v.lockTimeout && !tooLong) || st.tableIsNew || reported.has(v.migration)) continue;
      const lock = lockOf(st, settings, v.tx);
      // A lock that blocks ordinary reads or writes (SHARE and stronger) makes every later query on the
      // table queue behind the statement while it waits for its own.
      const held = lock?.facts.locks.find((l) => l.relation === 'table' && blockedBy(l.mode).length > 0);
      if (!lock || !held) continue;
      reported.add(v.migration);
      const table = held.table !== null ? `"${held.table}"` : 'the table';
      if (tooLong) {
        report(v, 'timeoutTooLong', { lock: lock.text, table, timeout: formatMs(v.lockTimeoutMs!), limit: formatMs(limitMs!) }, {
          facts: { ...lockData(lock.facts), lockTimeoutMs: v.lockTimeoutMs, maxLockTimeoutMs: limitMs },
          hint: `set lock_timeout to ${formatMs(limitMs!)} or less, and retry the migration when it times out`,
        });
        continue;
      }
      report(v, 'noTimeout', { lock: lock.text, table }, {
        facts: lockData(lock.facts),
        hint: "set a short lock_timeout first (SET lock_timeout = '2s'), and retry the migration when it times out",
      });
    }
  },
});

/** The configured limit in milliseconds (the configuration's schema has checked its form). */
function limitOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : durationMs(String(value));
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}min`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
