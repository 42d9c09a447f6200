/**
 * A pull-request summary in GitHub Flavored Markdown (GFM spec 0.29-gfm: tables §4.10, code spans §6.1,
 * backslash escapes §2.4), for `$GITHUB_STEP_SUMMARY` and for a pull-request comment: a heading, the
 * counts, a table of findings (severity, place, rule linked to its page, message and hint, the lock a
 * statement takes and what it blocks), then for each conflict between leaves of a graph-ordered set a
 * Mermaid diagram of that part of its history.
 *
 * Every piece of text from the repository (messages, paths, migration names) is escaped for the place it
 * goes: table cells, code spans, Mermaid labels. Paths are repository-relative, never absolute: the
 * comment is public. Output is deterministic (findings sorted, node ids numbered in name order).
 * `trimMarkdown` cuts a report to a comment's size limit.
 */
import type { Finding, Severity } from '../model/types.js';
import { setGraphs, type SetGraph } from './graph.js';
import { ruleHelpUri, type Formatter, type ReportContext } from './types.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const SEVERITY_CELL: Record<Severity, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };

/** A migration history longer than this between a leaf and the common ancestor is drawn cut. */
const MAX_BRANCH_DEPTH = 15;

/** What a GitHub pull-request comment holds at most (characters): the action trims to it. */
export const GITHUB_COMMENT_LIMIT = 65536;

export const markdown: Formatter = (findings, ctx) => {
  const out = ['## migrate-lint', '', summary(findings, ctx)];
  if (findings.length > 0) {
    out.push('', '| Severity | Where | Rule | Problem | Lock |', '|---|---|---|---|---|');
    for (const f of sortFindings(findings)) {
      const problem = escapeCell(f.message) + (f.hint ? `<br>→ ${escapeCell(f.hint)}` : '');
      out.push(`| ${SEVERITY_CELL[f.severity]} | ${code(`${f.file}:${f.line}`, true)} | ${ruleLink(f.ruleId, ctx)} | ${problem} | ${lockCell(f.data)} |`);
    }
  }
  for (const d of conflictDiagrams(findings, ctx)) {
    out.push('', `### Conflicting migrations in ${code(d.graph.app)}`, '', d.caption, '', d.mermaid);
  }
  return out.join('\n') + '\n';
};

function summary(findings: readonly Finding[], ctx: ReportContext): string {
  if (ctx.sets.length === 0) return 'No migrations found: nothing was checked.';
  const n = ctx.sets.reduce((a, s) => a + s.migrations.length, 0);
  const checked = `${plural(n, 'migration')} in ${plural(ctx.sets.length, 'set')}${against(ctx)}`;
  if (findings.length === 0) return `✅ No problems in ${checked}.`;
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), ...(count('info') ? [`${count('info')} info`] : [])];
  return `${count('error') ? '❌' : '⚠️'} **${plural(findings.length, 'problem')}** (${parts.join(', ')}) in ${checked}.`;
}

/** `, as merged into `origin/main` (3f2a1c9; branch point 1a2b3c4)` when the run was a comparison. */
function against(ctx: ReportContext): string {
  const c = ctx.comparison;
  if (!c) return '';
  if (c.head === 'the index' || c.target.name === 'HEAD') return ', in the staged files';
  const at = [c.target.commit?.short, c.base.commit ? `branch point ${c.base.commit.short}` : undefined].filter(Boolean);
  return `, as merged into ${code(c.target.name)}${at.length ? ` (${at.join('; ')})` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Errors first, then by place and rule: the table reads from the worst down, the same every run. */
function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [SEVERITY_ORDER[f.severity], f.file, f.line, f.column, f.ruleId, f.fingerprint] as const;
  return [...findings].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}

function ruleLink(id: string, ctx: ReportContext): string {
  const url = ruleHelpUri(id, ctx.rules).replace(/[ ()<>]/g, (c) => encodeURIComponent(c));
  return `[${escapeCell(id)}](${url})`;
}

/**
 * The lock a statement finding carries (`data` of lock, rewrite and transaction rules: `{ lock, tables,
 * rewrite, blocks }`, src/engine/statements.ts `lockData`), or `—` for findings without lock facts.
 */
export function lockCell(data: Record<string, unknown>): string {
  const lock = data.lock;
  if (typeof lock !== 'string' || lock === 'none' || lock === '') return '—';
  const tables = Array.isArray(data.tables) ? data.tables.filter((t): t is string => typeof t === 'string') : [];
  const blocks = Array.isArray(data.blocks) ? data.blocks.filter((b): b is string => typeof b === 'string') : [];
  const on = tables.length ? ` on ${tables.map((t) => code(t, true)).join(', ')}` : '';
  const what = blocks.length ? `blocks ${blocks.map(escapeCell).join(' and ')}` : 'reads and writes go on';
  return `**${escapeCell(lock)}**${on}: ${what}${data.rewrite === true ? '; rewrites the table' : ''}`;
}

/**
 * Text for a table cell: Markdown punctuation backslash-escaped (GFM §2.4) so a message cannot start
 * emphasis, a link or a code span; `|` escaped, or it would end the cell; `&`, `<`, `>` as entities so
 * nothing reads as HTML; line breaks as `<br>`, since a cell is one line.
 */
export function escapeCell(s: string): string {
  return s
    .replace(/[\\`*_[\]~|]/g, (c) => '\\' + c)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** A code span holding `s` literally (GFM §6.1): a fence longer than any run of backticks inside, padded
 *  when `s` starts or ends with one. In a table cell `|` must be `\|` even inside a code span (§4.10,
 *  the backslash is not shown); elsewhere the backslash would show, so only cells escape it. */
