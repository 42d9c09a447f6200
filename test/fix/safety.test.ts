/**
 * The checks `--fix` makes before writing: never touch what the target branch has, never touch files
 * with uncommitted or conflicted changes unless allowed. On real temporary git repositories.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { planFixes } from '../../src/fix/apply.js';
import { checkFixSafety, openWorkTree } from '../../src/fix/safety.js';
import type { FileEdit, Finding } from '../../src/model/types.js';
import { TempRepo } from '../helpers/git-repo.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

const finding = (edits: FileEdit[]): Finding => ({
  ruleId: 'out-of-order-migration',
  messageId: 'neverApplied',
  severity: 'error',
  message: 'm',
  file: 'db/0002_a.sql',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 1,
  data: {},
  fingerprint: 'f',
  fix: { description: 'd', edits },
});

function repoWith(files: Record<string, string>): TempRepo {
  const repo = TempRepo.create('ml-safety-');
  repos.push(repo);
  repo.commit('init', files);
  return repo;
}

async function check(repo: TempRepo, edits: FileEdit[], opts: { allowDirty?: boolean; target?: string[] } = {}): Promise<void> {
  const git = await openWorkTree(repo.dir);
  expect(git).not.toBeNull();
  try {
    await checkFixSafety(planFixes(repo.dir, [finding(edits)]), {
      repo: git,
      allowDirty: opts.allowDirty ?? false,
      ...(opts.target ? { target: { name: 'main', files: new Set(opts.target) } } : {}),
    });
  } finally {
    git!.close();
  }
}

describe('fix safety', () => {
  const rename: FileEdit[] = [{ kind: 'rename', from: 'db/0002_a.sql', to: 'db/0004_a.sql' }];

  it('lets a clean, branch-only rename through', async () => {
    const repo = repoWith({ 'db/0001_init.sql': 'SELECT 1;\n', 'db/0002_a.sql': 'SELECT 2;\n' });
    await expect(check(repo, rename, { target: ['db/0001_init.sql'] })).resolves.toBeUndefined();
  });

  it('refuses to rename, edit or create over a file the target has, even with --allow-dirty', async () => {
    const repo = repoWith({ 'db/0002_a.sql': 'SELECT 2;\n', 'prisma/migrations/20240101000000_init/migration.sql': 'SELECT 1;\n' });
    await expect(check(repo, rename, { target: ['db/0002_a.sql'], allowDirty: true })).rejects.toThrow(
      'refusing to rename db/0002_a.sql: main has it, and databases deployed from main may have run it',
    );
    // A folder the target has a file in counts as the target's.
    await expect(check(repo, [{ kind: 'rename', from: 'prisma/migrations/20240101000000_init', to: 'prisma/migrations/20240102000000_init' }], { target: ['prisma/migrations/20240101000000_init/migration.sql'] })).rejects.toThrow(
      /refusing to rename prisma\/migrations\/20240101000000_init: main has it/,
    );
    await expect(check(repo, [{ kind: 'replace', path: 'db/0002_a.sql', offset: 0, endOffset: 6, text: 'select' }], { target: ['db/0002_a.sql'] })).rejects.toThrow(/refusing to edit db\/0002_a.sql/);
  });

  it('refuses files with uncommitted changes unless allowed', async () => {
    const repo = repoWith({ 'db/0002_a.sql': 'SELECT 2;\n' });
    repo.write({ 'db/0002_a.sql': 'SELECT 22;\n' });
    await expect(check(repo, rename)).rejects.toThrow('refusing to fix: db/0002_a.sql has uncommitted changes');
    await expect(check(repo, rename, { allowDirty: true })).resolves.toBeUndefined();
    // Staged but not committed is uncommitted too.
    repo.git('add', 'db/0002_a.sql');
    await expect(check(repo, rename)).rejects.toThrow('has uncommitted changes');
  });

  it('refuses files with unresolved merge conflicts unless allowed', async () => {
    const repo = repoWith({ 'db/0002_a.sql': 'SELECT 2;\n' });
    repo.checkout('other', { create: true });
    repo.commit('other', { 'db/0002_a.sql': 'SELECT 3;\n' });
    repo.checkout('main');
    repo.commit('main', { 'db/0002_a.sql': 'SELECT 4;\n' });
    expect(() => repo.git('merge', '-q', 'other')).toThrow();
    await expect(check(repo, rename)).rejects.toThrow('refusing to fix: db/0002_a.sql has unresolved merge conflicts');
    await expect(check(repo, rename, { allowDirty: true })).resolves.toBeUndefined();
  });

  it('a file name with glob characters is matched literally', async () => {
    const repo = repoWith({ 'db/0002_[a].sql': 'SELECT 2;\n', 'db/0002_a.sql': 'SELECT 2;\n' });
    repo.write({ 'db/0002_a.sql': 'SELECT 22;\n' });
    await expect(check(repo, [{ kind: 'rename', from: 'db/0002_[a].sql', to: 'db/0004_[a].sql' }])).resolves.toBeUndefined();
  });
});
