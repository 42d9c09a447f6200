import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFixes, planFixes, renderDiff } from '../../src/fix/apply.js';
import type { Finding } from '../../src/model/types.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ml-fix-'));
  temps.push(d);
  return d;
}

const finding = (edits: NonNullable<Finding['fix']>['edits']): Finding => ({
  ruleId: 'conflicting-leaves',
  messageId: 'multipleLeaves',
  severity: 'error',
  message: 'm',
  file: 'shop/migrations/0002_b.py',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 1,
  data: {},
  fingerprint: 'f',
  fix: { description: 'd', edits },
});

describe('applying fixes', () => {
  it('creates the file, leaves no temporary file behind, and a second run has nothing to do', async () => {
    const root = tempDir();
    const f = finding([{ kind: 'create', path: 'shop/migrations/0003_merge.py', content: 'x = 1\n' }]);
    const plan = planFixes(root, [f]);
    expect(plan.edits).toHaveLength(1);
    await applyFixes(root, plan);
    expect(readFileSync(path.join(root, 'shop/migrations/0003_merge.py'), 'utf8')).toBe('x = 1\n');
    expect(readdirSync(path.join(root, 'shop/migrations'))).toEqual(['0003_merge.py']);
    const again = planFixes(root, [f]);
    expect(again.edits).toEqual([]);
    expect(again.done).toHaveLength(1);
  });

  it('never overwrites a file with other content', () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'shop/migrations'), { recursive: true });
    writeFileSync(path.join(root, 'shop/migrations/0003_merge.py'), 'mine\n');
    expect(() => planFixes(root, [finding([{ kind: 'create', path: 'shop/migrations/0003_merge.py', content: 'x = 1\n' }])])).toThrow(/already exists; a fix never overwrites/);
    expect(readFileSync(path.join(root, 'shop/migrations/0003_merge.py'), 'utf8')).toBe('mine\n');
  });

  it('a file that appears between planning and writing is not overwritten', async () => {
    const root = tempDir();
    const plan = planFixes(root, [finding([{ kind: 'create', path: 'a.py', content: 'ours\n' }])]);
    writeFileSync(path.join(root, 'a.py'), 'theirs\n');
    await expect(applyFixes(root, plan)).rejects.toThrow(/not overwritten/);
    expect(readFileSync(path.join(root, 'a.py'), 'utf8')).toBe('theirs\n');
    expect(readdirSync(root)).toEqual(['a.py']);
  });

  it('refuses paths outside the repository and two different contents for one file', () => {
    const root = tempDir();
    expect(() => planFixes(root, [finding([{ kind: 'create', path: '../escape.py', content: '' }])])).toThrow(/outside the repository/);
    expect(() =>
      planFixes(root, [finding([{ kind: 'create', path: 'a.py', content: '1\n' }]), finding([{ kind: 'create', path: 'a.py', content: '2\n' }])]),
    ).toThrow(/different contents/);
    expect(planFixes(root, [finding([{ kind: 'create', path: 'a.py', content: '1\n' }]), finding([{ kind: 'create', path: 'a.py', content: '1\n' }])]).edits).toHaveLength(1);
  });

  it('renders a dry run as a unified diff', () => {
    const root = tempDir();
    const plan = planFixes(root, [finding([{ kind: 'create', path: 'shop/migrations/0003_merge.py', content: 'a\nb\n' }])]);
    expect(renderDiff(plan)).toBe('--- /dev/null\n+++ b/shop/migrations/0003_merge.py\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });
});
