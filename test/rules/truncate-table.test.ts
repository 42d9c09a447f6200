import rule from '../../rules/truncate-table.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const AE = (table: string) => ({ lock: 'ACCESS EXCLUSIVE', tables: [table], rewrite: false, blocks: ['reads', 'writes'] });

ruleTester.run(rule, {
  valid: [
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE staging (id int);\nTRUNCATE staging;' },
    { name: 'sql: a batched DELETE', sql: 'DELETE FROM orders WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 5000);' },
    {
      name: 'django: TRUNCATE of a model created earlier in the same migration',
      django: djangoMigration(["migrations.CreateModel(name='Staging', fields=[('id', models.BigAutoField(primary_key=True))])", runSql('TRUNCATE shop_staging')]),
    },
  ],
  invalid: [
    {
      name: 'sql: TRUNCATE',
      sql: 'TRUNCATE orders;',
      errors: [{ messageId: 'truncate', data: AE('orders'), line: 1, column: 1, endLine: 1, endColumn: 16 }],
      output: null,
    },
    {
      name: 'sql: TRUNCATE of two tables with CASCADE',
      sql: 'TRUNCATE orders, users CASCADE;',
      errors: [
        { messageId: 'cascade', data: AE('orders'), line: 1, column: 1, endLine: 1, endColumn: 31 },
        { messageId: 'cascade', data: AE('users'), line: 1, column: 1, endLine: 1, endColumn: 31 },
      ],
      output: null,
    },
    {
      name: 'prisma: TRUNCATE written into migration.sql',
      prisma: 'TRUNCATE TABLE "orders";\n',
      errors: [{ messageId: 'truncate', data: AE('orders'), line: 1, column: 1, endLine: 1, endColumn: 24 }],
      output: null,
    },
    {
      name: 'django: RunSQL with TRUNCATE',
      django: djangoMigration([runSql('TRUNCATE shop_item')]),
      errors: [{ messageId: 'truncate', data: AE('shop_item'), line: 7, column: 28, endLine: 7, endColumn: 46 }],
      output: null,
    },
  ],
});
