/** The Markdown pull-request summary: counts, the findings table, conflict diagrams, trimming. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lint, lintComparison } from '../../src/api.js';
import type { Comparison } from '../../src/model/comparison.js';
import type { Finding, MigrationSet } from '../../src/model/types.js';
import type { SetGraph } from '../../src/report/graph.js';
import { code, conflictMermaid, escapeCell, lockCell, markdown, mermaidLabel, trimMarkdown, GITHUB_COMMENT_LIMIT } from '../../src/report/markdown.js';
import type { ReportContext } from '../../src/report/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { finding as baseFinding, ctxFor } from '../helpers/report.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const DOCS = 'https://github.com/migrate-lint/migrate-lint/blob/main/docs/rules/';


const finding = baseFinding;

/** Sets with `n` migrations each: only the counts matter to the summary. */
const fakeSets = (...sizes: number[]): MigrationSet[] =>
  sizes.map((n, i) => ({ id: `sql:s${i}`, migrations: Array.from({ length: n }, (_, k) => ({ name: String(k), file: `s${i}/${k}.sql` })) }) as unknown as MigrationSet);

const comparison = (over: Partial<Comparison> = {}): Comparison => ({
  target: { name: 'origin/main', commit: { id: '3f2a1c9'.padEnd(40, '0'), short: '3f2a1c9', subject: 's' } },
  base: { commit: { id: '1a2b3c4'.padEnd(40, '0'), short: '1a2b3c4', subject: 's' } },
  head: 'the working tree',
  baseSets: [],
  branchFiles: new Set(),
  deletedFiles: new Set(),
  targetFiles: new Set(),
  addedOnTarget: new Map(),
  ...over,
});

