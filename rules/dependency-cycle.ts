import { djangoModule, fileTree } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  id: 'dependency-cycle',
  category: 'conflict',
  severity: 'error',
  fix: 'none',
  since: '0.1.0',
  description: 'Migrations depend on each other in a cycle.',
  messages: {
    cycle: 'Circular dependency between migrations: {cycle}',
  },
  docs: {
    what: 'Reports each group of migrations that depend on each other in a circle, directly or through other apps and `run_before`.',
    why:
      'No order satisfies a cycle: Django raises `CircularDependencyError` while loading the graph, so no migration of the project can be applied or created until the cycle is broken.',
    example: {
      django: fileTree({
        'shop/migrations/0001_initial.py': djangoModule(["('billing', '0001_initial')"]),
        'billing/migrations/0001_initial.py': djangoModule(["('shop', '0001_initial')"]),
      }),
    },
    instead: {
      django: fileTree({
        'shop/migrations/0001_initial.py': djangoModule([]),
        'billing/migrations/0001_initial.py': djangoModule(["('shop', '0001_initial')"]),
      }),
    },
    references: ['django/db/migrations/graph.py `MigrationGraph.ensure_not_cyclic`'],
  },
  check({ project, report }) {
    for (const history of project.histories) {
      for (const cycle of history.cycles) {
        const names = cycle.map((m) => `${project.setOf(m).name}.${m.name}`);
        // In a comparison, at the branch's own migration: the cycle is new if the branch closed it.
        const c = project.comparison;
        const at = (c && cycle.find((m) => c.branchFiles.has(m.file))) || cycle[0]!;
        report({ migration: at }, 'cycle', { cycle: names.join(', ') }, {
          facts: { cycle: names },
          hint: 'remove one of the dependencies so that the migrations can be ordered',
        });
      }
    }
  },
});
