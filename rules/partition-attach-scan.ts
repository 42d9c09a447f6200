import { defineRule } from '../src/engine/rule.js';
import { lockData, lockOf, statementsOf } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import type { Migration, MigrationSet, Statement } from '../src/model/types.js';
import { blockedBy } from '../src/postgres/index.js';
import { djangoMigration, runSql } from '../src/engine/examples.js';

const BOUND = "CHECK (created_at >= '2023-01-01' AND created_at < '2024-01-01')";
const ATTACH = "ALTER TABLE orders ATTACH PARTITION orders_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')";

/**
 * What the set's migrations, replayed in order, say about the tables an ATTACH PARTITION names: which
 * tables the current migration created, and which tables carry a validated CHECK constraint (added without
 * NOT VALID, or validated later). The model keeps no schema across migrations yet, so this rule replays
 * the little it needs.
 */
class Replay {
  private readonly created = new Map<Migration, Set<string>>();
  /** `<set id>\0<table>` -> names of validated CHECK constraints (`''` for unnamed ones). */
  private readonly validated = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Set<string>>();

  createdHere(m: Migration, table: string): boolean {
    return this.created.get(m)?.has(tableKey(table)) ?? false;
  }

  hasValidatedCheck(set: MigrationSet, table: string): boolean {
    return (this.validated.get(this.key(set, table))?.size ?? 0) > 0;
  }

  apply(set: MigrationSet, m: Migration, st: Statement): void {
    switch (st.kind) {
      case 'create_table': {
        if (!this.created.has(m)) this.created.set(m, new Set());
        this.created.get(m)!.add(tableKey(st.table));
        const checks = [...(st.constraints ?? []).filter((c) => c.type === 'check' && !c.notValid), ...st.columns.flatMap((c) => c.checks ?? [])];
        for (const c of checks) this.add(this.validated, set, st.table, typeof c === 'string' ? '' : (c.name ?? ''));
        return;
      }
      case 'add_constraint':
        if (st.constraint.type === 'check') this.add(st.constraint.notValid ? this.pending : this.validated, set, st.table, st.constraint.name ?? '');
        return;
      case 'validate_constraint':
        if (this.pending.get(this.key(set, st.table))?.delete(st.constraint)) this.add(this.validated, set, st.table, st.constraint);
        return;
      case 'drop_constraint':
        for (const m of [this.validated, this.pending]) m.get(this.key(set, st.table))?.delete(st.constraint ?? '');
        return;
      case 'drop_table':
        for (const m of [this.validated, this.pending]) m.delete(this.key(set, st.table));
        return;
      default:
        return;
    }
  }

  private key(set: MigrationSet, table: string): string {
    return `${set.id}\u0000${tableKey(table)}`;
  }

  private add(map: Map<string, Set<string>>, set: MigrationSet, table: string, name: string): void {
    const k = this.key(set, table);
    if (!map.has(k)) map.set(k, new Set());
    map.get(k)!.add(name);
  }
}

