import rule from '../../rules/renamed-migration.js';
import { branchTree, djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const note = djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]);
const classAt = { line: 4, column: 7, endLine: 4, endColumn: 16 };

ruleTester.run(rule, {
  valid: [
    {
      name: 'renumbering a migration only this branch has (after a rebase)',
      django: branchTree({ head: { 'shop/migrations/0003_note.py': note } }),
    },
    {
      name: 'a deletion plus an unrelated new migration is not a rename',
      django: branchTree({
        base: { 'shop/migrations/0002_note.py': note },
        head: { 'shop/migrations/0002_sku.py': djangoMigration(["migrations.AddField('item', 'sku', models.TextField(null=True))"]) },
        deleted: ['shop/migrations/0002_note.py'],
      }),
    },
    {
      name: 'a copy that keeps the original is not a rename',
      sql: branchTree({ base: { '0002_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, head: { '0003_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' } }, '--'),
    },
  ],
  invalid: [
    {
      name: 'a Django migration renamed with the same content',
      django: branchTree({ base: { 'shop/migrations/0002_note.py': note }, head: { 'shop/migrations/0002_item_note.py': note }, deleted: ['shop/migrations/0002_note.py'] }),
      errors: [
        {
          messageId: 'renamed',
          data: { before: '0002_note', after: '0002_item_note', beforeFile: 'shop/migrations/0002_note.py', afterFile: 'shop/migrations/0002_item_note.py', target: 'main' },
          file: 'shop/migrations/0002_item_note.py',
          ...classAt,
        },
      ],
      output: null,
    },
    {
      name: 'a Django migration renumbered and reformatted: same operations',
      django: branchTree({
        base: { 'shop/migrations/0002_note.py': note },
        head: { 'shop/migrations/0005_note.py': note.replace("migrations.AddField('item', 'note', models.TextField(null=True))", "migrations.AddField(\n            model_name='item',\n            name='note',\n            field=models.TextField(null=True),\n        )") },
        deleted: ['shop/migrations/0002_note.py'],
      }),
      errors: [
        {
          messageId: 'renamed',
          data: { before: '0002_note', after: '0005_note', beforeFile: 'shop/migrations/0002_note.py', afterFile: 'shop/migrations/0005_note.py', target: 'main' },
          file: 'shop/migrations/0005_note.py',
          ...classAt,
        },
      ],
      output: null,
    },
    {
      name: 'a Prisma folder renamed',
      prisma: branchTree({ base: { '20240102000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;' }, head: { '20240301000000_note': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;' }, deleted: ['20240102000000_note'] }, '--'),
      errors: [
        {
          messageId: 'renamed',
          data: {
            before: '20240102000000_note',
            after: '20240301000000_note',
            beforeFile: 'prisma/migrations/20240102000000_note/migration.sql',
            afterFile: 'prisma/migrations/20240301000000_note/migration.sql',
            target: 'main',
          },
          file: 'prisma/migrations/20240301000000_note/migration.sql',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
        },
      ],
      output: null,
    },
  ],
});
