import { djangoModule, fileTree } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  id: 'conflicting-leaves',
  category: 'conflict',
  severity: 'error',
  fix: 'none',
  since: '0.1.0',
  description: 'A migration set has more than one leaf: two branches each added a child of the same migration.',
  messages: {
    multipleLeaves:
      'Conflicting migrations detected; multiple leaf nodes in the migration graph: ({leaves} in {app}); the framework refuses to migrate until they are merged ({files})',
  },
  docs: {
    what:
      'Reports a migration set (a Django app) whose history has more than one leaf: more than one migration that no later migration of the same set depends on. Leaves are computed as Django computes them: a child in another app does not count.',
    why:
      "Two branches that each add a migration after the same parent merge cleanly in git (the files have different names), but the result has two leaves. Django's `migrate` and `makemigrations` then stop with `CommandError: Conflicting migrations detected; multiple leaf nodes in the migration graph`, so the next deploy fails on the main branch, after the pull request was approved.",
    example: {
      django: fileTree({
        'shop/migrations/0001_initial.py': djangoModule([], { initial: true }),
        'shop/migrations/0002_add_price.py': djangoModule(["('shop', '0001_initial')"]),
        'shop/migrations/0002_add_sku.py': djangoModule(["('shop', '0001_initial')"]),
      }),
    },
    instead: {
      django: fileTree({
        'shop/migrations/0001_initial.py': djangoModule([], { initial: true }),
        'shop/migrations/0002_add_price.py': djangoModule(["('shop', '0001_initial')"]),
        'shop/migrations/0002_add_sku.py': djangoModule(["('shop', '0001_initial')"]),
        'shop/migrations/0003_merge_0002_add_price_0002_add_sku.py': djangoModule(["('shop', '0002_add_price')", "('shop', '0002_add_sku')"]),
      }),
    },
    references: [
      'django/db/migrations/loader.py `MigrationLoader.detect_conflicts`',
      'django/db/migrations/graph.py `MigrationGraph.leaf_nodes`',
      'django/core/management/commands/makemigrations.py `handle_merge`',
    ],
  },
  check({ project, report }) {
    for (const history of project.histories) {
      for (const set of history.sets) {
        // A set with a migration we could not read has unknown edges: its leaves would be guesses.
        if (set.migrations.some((m) => m.incomplete)) continue;
        // A migration whose same-set parent is missing looks like a root and leaves its ancestors looking
        // like leaves; missing-dependency reports the cause (Django stops there too: NodeNotFoundError
        // comes before the conflict check).
        if (history.dangling.some((d) => d.from.setId === set.id && d.ref.set === set.name)) continue;
        const leaves = history.leaves(set);
        if (leaves.length < 2) continue;
        const names = leaves.map((m) => m.name);
        // Reported once per set, at the last leaf by name: usually the newest, the one needing the merge.
        report({ migration: leaves[leaves.length - 1]! }, 'multipleLeaves', {
          leaves: names.join(', '),
          app: set.name,
          files: leaves.map((m) => m.file).join(', '),
        }, {
          facts: { app: set.name, leaves: names, files: leaves.map((m) => m.file) },
          hint: set.framework === 'django'
            ? "add a merge migration that depends on every leaf: run 'python manage.py makemigrations --merge'"
            : 'add a migration that depends on every leaf',
        });
      }
    }
  },
});
