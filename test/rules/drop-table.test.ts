import rule from '../../rules/drop-table.js';
import { djangoMigration, runSql } from '../../src/engine/examples.js';
import { DJANGO_INITIAL } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const DELETE_ITEM = "migrations.DeleteModel(name='Item')";

ruleTester.run(rule, {
  valid: [
    { name: 'sql: a table created earlier in the same file', sql: 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;' },
    { name: 'sql: DROP SCHEMA without CASCADE (PostgreSQL refuses unless it is empty)', sql: 'DROP SCHEMA reporting;' },
    { name: 'prisma: a table the same migration creates', prisma: '-- CreateTable\nCREATE TABLE "Scratch" ("id" SERIAL NOT NULL);\n\n-- DropTable\nDROP TABLE "Scratch";' },
    {
      name: 'django: SeparateDatabaseAndState deleting the model from the state alone',
      django: djangoMigration([`migrations.SeparateDatabaseAndState(state_operations=[${DELETE_ITEM}])`]),
    },
    {
      name: 'django: DeleteModel of a model created earlier in the same migration',
      django: djangoMigration(["migrations.CreateModel(name='Scratch', fields=[('id', models.BigAutoField(primary_key=True))])", "migrations.DeleteModel(name='Scratch')"]),
    },
    {
      name: 'django: the database drop after an earlier migration deleted the model from the state',
      django: [
        '# file: shop/migrations/0001_initial.py',
        DJANGO_INITIAL,
        '# file: shop/migrations/0002_delete_item_from_state.py',
        djangoMigration([`migrations.SeparateDatabaseAndState(state_operations=[${DELETE_ITEM}])`]),
        '# file: shop/migrations/0003_drop_item_table.py',
        djangoMigration([runSql('DROP TABLE shop_item')], { dependency: "('shop', '0002_delete_item_from_state')" }),
      ].join('\n'),
    },
  ],
  invalid: [
    {
      name: 'sql: DROP TABLE on an existing table',
      sql: 'DROP TABLE orders;',
      errors: [{ messageId: 'dropTable', data: { table: 'orders' }, line: 1, column: 1, endLine: 1, endColumn: 18 }],
      output: null,
    },
    {
      name: 'sql: two tables in one statement, CASCADE',
      sql: 'DROP TABLE orders, users CASCADE;',
      errors: [
        { messageId: 'dropTable', data: { table: 'orders' }, line: 1, column: 1, endLine: 1, endColumn: 33 },
        { messageId: 'dropTable', data: { table: 'users' }, line: 1, column: 1, endLine: 1, endColumn: 33 },
      ],
      output: null,
    },
    {
      name: 'sql: DROP SCHEMA CASCADE and DROP DATABASE',
      sql: 'DROP SCHEMA reporting CASCADE;\nDROP DATABASE legacy;',
      errors: [
        { messageId: 'dropSchema', data: { schema: 'reporting' }, line: 1, column: 1, endLine: 1, endColumn: 30 },
        { messageId: 'dropDatabase', data: { database: 'legacy' }, line: 2, column: 1, endLine: 2, endColumn: 21 },
      ],
      output: null,
    },
    {
      name: 'prisma: generated DROP TABLE',
      prisma: '-- DropTable\nDROP TABLE "orders";\n',
      errors: [{ messageId: 'dropTable', data: { table: 'orders' }, line: 2, column: 1, endLine: 2, endColumn: 20 }],
      output: null,
    },
    {
      name: 'django: DeleteModel',
      django: djangoMigration([DELETE_ITEM]),
      errors: [{ messageId: 'dropTable', data: { table: 'shop_item' }, line: 7, column: 9, endLine: 7, endColumn: 44 }],
      output: null,
    },
    {
      name: 'django: RunSQL with DROP TABLE',
      django: djangoMigration([runSql('DROP TABLE shop_item')]),
      errors: [{ messageId: 'dropTable', data: { table: 'shop_item' }, line: 7, column: 28, endLine: 7, endColumn: 48 }],
      output: null,
    },
  ],
});
