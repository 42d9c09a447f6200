import { defineRule } from '../src/engine/rule.js';
import { lockData, lockOf } from '../src/engine/statements.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';
import { lockedOnExistingTables } from './shared/existing-tables.js';

const DETACH = 'ALTER TABLE orders DETACH PARTITION orders_2023';

export default defineRule({
  id: 'partition-detach-not-concurrent',
  category: 'lock',
  severity: 'error',
  fix: 'none',
  since: '0.2.0',
  description: 'DETACH PARTITION without CONCURRENTLY blocks every read and write of the whole partitioned table.',
  messages: {
    detach: '{lock}, so every query on the partitioned table waits, not only those on "{partition}"',
    noConcurrentForm:
      '{lock}, so every query on the partitioned table waits, and PostgreSQL {pgVersion} has no DETACH PARTITION CONCURRENTLY (it arrives in {since})',
  },
  docs: {
    what:
      'Reports `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` on a partitioned table that existed before the migration, in a SQL migration, a Django `RunSQL` or any framework\'s raw SQL. On a configured PostgreSQL version that has no concurrent form (`--pg-version` below 14) it is still reported, with a message that says so. `DETACH PARTITION ... FINALIZE` and tables created earlier in the same migration are not reported.',
    why:
      'A plain detach takes ACCESS EXCLUSIVE on the partitioned table itself (and, from PostgreSQL 14, on the partition), so every read and write of every partition waits for it, queueing behind whatever long query it waits for first, until the transaction commits. `DETACH PARTITION ... CONCURRENTLY` (PostgreSQL 14 and later) takes SHARE UPDATE EXCLUSIVE on the partitioned table instead and waits for running queries in two transactions, so traffic goes on. It cannot run inside a transaction block, and it is not allowed while the partitioned table has a default partition; if it is interrupted, `... DETACH PARTITION ... FINALIZE` completes it.',
    knownProblems:
      'The rule cannot see whether the partitioned table has a default partition, where `CONCURRENTLY` is refused; there the plain form in a quiet hour, with a short `lock_timeout`, is the only way, and the finding can be suppressed with that reason.',
    example: {
      django: djangoMigration([runSql(DETACH.replaceAll('orders', 'shop_event'), 'ALTER TABLE shop_event ATTACH PARTITION shop_event_2023 FOR VALUES FROM (2023) TO (2024)')]),
      sql: `${DETACH};`,
    },
    instead: {
      django: djangoMigration([runSql(`${DETACH.replaceAll('orders', 'shop_event')} CONCURRENTLY`)], { atomic: false }),
      alembic: ['def upgrade():', '    with op.get_context().autocommit_block():', `        op.execute('${DETACH} CONCURRENTLY')`].join('\n'),
      sql: ['-- Runs outside a transaction block: the runner must not wrap this file in one.', `${DETACH} CONCURRENTLY;`].join('\n'),
      prisma: ['-- This migration.sql holds nothing else: a file with one statement runs outside a transaction.', `${DETACH} CONCURRENTLY;`].join('\n'),
      knex: ['exports.config = { transaction: false };', '', `exports.up = (knex) => knex.raw('${DETACH} CONCURRENTLY');`].join('\n'),
      typeorm: [
        '// with migrationsTransactionMode: "each" in the data source',
        'export class DetachOrders20231700000000000 implements MigrationInterface {',
        '  transaction = false;',
        '  async up(q: QueryRunner) {',
        `    await q.query('${DETACH} CONCURRENTLY');`,
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html (DETACH PARTITION: CONCURRENTLY and FINALIZE from 14; not in a transaction block; not with a default partition)',
      'PostgreSQL 14 release notes ("Allow partitions to be detached in a non-blocking manner")',
      'squawk `require-concurrent-partition-detach`',
    ],
  },
  check({ project, settings, report }) {
    for (const v of lockedOnExistingTables(project, settings, ['detach_partition'])) {
      const st = v.statement;
      if (st.concurrently || st.finalize) continue;
      const facts = lockData(v.lock.facts);
      // The lock table knows from which version the concurrent form exists.
      const since = lockOf({ ...st, concurrently: true }, settings)?.facts.requiresVersion;
      if (since !== undefined && settings.pgVersion < since) {
        report(v, 'noConcurrentForm', { lock: v.lock.text, pgVersion: settings.pgVersion, since }, {
          facts: { ...facts, concurrentFrom: since },
          hint: 'detach it in a quiet hour with a short lock_timeout (and retry), or upgrade: the concurrent form needs a newer PostgreSQL',
        });
        continue;
      }
      report(v, 'detach', { lock: v.lock.text, partition: st.partition }, {
        facts,
        hint: {
          default: 'use DETACH PARTITION ... CONCURRENTLY, in a migration that runs outside a transaction block',
          django: 'use DETACH PARTITION ... CONCURRENTLY in a RunSQL of a migration with atomic = False',
          prisma: 'put DETACH PARTITION ... CONCURRENTLY alone in its own migration.sql (one statement runs outside a transaction)',
        },
      });
    }
  },
});
