/**
 * The concurrent index build written out for the JavaScript frameworks, shared by the rules whose safe form
 * it is (`index-not-concurrent`, `cannot-run-in-transaction`): both need the migration to run outside the
 * transaction the runner would otherwise open (reference/frameworks.md §6.4, §7.4).
 */
export const CONCURRENT_INDEX_INSTEAD = {
  knex: [
    '// Knex runs all pending migrations in one transaction unless a migration opts out.',
    'exports.config = { transaction: false };',
    '',
    "exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');",
    "exports.down = (knex) => knex.raw('DROP INDEX CONCURRENTLY orders_status_idx');",
  ].join('\n'),
  typeorm: [
    '// Needs migrationsTransactionMode: "each": in "all" mode transaction = false throws.',
    'export class OrdersStatusIdx1700000000000 implements MigrationInterface {',
    '  transaction = false;',
    '  async up(q: QueryRunner) {',
    "    await q.query('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');",
    '  }',
    '  async down(q: QueryRunner) {',
    "    await q.query('DROP INDEX CONCURRENTLY orders_status_idx');",
    '  }',
    '}',
  ].join('\n'),
};
