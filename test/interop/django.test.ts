/**
 * Our graph against Django's own: for every Django fixture, Django's MigrationLoader (connection=None,
 * the view `makemigrations` has) and migrate-lint must agree on the nodes after squash replacement, the
 * edges, the leaves of each app and the conflicts; where Django refuses to load the graph, we must report
 * the same problem.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/api.js';
import { nodeKey } from '../../src/model/history.js';
import { REPO, runPython } from '../helpers/python.js';

type DjangoResult =
  | { ok: true; nodes: [string, string][]; edges: [[string, string], [string, string]][]; leaves: Record<string, string[]>; conflicts: Record<string, string[]>; django: string }
  | { ok: false; error: 'NodeNotFoundError'; node: [string, string]; origin: string; message: string }
  | { ok: false; error: 'CircularDependencyError'; message: string }
  | { ok: false; error: 'SyntaxError'; file: string; line: number; message: string };

const fixtures = readdirSync(path.join(REPO, 'fixtures')).filter((d) => d.startsWith('django-')).sort();

describe('interop with the real Django MigrationLoader', () => {
  it('has Django fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  for (const fixture of fixtures) {
    it(fixture, async () => {
      const dir = path.join(REPO, 'fixtures', fixture);
      const django = JSON.parse(runPython('test/interop/django_graph.py', [dir])) as DjangoResult;
      const ours = await lint({ cwd: REPO, paths: [`fixtures/${fixture}`] });
      const [history] = ours.histories;
      expect(history, 'one Django project per fixture').toBeDefined();
      expect(ours.histories).toHaveLength(1);
      const byRule = (id: string) => ours.findings.filter((f) => f.ruleId === id);

      if (django.ok) {
        const nodes = ours.sets.flatMap((s) => history!.nodesOf(s).map((m) => [s.name, m.name])).sort();
        expect(nodes).toEqual(django.nodes);
        const local = new Set(ours.sets.map((s) => s.name));
        const edges = history!
          .edges()
          .map(([p, c]) => [history!.label(p), history!.label(c)].map((l) => [l.set, l.name]))
          .sort();
        const djangoEdges = django.edges.filter(([p, c]) => local.has(p[0]) && local.has(c[0])).sort();
        expect(edges).toEqual(djangoEdges);
        for (const s of ours.sets) {
          expect(history!.leaves(s).map((m) => m.name), `leaves of ${s.name}`).toEqual(django.leaves[s.name] ?? []);
        }
        const conflicts = Object.fromEntries(byRule('conflicting-leaves').map((f) => [f.data.app, f.data.leaves]));
        expect(conflicts).toEqual(django.conflicts);
        expect(byRule('missing-dependency')).toEqual([]);
        expect(byRule('dependency-cycle')).toEqual([]);
      } else if (django.error === 'NodeNotFoundError') {
        const missing = byRule('missing-dependency').map((f) => [f.data.migration, (f.data.missing as { app: string; name: string })]);
        expect(missing).toContainEqual([django.origin, { app: django.node[0], name: django.node[1] }]);
      } else if (django.error === 'CircularDependencyError') {
        const cycles = byRule('dependency-cycle').map((f) => [...(f.data.cycle as string[])].sort());
        expect(cycles).toContainEqual(django.message.split(', ').sort());
      } else {
        const errors = byRule('parse-error').map((f) => [f.file, f.line]);
        expect(errors).toContainEqual([`fixtures/${fixture}/${django.file}`, django.line]);
      }
      // Keys are namespaced per set: no node of one app can be confused with another's.
      expect(nodeKey('a', 'b')).not.toEqual(nodeKey('ab', ''));
    });
  }
});
