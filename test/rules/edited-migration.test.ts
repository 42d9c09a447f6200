import rule from '../../rules/edited-migration.js';
import { branchTree, djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const note = (field: string) => djangoMigration([`migrations.AddField('item', 'note', ${field})`]);
const classAt = { line: 4, column: 7, endLine: 4, endColumn: 16 };
const FLYWAY_INIT = 'CREATE TABLE orders (id bigint PRIMARY KEY);\n';

ruleTester.run(rule, {
  valid: [
    {
      name: 'a new migration on top of the base',
      django: branchTree({ base: { 'shop/migrations/0002_note.py': note('models.TextField(null=True)') }, head: { 'shop/migrations/0003_other.py': djangoMigration([], { dependency: "('shop', '0002_note')" }) } }),
    },
    {
      name: 'editing a migration only this branch has',
      django: branchTree({ head: { 'shop/migrations/0002_note.py': note('models.TextField(null=True)') } }),
    },
    {
      name: 'main edited its own migration: not this branch',
      django: branchTree({ base: { 'shop/migrations/0002_note.py': note('models.TextField(null=True)') }, target: { 'shop/migrations/0002_note.py': note('models.TextField(blank=True, null=True)') } }),
    },
    {
      name: 'a Flyway repeatable script is meant to be edited',
      branch: {
        base: { 'db/migration/V1__init.sql': FLYWAY_INIT, 'db/migration/R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;\n' },
        head: { 'db/migration/R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 2;\n' },
      },
    },
    {
      name: 'a squash whose replaces list was removed after it ran everywhere',
      django: branchTree({
        base: { 'shop/migrations/0002_squashed.py': note('models.TextField(null=True)').replace('    operations = [', "    replaces = [('shop', '0002_a'), ('shop', '0003_b')]\n    operations = [") },
        head: { 'shop/migrations/0002_squashed.py': note('models.TextField(null=True)') },
      }),
    },
    {
      name: 'without a comparison there is nothing to compare',
      django: note('models.TextField(null=True)'),
    },
  ],
  invalid: [
    {
      name: 'a Django migration main already has, edited',
      django: branchTree({ base: { 'shop/migrations/0002_note.py': note('models.TextField(null=True)') }, head: { 'shop/migrations/0002_note.py': note('models.CharField(max_length=200, null=True)') } }),
      errors: [
        {
          messageId: 'edited',
          data: { migration: '0002_note', file: 'shop/migrations/0002_note.py', target: 'main' },
          file: 'shop/migrations/0002_note.py',
          ...classAt,
        },
      ],
      output: null,
    },
    {
      name: 'a SQL file main already has, edited',
      sql: branchTree({ base: { '0002_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0002_note.sql': 'ALTER TABLE orders ADD COLUMN note varchar(200);' } }, '--'),
      errors: [{ messageId: 'edited', data: { migration: '0002_note', file: 'db/migrations/0002_note.sql', target: 'main' }, file: 'db/migrations/0002_note.sql', line: 1, column: 1, endLine: 1, endColumn: 1 }],
      output: null,
    },
    {
      name: 'a Prisma migration main already has, edited',
      prisma: branchTree({ base: { '20240102000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;' }, head: { '20240102000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" VARCHAR(200);' } }, '--'),
      errors: [
        {
          messageId: 'edited',
          data: { migration: '20240102000000_note', file: 'prisma/migrations/20240102000000_note/migration.sql', target: 'main' },
          file: 'prisma/migrations/20240102000000_note/migration.sql',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
        },
      ],
      output: null,
    },
    {
      name: 'a Flyway script main already has, edited: even a comment changes the checksum',
      branch: {
        base: { 'db/migration/V1__init.sql': FLYWAY_INIT },
        head: { 'db/migration/V1__init.sql': '-- orders\n' + FLYWAY_INIT },
      },
      errors: [{ messageId: 'edited', data: { migration: '1', file: 'db/migration/V1__init.sql', target: 'main' }, file: 'db/migration/V1__init.sql', line: 1, column: 1, endLine: 1, endColumn: 1 }],
      output: null,
    },
  ],
});
