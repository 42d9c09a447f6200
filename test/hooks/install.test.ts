/**
 * `migrate-lint install-hook` (src/hooks/install.ts) on real temporary git repositories: where the hook
 * goes (core.hooksPath, worktrees), that it never replaces a hook it did not write, that it is idempotent,
 * and that the hook it writes really blocks a commit staging a conflicting Django migration.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitError, UsageError } from '../../src/errors.js';
import { HOOK_MARKER, hookScript, installHook } from '../../src/hooks/install.js';
import { SHOP_PROJECT, addTextField } from '../helpers/files.js';
import { gitEnv, TempRepo } from '../helpers/git-repo.js';
import { REPO } from '../helpers/python.js';

const BIN = path.join(REPO, 'bin/migrate-lint.js');
const cleanup: string[] = [];
afterAll(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(): TempRepo {
  const r = TempRepo.create('ml-hook-');
  cleanup.push(r.dir);
  return r;
}

const field = addTextField;

function djangoRepo(): TempRepo {
  const r = repo();
  r.commit('Initial', {
    '.gitignore': 'node_modules/\n',
    ...SHOP_PROJECT,
  });
  return r;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = gitEnv()) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('installHook', () => {
  it('writes an executable .git/hooks/pre-commit that runs check --staged', async () => {
    const r = repo();
    const result = await installHook(r.dir);
    expect(result.path).toBe(path.join(r.dir, '.git/hooks/pre-commit'));
    expect(result.message).toBe('installed .git/hooks/pre-commit: each commit now runs migrate-lint check --staged (git commit --no-verify skips it)');
    const text = readFileSync(result.path, 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['#!/bin/sh', HOOK_MARKER]);
    expect(text).toContain('exec node_modules/.bin/migrate-lint check --staged');
    expect(statSync(result.path).mode & 0o777).toBe(0o755);
    expect(run('sh', ['-n', result.path], r.dir).code).toBe(0);
  });

  it('refuses to replace a hook it did not write, and leaves it unchanged', async () => {
    const r = repo();
    const hook = path.join(r.dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\nnpx lint-staged\n', { mode: 0o700 });
    const err = await installHook(r.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('.git/hooks/pre-commit already exists and was not written by migrate-lint; leaving it alone');
    expect((err as UsageError).hint).toContain('migrate-lint check --staged');
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nnpx lint-staged\n');
    expect(statSync(hook).mode & 0o777).toBe(0o700);
  });

  it('is idempotent, and rewrites a hook of its own that differs', async () => {
    const r = repo();
    const first = await installHook(r.dir);
    const text = readFileSync(first.path, 'utf8');
    const again = await installHook(r.dir);
    expect(again.message).toBe('.git/hooks/pre-commit is already installed: each commit runs migrate-lint check --staged');
    expect(readFileSync(first.path, 'utf8')).toBe(text);
    writeFileSync(first.path, `#!/bin/sh\n${HOOK_MARKER}\nmigrate-lint check --staged\n`);
    expect((await installHook(r.dir)).message).toMatch(/^updated \.git\/hooks\/pre-commit/);
    expect(readFileSync(first.path, 'utf8')).toBe(text);
  });

  it('follows core.hooksPath, from a subdirectory too, creating the directory', async () => {
    const r = repo();
    r.git('config', 'core.hooksPath', '.githooks');
    mkdirSync(path.join(r.dir, 'shop/migrations'), { recursive: true });
    const result = await installHook(path.join(r.dir, 'shop/migrations'));
    expect(result.path).toBe(path.join(r.dir, '.githooks/pre-commit'));
    expect(result.message).toMatch(/^installed \.githooks\/pre-commit:/);
    expect(existsSync(path.join(r.dir, '.git/hooks/pre-commit'))).toBe(false);
    // Git runs it from there.
    r.write({ 'x.txt': 'x' });
    r.git('add', 'x.txt');
    const commit = run('git', ['commit', '-q', '-m', 'x'], r.dir, { ...gitEnv(), PATH: '/usr/bin:/bin' });
    expect(commit.out).toContain('migrate-lint: not found');
    expect(commit.code).not.toBe(0);
  });

  it('in a linked worktree, writes the hooks directory the worktrees share', async () => {
    const r = repo();
    r.commit('Initial', { 'README.md': 'x\n' });
    const wt = mkdtempSync(path.join(tmpdir(), 'ml-hook-wt-'));
    cleanup.push(wt);
    r.git('worktree', 'add', '-q', path.join(wt, 'w'), '-b', 'other');
    const result = await installHook(path.join(wt, 'w'));
    expect(result.path).toBe(path.join(r.dir, '.git/hooks/pre-commit'));
  });

  it('outside a git repository: a GitError that says where to run it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-hook-nogit-'));
    cleanup.push(dir);
    const err = await installHook(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toBe(`not a git repository: ${dir}`);
  });
});

describe('the hook script', () => {
  it('uses this package when it is inside the repository (a devDependency), by a path from the top', () => {
    const text = hookScript('web/node_modules/migrate-lint/bin/migrate-lint.js');
    expect(text).toContain("if [ -f web/node_modules/migrate-lint/bin/migrate-lint.js ]; then\n  exec node web/node_modules/migrate-lint/bin/migrate-lint.js check --staged\nfi");
    expect(hookScript("it's here/bin.js")).toContain(`exec node 'it'\\''s here/bin.js' check --staged`);
  });

  it('falls back to migrate-lint on PATH, and fails with what to do when there is none', async () => {
    const r = repo();
    const { path: hook } = await installHook(r.dir);
    const binDir = mkdtempSync(path.join(tmpdir(), 'ml-hook-path-'));
    cleanup.push(binDir);
    writeFileSync(path.join(binDir, 'migrate-lint'), '#!/bin/sh\necho "global migrate-lint: $*"\n', { mode: 0o755 });
    expect(run(hook, [], r.dir, { ...gitEnv(), PATH: `${binDir}:/usr/bin:/bin` })).toEqual({ code: 0, out: 'global migrate-lint: check --staged\n' });
    const missing = run(hook, [], r.dir, { ...gitEnv(), PATH: '/usr/bin:/bin' });
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('migrate-lint: not found (this pre-commit hook runs it): run npm install, or npm install --save-dev migrate-lint; git commit --no-verify skips the hook once\n');
  });

  it('blocks a commit that stages a conflicting migration, and lets a clean one through', async () => {
    const r = djangoRepo();
    // As npm installs a devDependency's bin; the hook finds it at the top of the work tree.
    mkdirSync(path.join(r.dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(BIN, path.join(r.dir, 'node_modules/.bin/migrate-lint'));
    await installHook(r.dir);
    const head = r.git('rev-parse', 'HEAD');

    r.write({ 'shop/migrations/0003_b.py': field('field_b', '0002_add_price') });
    r.git('add', 'shop/migrations/0003_b.py');
    const blocked = run('git', ['commit', '-m', 'Add field b'], r.dir);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('conflicting-leaves');
    expect(blocked.out).toContain('0003_a');
    expect(blocked.out).toContain('0003_b');
    expect(r.git('rev-parse', 'HEAD')).toBe(head);

    r.git('rm', '-q', '--cached', 'shop/migrations/0003_b.py');
    r.remove('shop/migrations/0003_b.py');
    r.write({ 'shop/migrations/0004_b.py': field('field_b', '0003_a') });
    r.git('add', 'shop/migrations/0004_b.py');
    const ok = run('git', ['commit', '-q', '-m', 'Add field b after a'], r.dir);
    expect(ok.out).not.toContain('error');
    expect(ok.code).toBe(0);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('Add field b after a');
  });
});

describe('migrate-lint install-hook', () => {
  it('prints what it did; a foreign hook is a usage error (exit 2) with a hint', () => {
    const r = repo();
    const first = spawnSync(process.execPath, [BIN, 'install-hook'], { cwd: r.dir, env: gitEnv(), encoding: 'utf8' });
    expect(first.stdout).toBe('installed .git/hooks/pre-commit: each commit now runs migrate-lint check --staged (git commit --no-verify skips it)\n');
    expect(first.status).toBe(0);
    writeFileSync(path.join(r.dir, '.git/hooks/pre-commit'), '#!/bin/sh\nexit 0\n');
    const second = spawnSync(process.execPath, [BIN, 'install-hook'], { cwd: r.dir, env: gitEnv(), encoding: 'utf8' });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/^migrate-lint: \.git\/hooks\/pre-commit already exists and was not written by migrate-lint; leaving it alone\n {2}hint: /);
  });
});
