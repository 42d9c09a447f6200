import rule from '../../rules/deleted-migration.js';
import { branchTree, djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const note = djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))"]);
const sku = djangoMigration(["migrations.AddField('item', 'sku', models.TextField(null=True))"], { dependency: "('shop', '0002_note')" });
const classAt = { line: 4, column: 7, endLine: 4, endColumn: 16 };

ruleTester.run(rule, {
  valid: [
    {
      name: 'deleting a migration only this branch had',
      django: branchTree({ head: { 'shop/migrations/0002_note.py': note } }),
    },
    {
      name: 'a rename is renamed-migration, not a deletion',
      django: branchTree({ base: { 'shop/migrations/0002_note.py': note }, head: { 'shop/migrations/0002_item_note.py': note }, deleted: ['shop/migrations/0002_note.py'] }),
    },
    {
      name: 'deleting migrations a squash replaces, once the squash is on the branch',
      django: branchTree({
        base: { 'shop/migrations/0002_note.py': note, 'shop/migrations/0003_sku.py': sku },
        head: {
          'shop/migrations/0002_squashed_0003_sku.py': djangoMigration(["migrations.AddField('item', 'note', models.TextField(null=True))", "migrations.AddField('item', 'sku', models.TextField(null=True))"]).replace(
            '    operations = [',
            "    replaces = [('shop', '0002_note'), ('shop', '0003_sku')]\n    operations = [",
          ),
        },
        deleted: ['shop/migrations/0002_note.py', 'shop/migrations/0003_sku.py'],
      }),
    },
    {
      name: 'main deleted it, not this branch',
      branch: { base: { 'db/migrations/0001_a.sql': 'SELECT 1;\n', 'db/migrations/0002_b.sql': 'SELECT 2;\n' }, head: { 'db/migrations/0003_c.sql': 'SELECT 3;\n' } },
    },
  ],
  invalid: [
    {
      name: 'a Django migration main already has, deleted',
      django: branchTree({ base: { 'shop/migrations/0002_note.py': note }, deleted: ['shop/migrations/0002_note.py'] }),
      errors: [{ messageId: 'deleted', data: { migration: '0002_note', file: 'shop/migrations/0002_note.py', target: 'main' }, file: 'shop/migrations/0002_note.py', ...classAt }],
      output: null,
    },
    {
      name: 'a SQL migration main already has, deleted',
      sql: branchTree({ base: { '0002_note.sql': 'ALTER TABLE orders ADD COLUMN note text;' }, deleted: ['0002_note.sql'] }, '--'),
      errors: [{ messageId: 'deleted', data: { migration: '0002_note', file: 'db/migrations/0002_note.sql', target: 'main' }, file: 'db/migrations/0002_note.sql', line: 1, column: 1, endLine: 1, endColumn: 1 }],
      output: null,
    },
    {
      name: 'a golang-migrate version main already has, both files deleted',
      branch: {
        base: { 'db/migrations/000001_init.up.sql': 'CREATE TABLE t (id int);\n', 'db/migrations/000001_init.down.sql': 'DROP TABLE t;\n', 'db/migrations/000002_note.up.sql': 'ALTER TABLE t ADD COLUMN note text;\n', 'db/migrations/000002_note.down.sql': 'ALTER TABLE t DROP COLUMN note;\n' },
        deleted: ['db/migrations/000002_note.up.sql', 'db/migrations/000002_note.down.sql'],
      },
      errors: [{ messageId: 'deleted', data: { migration: '2', file: 'db/migrations/000002_note.up.sql', target: 'main' }, file: 'db/migrations/000002_note.up.sql', line: 1, column: 1, endLine: 1, endColumn: 1 }],
      output: null,
    },
    {
      name: 'a squash that does not replace the deleted migration does not excuse it',
      django: branchTree({
        base: { 'shop/migrations/0002_note.py': note, 'shop/migrations/0003_sku.py': sku },
        head: { 'shop/migrations/0003_sku.py': sku.replace('    operations = [', "    replaces = [('shop', '0002_other')]\n    operations = [") },
        deleted: ['shop/migrations/0002_note.py'],
      }),
      errors: [{ messageId: 'deleted', data: { migration: '0002_note', file: 'shop/migrations/0002_note.py', target: 'main' }, file: 'shop/migrations/0002_note.py', ...classAt }],
      output: null,
    },
  ],
});
