/**
 * `migrate-lint graph`: each set's history as text, JSON, Mermaid or Graphviz DOT. Nodes of the set are
 * plain migration names; a parent in another set is written `<set>.<name>` (migration names never
 * contain a dot).
 */
import type { History } from '../model/history.js';
import type { MigrationSet } from '../model/types.js';

export interface SetGraph {
  id: string;
  framework: string;
  app: string;
  path: string;
  nodes: string[];
  edges: [string, string][];
  leaves: string[];
}

export function setGraphs(sets: MigrationSet[], histories: History[]): SetGraph[] {
  const out: SetGraph[] = [];
  for (const h of histories) {
    for (const s of h.sets) {
      if (!sets.includes(s)) continue;
      const name = (key: string) => {
        const l = h.label(key);
        return l.set === s.name ? l.name : `${l.set}.${l.name}`;
      };
      const edges = h
        .edges()
        .filter(([, child]) => h.label(child).set === s.name)
        .map(([p, c]) => [name(p), name(c)] as [string, string])
        .sort((a, b) => (a[1] + a[0] < b[1] + b[0] ? -1 : 1));
      out.push({
        id: s.id,
        framework: s.framework,
        app: s.name,
        path: s.dir,
        nodes: h.nodesOf(s).map((m) => m.name),
        edges,
        leaves: h.leaves(s).map((m) => m.name),
      });
    }
  }
  return out;
}

export function renderGraph(graphs: SetGraph[], format: 'text' | 'json' | 'mermaid' | 'dot'): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ version: 1, sets: graphs }, null, 2) + '\n';
    case 'mermaid':
      return graphs.map(mermaid).join('\n');
    case 'dot':
      return graphs.map(dot).join('\n');
    default:
      return graphs.map(text).join('\n');
  }
}

function text(g: SetGraph): string {
  const lines = [`${g.app} (${g.framework}, ${g.path}): ${g.nodes.length} migration${g.nodes.length === 1 ? '' : 's'}, leaves: ${g.leaves.join(', ') || '(none)'}`];
  const parents = new Map<string, string[]>();
  for (const [p, c] of g.edges) parents.set(c, [...(parents.get(c) ?? []), p]);
  for (const n of g.nodes) {
    const ps = parents.get(n) ?? [];
    const leaf = g.leaves.includes(n) ? '  [leaf]' : '';
    lines.push(`  ${n}${ps.length ? `  <- ${ps.join(', ')}` : ''}${leaf}`);
  }
  return lines.join('\n') + '\n';
}

function mermaid(g: SetGraph): string {
  const id = (n: string) => 'n_' + n.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = ['```mermaid', 'graph TD', `  %% ${g.app} (${g.path})`];
  const all = new Set([...g.nodes, ...g.edges.flat()]);
  for (const n of all) lines.push(`  ${id(n)}["${n.replace(/"/g, '#quot;')}"]`);
  for (const [p, c] of g.edges) lines.push(`  ${id(p)} --> ${id(c)}`);
  if (g.leaves.length > 1) {
    lines.push('  classDef conflict fill:#fdd,stroke:#c00');
    for (const l of g.leaves) lines.push(`  class ${id(l)} conflict`);
  }
  lines.push('```');
  return lines.join('\n') + '\n';
}

function dot(g: SetGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [`digraph ${q(g.app)} {`, '  rankdir=TB;'];
  for (const n of g.nodes) lines.push(`  ${q(n)}${g.leaves.length > 1 && g.leaves.includes(n) ? ' [color=red]' : ''};`);
  for (const [p, c] of g.edges) lines.push(`  ${q(p)} -> ${q(c)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
