import rule from '../../rules/conflicting-leaves.js';
import { djangoMigration as mig, tree } from '../helpers/files.js';
import { branchTree } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';



const at = { line: 4, column: 7, endLine: 4, endColumn: 16 };

ruleTester.run(rule, {
  valid: [
    {
      name: 'comparison: the branch was rebased onto main and renumbered',
      django: branchTree({ target: { 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')") }, head: { 'shop/migrations/0003_b.py': mig("('shop', '0002_a')") } }),
    },
    {
      name: 'comparison: a conflict main already has is not this branch\'s',
      django: branchTree({
        target: { 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"), 'shop/migrations/0002_b.py': mig("('shop', '0001_initial')") },
        head: { 'shop/migrations/0003_c.py': mig("('shop', '0002_a')", "('shop', '0002_b')") },
      }),
    },
    { name: 'a linear history', django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"), 'shop/migrations/0003_b.py': mig("('shop', '0002_a')") }) },
    {
      name: 'two branches joined by a merge migration',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0002_b.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0003_merge_0002_a_0002_b.py': mig("('shop', '0002_a')", "('shop', '0002_b')"),
      }),
    },
    {
      name: 'duplicate numbers in a chain are fine (Django ignores the number)',
      django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"), 'shop/migrations/0002_b.py': mig("('shop', '0002_a')") }),
    },
    {
      name: 'a squash with its replaced migrations still on disk',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0001_squashed_0002_a.py': mig() + "\n    replaces = [('shop', '0001_initial'), ('shop', '0002_a')]",
        'shop/migrations/0003_b.py': mig("('shop', '0002_a')"),
      }),
    },
    {
      name: 'a set holding a file with conflict markers is not judged (parse-error reports it)',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0002_b.py': '<<<<<<< HEAD\n' + mig("('shop', '0002_a')") + '\n=======\n' + mig("('shop', '0001_initial')") + '\n>>>>>>> feature',
      }),
    },
  ],
  invalid: [
    {
      name: 'comparison: main gained a child of the same parent (the seed case, before the merge)',
      django: branchTree({ target: { 'shop/migrations/0002_add_field_a.py': mig("('shop', '0001_initial')") }, head: { 'shop/migrations/0002_add_field_b.py': mig("('shop', '0001_initial')") } }),
      errors: [
        {
          messageId: 'afterMerge',
          data: {
            app: 'shop',
            target: 'main',
            leaves: ['0002_add_field_a', '0002_add_field_b'],
            branchLeaves: [{ name: '0002_add_field_b', file: 'shop/migrations/0002_add_field_b.py' }],
            targetLeaves: [{ name: '0002_add_field_a', file: 'shop/migrations/0002_add_field_a.py', commit: null }],
          },
          file: 'shop/migrations/0002_add_field_b.py',
          ...at,
        },
      ],
      output: null,
    },
    {
      name: 'comparison: the branch forks from an older migration than main had at the branch point',
      django: branchTree({ base: { 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')") }, head: { 'shop/migrations/0002_b.py': mig("('shop', '0001_initial')") } }),
      errors: [
        {
          messageId: 'multipleLeaves',
          data: { app: 'shop', leaves: ['0002_a', '0002_b'], files: ['shop/migrations/0002_a.py', 'shop/migrations/0002_b.py'] },
          file: 'shop/migrations/0002_b.py',
          ...at,
        },
      ],
      output: null,
    },
    {
      name: 'two children of the same migration (the seed case)',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_add_field_a.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0002_add_field_b.py': mig("('shop', '0001_initial')"),
      }),
      errors: [
        {
          messageId: 'multipleLeaves',
          data: { app: 'shop', leaves: ['0002_add_field_a', '0002_add_field_b'], files: ['shop/migrations/0002_add_field_a.py', 'shop/migrations/0002_add_field_b.py'] },
          file: 'shop/migrations/0002_add_field_b.py',
          ...at,
        },
      ],
      output: null,
    },
    {
      name: 'a child in another app does not make a migration stop being a leaf',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0002_b.py': mig("('shop', '0001_initial')"),
        'billing/migrations/0001_initial.py': mig("('shop', '0002_a')", "('shop', '0002_b')"),
      }),
      errors: [
        {
          messageId: 'multipleLeaves',
          data: { app: 'shop', leaves: ['0002_a', '0002_b'], files: ['shop/migrations/0002_a.py', 'shop/migrations/0002_b.py'] },
          file: 'shop/migrations/0002_b.py',
          ...at,
        },
      ],
      output: null,
    },
    {
      name: 'conflicts in two apps are reported per app, with an app label from apps.py',
      files: {
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0002_b.py': mig("('shop', '0001_initial')"),
        'billing/apps.py': "from django.apps import AppConfig\n\n\nclass BillingConfig(AppConfig):\n    name = 'billing'\n    label = 'payments'\n",
        'billing/migrations/__init__.py': '',
        'billing/migrations/0001_initial.py': mig(),
        'billing/migrations/0002_x.py': mig("('payments', '0001_initial')"),
        'billing/migrations/0002_y.py': mig("('payments', '0001_initial')"),
        'billing/migrations/0002_z.py': mig("('payments', '0001_initial')"),
      },
      errors: [
        {
          messageId: 'multipleLeaves',
          data: { app: 'payments', leaves: ['0002_x', '0002_y', '0002_z'], files: ['billing/migrations/0002_x.py', 'billing/migrations/0002_y.py', 'billing/migrations/0002_z.py'] },
          file: 'billing/migrations/0002_z.py',
          ...at,
        },
        {
          messageId: 'multipleLeaves',
          data: { app: 'shop', leaves: ['0002_a', '0002_b'], files: ['shop/migrations/0002_a.py', 'shop/migrations/0002_b.py'] },
          file: 'shop/migrations/0002_b.py',
          ...at,
        },
      ],
      output: null,
    },
    {
      name: 'two independent roots in one app',
      django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0001_other.py': mig() }),
      errors: [
        {
          messageId: 'multipleLeaves',
          data: { app: 'shop', leaves: ['0001_initial', '0001_other'], files: ['shop/migrations/0001_initial.py', 'shop/migrations/0001_other.py'] },
          file: 'shop/migrations/0001_other.py',
          ...at,
        },
      ],
      output: null,
    },
  ],
});
