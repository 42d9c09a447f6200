import { djangoMigration } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { lockData, lockOf, statementsOf, type StatementVisit } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import { operationLabel } from '../src/postgres/index.js';

export default defineRule({
  id: 'lock-held-during-slow-statement',
  category: 'lock',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A statement that reads or rewrites a whole table runs after an ACCESS EXCLUSIVE lock in the same transaction, which holds that lock the whole time.',
  messages: {
    held: '{operation} on "{table}" runs while {earlier} from line {line} still holds ACCESS EXCLUSIVE on "{locked}": reads and writes of "{locked}" wait for both until the transaction commits',
  },
  docs: {
    what:
      'Reports a statement that scans, rewrites or builds an index over a table when an earlier statement in the same transaction took ACCESS EXCLUSIVE on an existing table and the slow statement does not take that lock itself. Locks are held until the transaction ends, so a brief `ALTER TABLE` followed by a long `CREATE INDEX` blocks reads for the whole build instead of only writes.',
    why:
      'ACCESS EXCLUSIVE blocks even `SELECT`. Taken first in a transaction, it stays held through everything after it: an index build that alone would block only writes, or a constraint validation, now blocks every query on the table. eugene calls this E4, django-migration-linter CREATE_INDEX_EXCLUSIVE.',
    example: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True))", "migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='item_name_idx'))"]),
      sql: ['BEGIN;', 'ALTER TABLE orders ADD COLUMN note text;', 'CREATE INDEX orders_status_idx ON orders (status);', 'COMMIT;'].join('\n'),
    },
    instead: {
      django: [
        '# file: shop/migrations/0002_item_sku.py',
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [',
        "        migrations.AddField(model_name='item', name='sku', field=models.CharField(max_length=20, null=True)),",
        '    ]',
        '',
        '# file: shop/migrations/0003_item_name_idx.py',
        'from django.contrib.postgres.operations import AddIndexConcurrently',
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    atomic = False',
        "    dependencies = [('shop', '0002_item_sku')]",
        '    operations = [',
        "        AddIndexConcurrently(model_name='item', index=models.Index(fields=['name'], name='item_name_idx')),",
        '    ]',
      ].join('\n'),
      alembic: ['# One revision adds the column; the index is built in the next, outside the transaction.', 'def upgrade():', "    op.add_column('orders', sa.Column('note', sa.Text()))"].join('\n'),
      sql: ['-- file: 0002_note.sql', 'ALTER TABLE orders ADD COLUMN note text;', '', '-- file: 0003_status_idx.sql', 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);'].join('\n'),
      prisma: ['-- file: 20240102000000_note', 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;', '', '-- file: 20240102000001_status_idx', 'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");'].join('\n'),
      knex: ['// 20240102000000_note.js', "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('note'));", '// 20240102000001_status_idx.js', 'exports.config = { transaction: false };', "exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');"].join('\n'),
      typeorm: ['// Two migrations: the ALTER TABLE, then (transaction = false) the concurrent index build.', "await q.query('ALTER TABLE orders ADD COLUMN note text');"].join('\n'),
    },
    references: [
      'PostgreSQL 15 manual, explicit-locking.html 13.3.1 ("Once acquired, a lock is normally held until the end of the transaction")',
      'eugene E4; django-migration-linter CREATE_INDEX_EXCLUSIVE',
    ],
  },
  check({ project, settings, report }) {
    // Per transaction block: tables held ACCESS EXCLUSIVE so far, and the statement that took the lock.
    const held = new Map<string, Map<string, StatementVisit>>();
    for (const v of statementsOf(project, { postgres: true })) {
      if (v.tx.block === null) continue;
      const blockKey = `${v.migration.file}#${v.tx.block}`;
      const lock = lockOf(v.statement, settings, v.tx);
      if (!lock) continue;
      const inBlock = held.get(blockKey) ?? new Map<string, StatementVisit>();
      held.set(blockKey, inBlock);
      const slow = lock.facts.fullScan || lock.facts.rewrite || lock.facts.buildsIndex;
      const own = new Set(lock.facts.locks.filter((l) => l.mode === 'ACCESS EXCLUSIVE' && l.table !== null).map((l) => tableKey(l.table!)));
      const table = lock.facts.locks.find((l) => l.role === 'target')?.table;
      // A VALIDATE after its NOT VALID add is validate-in-same-transaction's finding, not a second one here.
      if (slow && !v.statement.tableIsNew && table && v.statement.kind !== 'validate_constraint') {
        const [locked, earlier] = [...inBlock].find(([t]) => !own.has(t)) ?? [];
        if (locked && earlier) {
          report(v, 'held', { operation: operationLabel(v.statement), table, earlier: operationLabel(earlier.statement), line: earlier.statement.span.start.line, locked }, {
            facts: lockData(lock.facts),
            hint: 'move the slow statement into a migration of its own (and build indexes CONCURRENTLY), so the ACCESS EXCLUSIVE lock is released first',
          });
        }
      }
      if (!v.statement.tableIsNew) for (const t of own) if (!inBlock.has(t)) inBlock.set(t, v);
    }
  },
});
