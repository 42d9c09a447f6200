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
    expect(renderDiff(plan)).toBe(
      'diff --git a/shop/migrations/0003_merge.py b/shop/migrations/0003_merge.py\nnew file mode 100644\n--- /dev/null\n+++ b/shop/migrations/0003_merge.py\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
  });

  it('renames files and folders without replacing anything, later ones first so a freed name can be taken', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'db'), { recursive: true });
    writeFileSync(path.join(root, 'db/0002_a.sql'), 'a\n');
    writeFileSync(path.join(root, 'db/0004_a.sql'), 'b\n');
    mkdirSync(path.join(root, 'prisma/migrations/20240103000000_note'), { recursive: true });
    writeFileSync(path.join(root, 'prisma/migrations/20240103000000_note/migration.sql'), 'SELECT 1;\n');
    const f = finding([
      { kind: 'rename', from: 'db/0004_a.sql', to: 'db/0005_a.sql' },
      { kind: 'rename', from: 'db/0002_a.sql', to: 'db/0004_a.sql' },
      { kind: 'rename', from: 'prisma/migrations/20240103000000_note', to: 'prisma/migrations/20240105000001_note' },
    ]);
    const plan = planFixes(root, [f, f]);
    expect(plan.edits).toHaveLength(3);
    expect(renderDiff(plan)).toContain('diff --git a/db/0002_a.sql b/db/0004_a.sql\nsimilarity index 100%\nrename from db/0002_a.sql\nrename to db/0004_a.sql\n');
    await applyFixes(root, plan);
    expect(readFileSync(path.join(root, 'db/0004_a.sql'), 'utf8')).toBe('a\n');
    expect(readFileSync(path.join(root, 'db/0005_a.sql'), 'utf8')).toBe('b\n');
    expect(readdirSync(path.join(root, 'db')).sort()).toEqual(['0004_a.sql', '0005_a.sql']);
    expect(readdirSync(path.join(root, 'prisma/migrations'))).toEqual(['20240105000001_note']);
    expect(readFileSync(path.join(root, 'prisma/migrations/20240105000001_note/migration.sql'), 'utf8')).toBe('SELECT 1;\n');
    // Applied already: the source is gone and the destination is there.
    const again = planFixes(root, [finding([{ kind: 'rename', from: 'prisma/migrations/20240103000000_note', to: 'prisma/migrations/20240105000001_note' }])]);
    expect(again.edits).toEqual([]);
    expect(again.done).toHaveLength(1);
  });

  it('refuses a rename onto an existing file, or of a file that is not there', () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.sql'), 'a\n');
    writeFileSync(path.join(root, 'b.sql'), 'b\n');
    expect(() => planFixes(root, [finding([{ kind: 'rename', from: 'a.sql', to: 'b.sql' }])])).toThrow(/b.sql already exists; a fix never overwrites/);
    expect(() => planFixes(root, [finding([{ kind: 'rename', from: 'c.sql', to: 'd.sql' }])])).toThrow(/c.sql does not exist/);
    expect(readFileSync(path.join(root, 'b.sql'), 'utf8')).toBe('b\n');
  });

  it('a rename destination that appears between planning and renaming is not replaced', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.sql'), 'a\n');
    const plan = planFixes(root, [finding([{ kind: 'rename', from: 'a.sql', to: 'b.sql' }])]);
    writeFileSync(path.join(root, 'b.sql'), 'theirs\n');
    await expect(applyFixes(root, plan)).rejects.toThrow(/b.sql appeared while fixing; not overwritten/);
    expect(readFileSync(path.join(root, 'b.sql'), 'utf8')).toBe('theirs\n');
    expect(readFileSync(path.join(root, 'a.sql'), 'utf8')).toBe('a\n');
  });

  it('replaces text, last offset first, and refuses overlapping edits', async () => {
    const root = tempDir();
    const text = 'class AddNote1700000000000 {}\nname = "AddNote1700000000000";\n';
    writeFileSync(path.join(root, 'm.ts'), text);
    const old = 'AddNote1700000000000';
    const at = [text.indexOf(old), text.lastIndexOf(old)];
    const f = finding(at.map((offset) => ({ kind: 'replace' as const, path: 'm.ts', offset, endOffset: offset + old.length, text: 'AddNote1800000000000' })));
    const plan = planFixes(root, [f]);
    expect(renderDiff(plan)).toContain('-class AddNote1700000000000 {}\n-name = "AddNote1700000000000";\n+class AddNote1800000000000 {}\n+name = "AddNote1800000000000";\n');
    await applyFixes(root, plan);
    expect(readFileSync(path.join(root, 'm.ts'), 'utf8')).toBe('class AddNote1800000000000 {}\nname = "AddNote1800000000000";\n');
    expect(readdirSync(root)).toEqual(['m.ts']);
    expect(() => planFixes(root, [finding([{ kind: 'replace', path: 'm.ts', offset: 0, endOffset: 10, text: 'x' }, { kind: 'replace', path: 'm.ts', offset: 5, endOffset: 12, text: 'y' }])])).toThrow(/overlapping/);
  });
});
