import { djangoModule, fileTree } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';
import { inBase } from '../src/model/comparison.js';

export default defineRule({
  id: 'conflicting-leaves',
  category: 'conflict',
  severity: 'error',
  fix: 'none',
  since: '0.1.0',
  description: 'A migration set has more than one leaf: two branches each added a child of the same migration.',
  messages: {
    afterMerge:
      'Merging into {target} leaves {app} with multiple leaf nodes in the migration graph: {branchLeaves} from this branch and {targetLeaves}; {consequence}',
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
        const hint = set.framework === 'django'
          ? "add a merge migration that depends on every leaf: run 'python manage.py makemigrations --merge'"
          : 'add a migration that depends on every leaf';
        const c = project.comparison;
        const ours = c ? leaves.filter((m) => c.branchFiles.has(m.file)) : [];
        const theirs = leaves.filter((m) => !ours.includes(m));
        const gained = c ? theirs.filter((m) => !inBase(c, set.id, m.file)) : [];
        if (c && ours.length > 0 && gained.length > 0) {
          // The conflict only exists once the branch meets the target: name both sides, and the commit
          // that gave the target its leaf, so the author knows what to rebase onto or merge with.
          const origin = (m: (typeof leaves)[number]) => {
            const commit = c.addedOnTarget.get(m.file);
            if (commit) return `${m.name} (added on ${c.target.name} in ${commit.short} "${commit.subject}")`;
            return `${m.name} (on ${c.target.name})`;
          };
          report({ migration: ours[ours.length - 1]! }, 'afterMerge', {
            target: c.target.name,
            app: set.name,
            branchLeaves: ours.map((m) => m.name).join(', '),
            targetLeaves: theirs.map(origin).join(', '),
            consequence: set.framework === 'django'
              ? "Django's migrate and makemigrations refuse to run until a merge migration depends on both"
              : 'the framework refuses to migrate until a migration depends on both',
          }, {
            facts: {
              app: set.name,
              target: c.target.name,
              leaves: names,
              branchLeaves: ours.map((m) => ({ name: m.name, file: m.file })),
              targetLeaves: theirs.map((m) => ({ name: m.name, file: m.file, commit: c.addedOnTarget.get(m.file)?.id ?? null })),
            },
            hint: set.framework === 'django'
              ? `rebase onto ${c.target.name} and make this branch's migration depend on ${theirs.map((m) => m.name).join(', ')} (renumbering it), or add a merge migration: 'python manage.py makemigrations --merge'`
              : hint,
          });
          continue;
        }
        // Reported once per set, at the last leaf by name (usually the newest, the one needing the merge);
        // in a comparison, at the branch's own leaf.
        report({ migration: ours[ours.length - 1] ?? leaves[leaves.length - 1]! }, 'multipleLeaves', {
          leaves: names.join(', '),
          app: set.name,
          files: leaves.map((m) => m.file).join(', '),
        }, {
          facts: { app: set.name, leaves: names, files: leaves.map((m) => m.file) },
          hint,
        });
      }
    }
  },
});