export default defineRule({
  id: 'partition-attach-scan',
  category: 'lock',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'ATTACH PARTITION scans a table that is already in use under ACCESS EXCLUSIVE, because no validated CHECK constraint proves the partition bound.',
  messages: {
    scan: '{lock}, while it reads all of "{partition}" to check that every row fits the partition bound',
  },
  docs: {
    what:
      'Reports `ALTER TABLE ... ATTACH PARTITION` when PostgreSQL has to scan the table being attached, that is when no validated `CHECK` constraint on it was seen before (added without `NOT VALID`, or validated later, in this migration or an earlier one of the set), and the scan blocks someone: the table being attached existed before the migration, or the configured PostgreSQL (below 12) also locks the partitioned table ACCESS EXCLUSIVE, which makes the finding an error. A table created earlier in the same migration and attached on PostgreSQL 12 or later is not reported, nor is a partitioned table created in the same migration.',
    why:
      'Attaching takes ACCESS EXCLUSIVE on the table being attached and, unless a validated CHECK constraint already implies the partition bound, reads all of it to prove every row belongs, so nothing can read or write that table until the scan is done. Before PostgreSQL 12 the partitioned table itself is locked ACCESS EXCLUSIVE for as long, which stops all traffic on every partition. Adding the CHECK constraint `NOT VALID` and validating it in a later migration does the same scan under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on; the attach then skips its scan, and the constraint can be dropped afterwards. A default partition is also locked ACCESS EXCLUSIVE and scanned, unless a CHECK on it excludes the new bound.',
    knownProblems:
      "The model does not carry the partition bound, so any validated CHECK constraint on the table being attached counts, whether or not it implies the bound. The default partition's scan is not reported: whether the partitioned table has one cannot be seen from the statement.",
    example: {
      django: djangoMigration([runSql(ATTACH.replaceAll('orders', 'shop_event'), 'ALTER TABLE shop_event DETACH PARTITION shop_event_2023')]),
      sql: `${ATTACH};`,
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_event_2023_bound.py',
        djangoMigration([runSql(`ALTER TABLE shop_event_2023 ADD CONSTRAINT shop_event_2023_bound ${BOUND} NOT VALID`)]),
        '',
        '# file: shop/migrations/0003_event_2023_validate.py',
        djangoMigration([runSql('ALTER TABLE shop_event_2023 VALIDATE CONSTRAINT shop_event_2023_bound')], { dependency: "('shop', '0002_event_2023_bound')" }),
        '',
        '# file: shop/migrations/0004_attach_event_2023.py',
        djangoMigration(
          [
            runSql(ATTACH.replaceAll('orders', 'shop_event')),
            runSql('ALTER TABLE shop_event_2023 DROP CONSTRAINT shop_event_2023_bound'),
          ],
          { dependency: "('shop', '0003_event_2023_validate')" },
        ),
      ].join('\n'),
      alembic: [
        '# Three revisions, each its own transaction:',
        `op.execute("ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND} NOT VALID")`,
        'op.execute("ALTER TABLE orders_2023 VALIDATE CONSTRAINT orders_2023_bound")',
        `op.execute("${ATTACH}")  # then drop orders_2023_bound`,
      ].join('\n'),
      sql: [
        '-- file: 0002_orders_2023_bound.sql',
        `ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND} NOT VALID;`,
        '-- file: 0003_orders_2023_validate.sql',
        '-- Scans under SHARE UPDATE EXCLUSIVE: reads and writes go on.',
        'ALTER TABLE orders_2023 VALIDATE CONSTRAINT orders_2023_bound;',
        '-- file: 0004_attach_orders_2023.sql',
        '-- The validated CHECK proves the bound: no scan.',
        `${ATTACH};`,
        'ALTER TABLE orders_2023 DROP CONSTRAINT orders_2023_bound;',
      ].join('\n'),
      prisma: [
        '-- file: 20240102000000_orders_2023_bound',
        `ALTER TABLE "orders_2023" ADD CONSTRAINT "orders_2023_bound" ${BOUND} NOT VALID;`,
        '-- file: 20240103000000_orders_2023_validate',
        'ALTER TABLE "orders_2023" VALIDATE CONSTRAINT "orders_2023_bound";',
        '-- file: 20240104000000_attach_orders_2023',
        `${ATTACH};`,
        'ALTER TABLE "orders_2023" DROP CONSTRAINT "orders_2023_bound";',
      ].join('\n'),
      knex: [
        '// Three migration files, each its own transaction:',
        `await knex.raw("ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND} NOT VALID");`,
        "await knex.raw('ALTER TABLE orders_2023 VALIDATE CONSTRAINT orders_2023_bound');",
        `await knex.raw("${ATTACH}"); // then drop orders_2023_bound`,
      ].join('\n'),
      typeorm: [
        '// Three migrations, each its own transaction:',
        `await q.query("ALTER TABLE orders_2023 ADD CONSTRAINT orders_2023_bound ${BOUND} NOT VALID");`,
        "await q.query('ALTER TABLE orders_2023 VALIDATE CONSTRAINT orders_2023_bound');",
        `await q.query("${ATTACH}"); // then drop orders_2023_bound`,
      ].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, sql-altertable.html (ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent from 12, ACCESS EXCLUSIVE on the partition and the default partition; the scan is skipped when a CHECK constraint implies the bound)',
      'PostgreSQL 15 manual, ddl-partitioning.html 5.11.2.2 (Partition Maintenance: create the CHECK constraint first)',
      'PostgreSQL 12 release notes ("Allow ATTACH PARTITION to be performed with reduced locking")',
    ],
  },
  check({ project, settings, report }) {
    const replay = new Replay();
    for (const v of statementsOf(project, { postgres: true })) {
      const st = v.statement;
      if (st.kind !== 'attach_partition') {
        replay.apply(v.set, v.migration, st);
        continue;
      }
      if (st.tableIsNew || replay.hasValidatedCheck(v.set, st.partition)) continue;
      const lock = lockOf(st, settings, v.tx);
      const parent = lock?.facts.locks.find((l) => l.table === st.table);
      if (!lock || !parent) continue;
      const parentBlocked = blockedBy(parent.mode).length > 0;
      // A table this migration created is in use by nobody: scanning it only matters if the parent is locked.
      if (replay.createdHere(v.migration, st.partition) && !parentBlocked) continue;
      report(v, 'scan', { lock: lock.text, partition: st.partition }, {
        facts: lockData(lock.facts),
        ...(parentBlocked ? { severity: 'error' as const } : {}),
        hint: 'first add a CHECK constraint matching the bound as NOT VALID and VALIDATE it in a later migration; the attach then skips the scan, and the CHECK can be dropped after it',
      });
    }
  },
});
