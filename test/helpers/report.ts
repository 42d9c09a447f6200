/** Findings and report contexts for the formatter tests. */
import { allRules } from '../../rules/index.js';
import type { Finding } from '../../src/model/types.js';
import type { ReportContext } from '../../src/report/types.js';

/** A plain index-not-concurrent finding; tests override what they look at. */
export const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'index-not-concurrent',
  messageId: 'build',
  severity: 'error',
  message: 'CREATE INDEX takes SHARE on "orders"',
  file: 'db/migrations/0002_idx.sql',
  line: 3,
  column: 1,
  endLine: 3,
  endColumn: 40,
  data: {},
  fingerprint: 'f',
  ...over,
});

/** The context the CLI would give a formatter after a run (`lint()`'s result). */
export function ctxFor(r: { root: string; sets: ReportContext['sets']; histories: ReportContext['histories']; comparison?: ReportContext['comparison'] }, rules: ReportContext['rules'] = allRules): ReportContext {
  return { root: r.root, cwd: r.root, color: false, version: '0.1.0', sets: r.sets, histories: r.histories, rules, ...(r.comparison ? { comparison: r.comparison } : {}) };
}