export function code(s: string, cell = false): string {
  const flat = s.replace(/\r\n|\r|\n/g, ' ');
  const text = cell ? flat.replace(/\|/g, '\\|') : flat;
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export interface ConflictDiagram {
  graph: SetGraph;
  leaves: string[];
  caption: string;
  /** A fenced ```mermaid block. */
  mermaid: string;
}

/**
 * For each set with a conflict finding that names its leaves (`conflicting-leaves`: `data.leaves`, or
 * Alembic's `data.heads`), the part of its graph that conflicts: the leaves, their ancestors back to the
 * nearest common ancestors, and those ancestors' parents for context. Sequence-ordered sets (duplicate
 * or out-of-order versions) have no graph to draw.
 */
export function conflictDiagrams(findings: readonly Finding[], ctx: ReportContext): ConflictDiagram[] {
  const category = (id: string) => ctx.rules?.find((r) => r.id === id)?.category;
  const graphs = setGraphs(ctx.sets, ctx.histories);
  const wanted = new Map<string, { graph: SetGraph; leaves: string[]; labels: Map<string, string> }>();
  for (const f of findings) {
    if (f.set === undefined || (ctx.rules && category(f.ruleId) !== 'conflict')) continue;
    const graph = graphs.find((g) => g.id === f.set);
    const named = stringList(f.data.leaves) ?? stringList(f.data.heads);
    if (!graph || !named) continue;
    const leaves = [...new Set(named)].filter((l) => graph.nodes.includes(l)).sort();
    if (leaves.length < 2) continue;
    const key = `${graph.id}\u0000${leaves.join('\u0000')}`;
    if (!wanted.has(key)) wanted.set(key, { graph, leaves, labels: sideLabels(f.data) });
  }
  return [...wanted.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, w]) => ({ ...w, caption: caption(w.graph, w.leaves), mermaid: conflictMermaid(w.graph, w.leaves, w.labels) }));
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** With `--base`, which side each leaf comes from (`conflicting-leaves` data of `afterMerge`:
 *  `branchLeaves`, `targetLeaves`; of Alembic's `headsAfterMerge`: `branchHeads`, `targetHeads`). */
function sideLabels(data: Record<string, unknown>): Map<string, string> {
  const labels = new Map<string, string>();
  const list = (a: unknown, b: unknown): any[] => (Array.isArray(a) ? a : Array.isArray(b) ? b : []);
  const target = typeof data.target === 'string' ? data.target : 'target';
  for (const l of list(data.branchLeaves, data.branchHeads)) {
    if (typeof l?.name === 'string') labels.set(l.name, 'this branch');
  }
  for (const l of list(data.targetLeaves, data.targetHeads)) {
    if (typeof l?.name !== 'string') continue;
    const commit = typeof l.commit === 'string' ? l.commit.slice(0, 7) : typeof l.commit?.short === 'string' ? l.commit.short : '';
    labels.set(l.name, commit ? `${target}, ${commit}` : target);
  }
  return labels;
}

function caption(g: SetGraph, leaves: string[]): string {
  const names = leaves.map((l) => code(l));
  const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${code(g.path)} (${g.framework}) has ${leaves.length} leaves, ${list} (in red), where it must have one; the graph is drawn back to where they part.`;
}

/**
 * The Mermaid `graph TD` of the conflicting part of `g`. Node ids are `n0`, `n1`, … in name order
 * (migration names may hold characters Mermaid reads as syntax, and two names must never share an id);
 * names appear only in quoted labels, escaped with Mermaid's entity codes.
 */
export function conflictMermaid(g: SetGraph, leaves: readonly string[], labels: ReadonlyMap<string, string> = new Map()): string {
  const inSet = new Set(g.nodes);
  leaves = leaves.filter((l) => inSet.has(l));
  if (leaves.length === 0) return '';
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const [p, c] of g.edges) {
    if (!inSet.has(p) || !inSet.has(c)) continue; // parents in other sets are not part of this conflict
    parents.set(c, [...(parents.get(c) ?? []), p]);
    children.set(p, [...(children.get(p) ?? []), c]);
  }
  const closure = (n: string): Set<string> => {
    const seen = new Set([n]);
    const stack = [n];
    while (stack.length) {
      for (const p of parents.get(stack.pop()!) ?? []) {
        if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      }
    }
    return seen;
  };
  const closures = leaves.map(closure);
  const common = new Set([...closures[0]!].filter((n) => closures.every((c) => c.has(n))));
  // The nearest common ancestors: common ones none of whose children is common too.
  const bases = [...common].filter((n) => !(children.get(n) ?? []).some((c) => common.has(c)));
  // Branch nodes by distance from the nearest leaf, walking parents and stopping at common ancestors.
  const depth = new Map<string, number>();
  let frontier = [...leaves];
  for (const l of leaves) depth.set(l, 0);
  for (let d = 1; frontier.length; d++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const p of parents.get(n) ?? []) {
        if (common.has(p) || depth.has(p)) continue;
        depth.set(p, d);
        next.push(p);
      }
    }
    frontier = next;
  }
  const drawn = new Set([...depth].filter(([, d]) => d <= MAX_BRANCH_DEPTH).map(([n]) => n));
  const cut = depth.size - drawn.size;
  for (const b of bases) drawn.add(b);
  const context = new Set(bases.flatMap((b) => parents.get(b) ?? []).filter((p) => !drawn.has(p)));
  for (const c of context) drawn.add(c);

  const names = [...drawn].sort();
  const id = new Map(names.map((n, i) => [n, `n${i}`]));
  const lines = ['```mermaid', 'graph TD'];
  for (const n of names) {
    const side = labels.get(n);
    lines.push(`  ${id.get(n)}["${mermaidLabel(side ? `${n} (${side})` : n)}"]`);
  }
  const edges: [string, string][] = [];
  for (const c of names) for (const p of parents.get(c) ?? []) if (drawn.has(p)) edges.push([p, c]);
  if (cut > 0) {
    // The far ends of long branches collapse into one node between the common ancestors and what is drawn.
    lines.push(`  more["${mermaidLabel(`… ${cut} more migration${cut === 1 ? '' : 's'}`)}"]`);
    for (const b of bases) if ((children.get(b) ?? []).some((c) => depth.has(c) && !drawn.has(c))) lines.push(`  ${id.get(b)} --> more`);
    for (const n of names) if (depth.has(n) && (parents.get(n) ?? []).some((p) => depth.has(p) && !drawn.has(p))) lines.push(`  more --> ${id.get(n)}`);
  }
  edges.sort((a, b) => (a[1] + '\u0000' + a[0] < b[1] + '\u0000' + b[0] ? -1 : 1));
  for (const [p, c] of edges) lines.push(`  ${id.get(p)} --> ${id.get(c)}`);
  lines.push('  classDef conflict fill:#fdd,stroke:#c00,stroke-width:2px');
  lines.push(`  class ${leaves.map((l) => id.get(l)).join(',')} conflict`);
  if (bases.length) {
    lines.push('  classDef base fill:#eef,stroke:#55a');
    lines.push(`  class ${[...bases].sort().map((b) => id.get(b)).join(',')} base`);
  }
  lines.push('```');
  return lines.join('\n');
}

/**
 * Text inside a quoted Mermaid label: `"`, `#` (which starts an entity code), `<`, `>` (HTML labels),
 * backticks (Markdown strings) and `&` as Mermaid entity codes (`#34;`: Mermaid's flowchart docs,
 * "Entity codes to escape characters"); line breaks as spaces.
 */
export function mermaidLabel(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/["#<>`&]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * Cuts Markdown to at most `max` characters at a line boundary, never inside a fenced code block (an
 * unclosed ```mermaid fence would swallow the rest), and ends it with `note` in a paragraph of its own.
 * Returned unchanged when it fits. GitHub refuses pull-request comments over 65,536 characters
 * (`GITHUB_COMMENT_LIMIT`).
 */
export function trimMarkdown(md: string, max: number, note = '*The report was cut to fit; the full report is in the job log.*'): string {
  if (md.length <= max) return md;
  const tail = `\n\n${note}\n`;
  if (tail.length - 2 > max) return note.slice(0, max);
  let kept = md.slice(0, Math.max(0, max - tail.length + 1));
  kept = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')));
  const lines = kept.split('\n');
  let open = -1;
  lines.forEach((l, i) => {
    if (/^ {0,3}(```|~~~)/.test(l)) open = open === -1 ? i : -1;
  });
  if (open !== -1) kept = lines.slice(0, open).join('\n');
  kept = kept.replace(/\s+$/, '');
  return kept ? kept + tail : `${note}\n`;
}
