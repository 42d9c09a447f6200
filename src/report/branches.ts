/**
 * `migrate-lint branches`: which branches conflict with the target, and with each other, as a matrix
 * and a list of pairs (text), or as JSON (schema version 1, like `check --format json`).
 */
import type { BranchPrediction } from '../model/comparison.js';
import type { Finding } from '../model/types.js';

export function renderBranches(r: BranchPrediction, format: 'text' | 'json'): string {
  if (format === 'json') {
    const brief = (f: Finding) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.file, set: f.set ?? null, migration: f.migration ?? null, data: f.data });
    return (
      JSON.stringify(
        {
          version: 1,
          target: r.target,
          branches: r.branches.map((b) => ({ name: b.name, commit: b.commit, mergeBase: b.base, conflictsWithTarget: b.findings.length > 0, findings: b.findings.map(brief) })),
          pairs: r.pairs.map((p) => ({ branches: [p.first, p.second], findings: p.findings.map(brief) })),
        },
        null,
        2,
      ) + '\n'
    );
  }
  const names = r.branches.map((b) => b.name);
  if (names.length === 0) return `No branches besides ${r.target.name} to compare.\n`;
  const conflict = (a: string, b: string) => r.pairs.some((p) => (p.first === a && p.second === b) || (p.first === b && p.second === a));
  const dirty = new Set(r.branches.filter((b) => b.findings.length > 0).map((b) => b.name));
  /** `✗` conflicts, `·` merges cleanly, `-` itself, `?` not judged: one of the two conflicts with the target. */
  const markOf = (b: BranchPrediction['branches'][number], col: string, isTarget: boolean): string => {
    if (isTarget) return dirty.has(b.name) ? '✗' : '·';
    if (col === b.name) return '-';
    if (dirty.has(b.name) || dirty.has(col)) return '?';
    return conflict(b.name, col) ? '✗' : '·';
  };
  const width = Math.max(...names.map((n) => n.length), r.target.name.length);
  const out: string[] = [`Merging into ${r.target.name} (${r.target.commit.slice(0, 7)}):`, ''];
  // Columns: the target, then every branch.
  const cols = [r.target.name, ...names];
  const colWidth = cols.map((c) => Math.max(c.length, 1));
  out.push(`${''.padEnd(width)}  ${cols.map((c, i) => c.padEnd(colWidth[i]!)).join('  ')}`.trimEnd());
  for (const b of r.branches) {
    const cells = cols.map((c, i) => {
      return markOf(b, c, i === 0).padEnd(colWidth[i]!);
    });
    out.push(`${b.name.padEnd(width)}  ${cells.join('  ')}`.trimEnd());
  }
  const withTarget = r.branches.filter((b) => b.findings.length > 0);
  out.push('');
  if (withTarget.length > 0) {
    out.push(`Conflicts with ${r.target.name}:`);
    for (const b of withTarget) for (const f of b.findings) out.push(`  ${b.name}: ${f.message} (${f.ruleId})`);
  } else {
    out.push(`Every branch merges into ${r.target.name} cleanly on its own.`);
  }
  out.push('');
  if (withTarget.length > 0) out.push(`Pairs with ${withTarget.map((b) => b.name).join(', ')} are not judged (?) until they merge into ${r.target.name} cleanly.`);
  if (r.pairs.length > 0) {
    out.push('Conflicting pairs (whichever merges second needs a merge migration or renumbering):');
    for (const p of r.pairs) {
      out.push(`  ${p.first} × ${p.second}:`);
      for (const f of p.findings) out.push(`    ${f.message} (${f.ruleId})`);
    }
  } else {
    out.push('No two branches conflict with each other.');
  }
  return out.join('\n') + '\n';
}
