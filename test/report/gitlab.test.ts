/** GitLab Code Quality report: shape, severities, unique and stable fingerprints. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/api.js';
import type { Finding } from '../../src/model/types.js';
import { codeQualitySeverity, gitlab, toCodeQuality, type CodeQualityIssue } from '../../src/report/gitlab.js';
import type { ReportContext } from '../../src/report/types.js';
import { finding as baseFinding } from '../helpers/report.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

const finding = (over: Partial<Finding>): Finding => baseFinding({ endLine: 5, fingerprint: 'index-not-concurrent:sql:db/migrations:2:0', ...over });

const ctx: ReportContext = { root: '/repo', cwd: '/repo', color: false, version: '0.1.0', sets: [], histories: [] };

/** The fields GitLab requires, with the types it requires (docs: "Code Quality report format"). */
function expectShape(issues: unknown): asserts issues is CodeQualityIssue[] {
  expect(Array.isArray(issues)).toBe(true);
  for (const i of issues as CodeQualityIssue[]) {
    expect(Object.keys(i).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity']);
    expect(typeof i.description).toBe('string');
    expect(typeof i.check_name).toBe('string');
    expect(i.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
    expect(Object.keys(i.location).sort()).toEqual(['lines', 'path']);
    expect(i.location.path).not.toMatch(/^\//);
    expect(Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1).toBe(true);
    expect(i.location.lines.end).toBeGreaterThanOrEqual(i.location.lines.begin);
  }
}

describe('gitlab', () => {
  it('one issue per finding, in the documented shape', () => {
    const out = gitlab([finding({}), finding({ severity: 'warning', ruleId: 'missing-down', fingerprint: 'missing-down:x', line: 1, endLine: 1 }), finding({ severity: 'info', ruleId: 'unused-suppression', fingerprint: 'u' })], ctx);
    expect(out.endsWith('\n')).toBe(true);
    const issues = JSON.parse(out);
    expectShape(issues);
    expect(issues[0]).toEqual({
      description: 'CREATE INDEX takes SHARE on "orders"',
      check_name: 'index-not-concurrent',
      fingerprint: md5('index-not-concurrent:sql:db/migrations:2:0'),
      severity: 'critical',
      location: { path: 'db/migrations/0002_idx.sql', lines: { begin: 3, end: 5 } },
    });
    expect(issues.map((i) => i.severity)).toEqual(['critical', 'minor', 'info']);
  });

  it('severities: error critical, warning minor, info info', () => {
    expect([codeQualitySeverity('error'), codeQualitySeverity('warning'), codeQualitySeverity('info')]).toEqual(['critical', 'minor', 'info']);
  });

  it('fingerprints are unique even when two findings share ours, and do not move with line numbers', () => {
    const a = finding({});
    const b = finding({ messageId: 'other', message: 'second report on the same statement' });
    const issues = toCodeQuality([a, b, finding({ fingerprint: 'another' })]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(3);
    expect(issues[0]!.fingerprint).toBe(md5(a.fingerprint));
    // Moving the finding (code added above it) keeps its identity.
    expect(toCodeQuality([finding({ line: 40, endLine: 42 })])[0]!.fingerprint).toBe(issues[0]!.fingerprint);
  });

  it('no findings: an empty array', () => {
    expect(gitlab([], ctx)).toBe('[]\n');
  });

  it('a real run: the unsafe Prisma fixture', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/prisma-unsafe'] });
    expect(r.findings.length).toBeGreaterThan(3);
    const issues = JSON.parse(gitlab(r.findings, { ...ctx, root: r.root, sets: r.sets, histories: r.histories }));
    expectShape(issues);
    expect(issues).toHaveLength(r.findings.length);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    issues.forEach((issue, n) => {
      const f = r.findings[n]!;
      expect(issue).toEqual({
        description: f.message,
        check_name: f.ruleId,
        fingerprint: expect.any(String),
        severity: { error: 'critical', warning: 'minor', info: 'info' }[f.severity],
        location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
      });
      expect(issue.location.path.startsWith('fixtures/prisma-unsafe/prisma/migrations/')).toBe(true);
    });
  });
});