/** Every file under a fixture, by path relative to it. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(path.join(dir, rel))) {
    const p = rel ? `${rel}/${e}` : e;
    if (statSync(path.join(dir, p)).isDirectory()) Object.assign(out, tree(dir, p));
    else out[p] = readFileSync(path.join(dir, p), 'utf8');
  }
  return out;
}

describe('markdown: summary and counts', () => {
  const ctx = (over: Partial<ReportContext> = {}): ReportContext => ({ root: '/r', cwd: '/r', color: false, version: '0.1.0', sets: fakeSets(3, 4), histories: [], ...over });

  it('counts by severity, and how much was checked', () => {
    const md = markdown([finding({}), finding({ severity: 'warning' }), finding({ severity: 'warning' }), finding({ severity: 'info' })], ctx());
    expect(md.split('\n').slice(0, 3)).toEqual(['## migrate-lint', '', '❌ **4 problems** (1 error, 2 warnings, 1 info) in 7 migrations in 2 sets.']);
  });

  it('warnings only, one of each', () => {
    expect(markdown([finding({ severity: 'warning' })], ctx({ sets: fakeSets(1) }))).toContain('⚠️ **1 problem** (0 errors, 1 warning) in 1 migration in 1 set.');
  });

  it('a comparison says what it was merged into', () => {
    expect(markdown([finding({})], ctx({ comparison: comparison() }))).toContain('❌ **1 problem** (1 error, 0 warnings) in 7 migrations in 2 sets, as merged into `origin/main` (3f2a1c9; branch point 1a2b3c4).');
    expect(markdown([], ctx({ comparison: comparison({ target: { name: 'HEAD' }, head: 'the index' }) }))).toBe('## migrate-lint\n\n✅ No problems in 7 migrations in 2 sets, in the staged files.\n');
  });

  it('clean, and nothing found at all', () => {
    expect(markdown([], ctx())).toBe('## migrate-lint\n\n✅ No problems in 7 migrations in 2 sets.\n');
    expect(markdown([], ctx({ sets: [] }))).toBe('## migrate-lint\n\nNo migrations found: nothing was checked.\n');
  });

  it('clean, from a real run of the clean Django fixture', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-clean'] });
    expect(r.findings).toEqual([]);
    expect(markdown(r.findings, ctxFor(r))).toBe('## migrate-lint\n\n✅ No problems in 6 migrations in 2 sets.\n');
  });
});

describe('markdown: the findings table', () => {
  const ctx: ReportContext = { root: '/r', cwd: '/r', color: false, version: '0.1.0', sets: fakeSets(2), histories: [] };

  it('one row per finding, worst first, the rule linked to its page', () => {
    const md = markdown(
      [
        finding({ severity: 'info', ruleId: 'unused-suppression', message: 'nothing to silence', file: 'a.sql', line: 1 }),
        finding({ hint: 'use CREATE INDEX CONCURRENTLY', data: { lock: 'SHARE', tables: ['orders'], rewrite: false, blocks: ['writes'] } }),
      ],
      ctx,
    );
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toEqual([
      '| Severity | Where | Rule | Problem | Lock |',
      '|---|---|---|---|---|',
      `| ❌ error | \`db/migrations/0002_idx.sql:3\` | [index-not-concurrent](${DOCS}index-not-concurrent.md) | CREATE INDEX takes SHARE on "orders"<br>→ use CREATE INDEX CONCURRENTLY | **SHARE** on \`orders\`: blocks writes |`,
      `| ℹ️ info | \`a.sql:1\` | [unused-suppression](${DOCS}unused-suppression.md) | nothing to silence | — |`,
    ]);
  });

  it('cells escape |, <, >, &, Markdown punctuation and line breaks; paths go in code spans', () => {
    const md = markdown([finding({ message: 'a | b <script>alert(1)</script> & *bold* _x_ [l](u) `c`\nnext\r\nline', file: 'we|rd/`q`/0001.sql', line: 7 })], ctx);
    const row = md.split('\n').find((l) => l.startsWith('| ❌'))!;
    expect(row).toBe(
      `| ❌ error | \`\`we\\|rd/\`q\`/0001.sql:7\`\` | [index-not-concurrent](${DOCS}index-not-concurrent.md) | a \\| b &lt;script&gt;alert(1)&lt;/script&gt; &amp; \\*bold\\* \\_x\\_ \\[l\\](u) \\\`c\\\`<br>next<br>line | — |`,
    );
    // Still five cells: no pipe escaped the escaping.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it('escapeCell and code', () => {
    expect(escapeCell('x\\y')).toBe('x\\\\y');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`a')).toBe('`` `a ``');
    expect(code('a|b')).toBe('`a|b`');
    expect(code('a|b', true)).toBe('`a\\|b`');
  });

  it('the lock column: mode, tables, what it blocks, a rewrite; a dash without lock facts', () => {
    expect(lockCell({ lock: 'ACCESS EXCLUSIVE', tables: ['shop_item'], rewrite: true, blocks: ['reads', 'writes'] })).toBe('**ACCESS EXCLUSIVE** on `shop_item`: blocks reads and writes; rewrites the table');
    expect(lockCell({ lock: 'SHARE UPDATE EXCLUSIVE', tables: ['a', 'b|c'], rewrite: false, blocks: [] })).toBe('**SHARE UPDATE EXCLUSIVE** on `a`, `b\\|c`: reads and writes go on');
    expect(lockCell({ lock: 'none', tables: [], rewrite: false, blocks: [] })).toBe('—');
    expect(lockCell({ table: 'shop_item', column: 'code' })).toBe('—');
  });

  it('a real run: lock facts of the unsafe Django fixture in the lock column', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-unsafe'] });
    const md = markdown(r.findings, ctxFor(r));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity'));
    expect(rows).toHaveLength(r.findings.length);
    const row = (rule: string) => rows.find((l) => l.includes(`[${rule}]`))!;
    expect(row('index-not-concurrent')).toMatch(/^\| ❌ error \| `fixtures\/django-unsafe\/shop\/migrations\/0005_item_code\.py:20` \| .* \| \*\*SHARE\*\* on `shop_item`: blocks writes \|$/);
    expect(row('column-type-rewrite')).toMatch(/\| \*\*ACCESS EXCLUSIVE\*\* on `shop_item`: blocks reads and writes; rewrites the table \|$/);
    expect(row('cannot-run-in-transaction')).toMatch(/\| \*\*SHARE UPDATE EXCLUSIVE\*\* on `shop_item`: reads and writes go on \|$/);
    expect(row('callable-default-single-value')).toMatch(/\| — \|$/);
    // No absolute paths anywhere: the comment is public.
    expect(md).not.toContain(REPO);
    // Errors before warnings.
    const severities = rows.map((l) => l.split(' | ')[0]);
    expect(severities.indexOf('| ⚠️ warning')).toBeGreaterThan(severities.lastIndexOf('| ❌ error'));
  });

  it('the same findings in any order give the same text', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-unsafe'] });
    expect(markdown([...r.findings].reverse(), ctxFor(r))).toBe(markdown(r.findings, ctxFor(r)));
  });
});

describe('markdown: conflict diagrams', () => {
  it('a real Django conflict: the two leaves, their common ancestor and its parent', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-conflict'] });
    const md = markdown(r.findings, ctxFor(r));
    const section = md.slice(md.indexOf('### '));
    expect(section).toBe(
      [
        '### Conflicting migrations in `shop`',
        '',
        '`fixtures/django-conflict/shop/migrations` (django) has 2 leaves, `0005_add_field_a` and `0005_add_field_b` (in red), where it must have one; the graph is drawn back to where they part.',
        '',
        '```mermaid',
        'graph TD',
        '  n0["0003_item_sku"]',
        '  n1["0004_item_description"]',
        '  n2["0005_add_field_a"]',
        '  n3["0005_add_field_b"]',
        '  n0 --> n1',
        '  n1 --> n2',
        '  n1 --> n3',
        '  classDef conflict fill:#fdd,stroke:#c00,stroke-width:2px',
        '  class n2,n3 conflict',
        '  classDef base fill:#eef,stroke:#55a',
        '  class n1 base',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('a real Alembic fixture with two heads', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/alembic-two-heads'] });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['conflicting-leaves']);
    const md = markdown(r.findings, ctxFor(r));
    expect(md.slice(md.indexOf('```mermaid'))).toBe(
      [
        '```mermaid',
        'graph TD',
        '  n0["aaa111"]',
        '  n1["bbb222"]',
        '  n2["ccc333"]',
        '  n0 --> n1',
        '  n0 --> n2',
        '  classDef conflict fill:#fdd,stroke:#c00,stroke-width:2px',
        '  class n1,n2 conflict',
        '  classDef base fill:#eef,stroke:#55a',
        '  class n0 base',
        '```',
        '',
      ].join('\n'),
    );
    expect(md).toContain('### Conflicting migrations in `fixtures/alembic-two-heads/alembic`');
  });

  it('one diagram per conflicting set, in set order', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-multi-conflict'] });
    const md = markdown(r.findings, ctxFor(r));
    expect(md.match(/^### .*$/gm)).toEqual(['### Conflicting migrations in `billing`', '### Conflicting migrations in `shop`']);
    expect(md.match(/```mermaid/g)).toHaveLength(2);
  });

  it('a real branch comparison: "as merged into", each leaf labelled with its side', async () => {
    const all = tree(path.join(REPO, 'fixtures/django-conflict'));
    const a = 'shop/migrations/0005_add_field_a.py';
    const b = 'shop/migrations/0005_add_field_b.py';
    const base = Object.fromEntries(Object.entries(all).filter(([p]) => p !== a && p !== b));
    const r = await lintComparison(
      {
        base: new MemorySnapshot(base, 'base'),
        target: new MemorySnapshot({ ...base, [a]: all[a]! }, 'main'),
        head: new MemorySnapshot({ ...base, [b]: all[b]! }, 'branch'),
        targetName: 'main',
        headName: 'the branch',
      },
      [''],
    );
    expect(r.findings.map((f) => [f.ruleId, f.messageId])).toEqual([['conflicting-leaves', 'afterMerge']]);
    const md = markdown(r.findings, ctxFor(r));
    expect(md).toContain('❌ **1 problem** (1 error, 0 warnings) in 6 migrations in 1 set, as merged into `main`.');
    expect(md).toContain('| ❌ error | `shop/migrations/0005_add_field_b.py:6` |');
    expect(md).toContain('  n2["0005_add_field_a (main)"]\n  n3["0005_add_field_b (this branch)"]\n');
  });

  it('a real Alembic branch comparison labels heads the same way', async () => {
    const all = tree(path.join(REPO, 'fixtures/alembic-two-heads'));
    const b = 'alembic/versions/bbb222_add_email.py';
    const c = 'alembic/versions/ccc333_add_phone.py';
    const base = Object.fromEntries(Object.entries(all).filter(([p]) => p !== b && p !== c));
    const r = await lintComparison(
      { base: new MemorySnapshot(base, 'base'), target: new MemorySnapshot({ ...base, [b]: all[b]! }, 'main'), head: new MemorySnapshot({ ...base, [c]: all[c]! }, 'branch'), targetName: 'main', headName: 'the branch' },
      [''],
    );
    expect(r.findings.map((f) => [f.ruleId, f.messageId])).toEqual([['conflicting-leaves', 'headsAfterMerge']]);
    expect(markdown(r.findings, ctxFor(r))).toContain('  n1["bbb222 (main)"]\n  n2["ccc333 (this branch)"]\n');
  });

  it('node ids never come from names: odd names get distinct ids and escaped labels', () => {
    const g: SetGraph = {
      id: 'x',
      framework: 'django',
      app: 'x',
      path: 'x/migrations',
      nodes: ['0001 "start"', '0002_a-b', '0002_a_b', 'end'],
      edges: [
        ['0001 "start"', '0002_a-b'],
        ['0001 "start"', '0002_a_b'],
        ['0001 "start"', 'end'],
        ['other.0001_initial', 'end'],
      ],
      leaves: ['0002_a-b', '0002_a_b', 'end'],
    };
    expect(conflictMermaid(g, ['0002_a-b', '0002_a_b', 'end'])).toBe(
      [
        '```mermaid',
        'graph TD',
        '  n0["0001 #34;start#34;"]',
        '  n1["0002_a-b"]',
        '  n2["0002_a_b"]',
        '  n3["end"]',
        '  n0 --> n1',
        '  n0 --> n2',
        '  n0 --> n3',
        '  classDef conflict fill:#fdd,stroke:#c00,stroke-width:2px',
        '  class n1,n2,n3 conflict',
        '  classDef base fill:#eef,stroke:#55a',
        '  class n0 base',
        '```',
      ].join('\n'),
    );
    expect(mermaidLabel('a"b#c<d>e`f&g\nh')).toBe('a#34;b#35;c#60;d#62;e#96;f#38;g h');
  });

  it('a long branch is cut: the far end collapses into one node', () => {
    const chain = Array.from({ length: 20 }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);
    const g: SetGraph = {
      id: 'x',
      framework: 'django',
      app: 'x',
      path: 'x',
      nodes: ['a00', 'a01', 'root', ...chain],
      edges: [['root', 'a00'], ['a00', 'a01'], ['a00', 'b01'], ...chain.slice(1).map((n, i) => [chain[i]!, n] as [string, string])],
      leaves: ['a01', 'b20'],
    };
    const out = conflictMermaid(g, ['a01', 'b20']);
    // b20 is the leaf (depth 0); b05 is 15 steps up, the last drawn; b01..b04 collapse.
    expect(out).toContain('  more["… 4 more migrations"]');
    expect(out).toContain('  n0 --> more'); // a00, the common ancestor
    const id = (name: string) => out.match(new RegExp(`  (n\\d+)\\["${name}"\\]`))![1];
    expect(out).toContain(`  more --> ${id('b05')}`);
    expect(out).not.toContain('"b04"');
    expect(out).toContain(`  ${id('root')} --> ${id('a00')}`); // one parent of the common ancestor, for context
  });
});

describe('trimMarkdown', () => {
  const big = ['## migrate-lint', '', 'summary', '', '| a | b |', '|---|---|', ...Array.from({ length: 200 }, (_, i) => `| row ${i} | ${'x'.repeat(40)} |`), '', '```mermaid', 'graph TD', ...Array.from({ length: 50 }, (_, i) => `  n${i}["m${i}"]`), '```', ''].join('\n');

  it('returns text that fits unchanged', () => {
    expect(trimMarkdown(big, big.length, 'cut')).toBe(big);
    expect(trimMarkdown('short\n', GITHUB_COMMENT_LIMIT)).toBe('short\n');
  });

  it('cuts at a line boundary, within the limit, and ends with the note', () => {
    const out = trimMarkdown(big, 2000, '_cut_');
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.endsWith('\n\n_cut_\n')).toBe(true);
    const kept = out.slice(0, -'\n\n_cut_\n'.length);
    expect(big.startsWith(kept + '\n')).toBe(true);
    expect(kept.split('\n').pop()).toMatch(/^\| row \d+ \| x+ \|$/);
  });

  it('never leaves a code fence open', () => {
    const fence = big.indexOf('```mermaid');
    const out = trimMarkdown(big, fence + 300, 'cut');
    expect(out.match(/```/g)).toBeNull();
    expect(out.length).toBeLessThanOrEqual(fence + 300);
    expect(out.endsWith('|\n\ncut\n')).toBe(true);
  });

  it('with no room for any line, only the note', () => {
    expect(trimMarkdown(big, 10, 'cut')).toBe('cut\n');
    expect(trimMarkdown(big, 2, 'a long note')).toBe('a ');
  });

  it('a real report cut to size still renders its heading', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/prisma-unsafe'] });
    const md = markdown(r.findings, ctxFor(r));
    const out = trimMarkdown(md, 1200);
    expect(out.length).toBeLessThanOrEqual(1200);
    expect(out.startsWith('## migrate-lint\n')).toBe(true);
    expect(out.endsWith('*The report was cut to fit; the full report is in the job log.*\n')).toBe(true);
  });
});
