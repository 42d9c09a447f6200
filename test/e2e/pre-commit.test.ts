/**
 * The hook in .pre-commit-hooks.yaml with the real pre-commit framework (pip-installed into .venv by
 * .ci/run): a snapshot of this repository is committed to a temporary git repository (pre-commit clones a
 * repo at a rev, so uncommitted work must be committed somewhere), a Django project names it in its
 * .pre-commit-config.yaml, and `git commit` runs the hook. pre-commit installs a `language: node` hook with
 * `npm install -g git+file://<clone>`, which builds the package through its `prepare` script: this test is
 * what proves that path works (see the `prepare` script in package.json and docs/github-action.md).
 *
 * PRE_COMMIT_HOME and HOME are temporary; npm's download cache is the user's (npm ci fills it), so the
 * packages are not fetched again. Installing the environment takes a minute or more (npm install of the
 * devDependencies, tsc, then the global install).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHOP_PROJECT, addTextField } from '../helpers/files.js';
import { gitEnv, TempRepo } from '../helpers/git-repo.js';
import { REPO } from '../helpers/python.js';

const PRE_COMMIT = path.join(REPO, '.venv/bin/pre-commit');
/** What `tsc -p tsconfig.json` and `npm install` need; not tests, fixtures or docs. */
const PACKAGE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', '.pre-commit-hooks.yaml', 'README.md', 'bin', 'src', 'rules', 'scripts', 'bench'];

/** What npm needs to reach the registry from this machine (a proxy, its certificate authority). */
const NETWORK_ENV = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|npm_config_(registry|cafile|proxy|https_proxy|noproxy|strict_ssl))$/;

const cleanup: string[] = [];
afterAll(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

const field = addTextField;

/** This repository's current files, committed: what `repo:` and `rev:` point at. */
function hookRepository(): { dir: string; rev: string } {
  const repo = TempRepo.create('ml-precommit-hook-');
  cleanup.push(repo.dir);
  for (const f of PACKAGE_FILES) cpSync(path.join(REPO, f), path.join(repo.dir, f), { recursive: true });
  return { dir: repo.dir, rev: repo.commit('Snapshot of migrate-lint') };
}

describe(`pre-commit hook with the real pre-commit (skipped only when ${path.relative(REPO, PRE_COMMIT)} is missing; .ci/run installs it)`, () => {
  it.skipIf(!existsSync(PRE_COMMIT))('blocks a commit staging a second leaf migration and lets a clean one through', { timeout: 900_000 }, () => {
    const hook = hookRepository();
    const home = mkdtempSync(path.join(tmpdir(), 'ml-precommit-home-'));
    cleanup.push(home);
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => NETWORK_ENV.test(k))),
      ...gitEnv(),
      HOME: home,
      PRE_COMMIT_HOME: path.join(home, 'pre-commit'),
      npm_config_cache: process.env.npm_config_cache ?? path.join(homedir(), '.npm'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    const run = (cwd: string, cmd: string, ...args: string[]) => {
      const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return { code: r.status, out: `${r.stdout}${r.stderr}` };
    };

    const user = TempRepo.create('ml-precommit-user-');
    cleanup.push(user.dir);
    user.commit('Initial', {
      '.pre-commit-config.yaml': `repos:\n  - repo: ${hook.dir}\n    rev: ${hook.rev}\n    hooks:\n      - id: migrate-lint\n`,
      ...SHOP_PROJECT,
    });
    const installed = run(user.dir, PRE_COMMIT, 'install');
    expect(installed.out).toContain('pre-commit installed at .git/hooks/pre-commit');

    const t0 = Date.now();
    // No retry: npm's git-dependency preparation inherits `npm_config_global=true`, so it installs the
    // package globally into the same directory the outer install is extracting the dependencies into; that
    // raced (ENOTEMPTY under load) until package.json bundled its dependencies (`bundleDependencies`), which
    // leaves the outer install nothing to extract until the preparation has finished.
    const env_ = run(user.dir, PRE_COMMIT, 'install-hooks');
    console.log(`pre-commit install-hooks (npm install, tsc, npm install -g): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(env_.out).not.toContain('error');
    expect(env_.code).toBe(0);

    const head = user.git('rev-parse', 'HEAD');
    user.write({ 'shop/migrations/0003_b.py': field('field_b', '0002_add_price') });
    user.git('add', 'shop/migrations/0003_b.py');
    const t1 = Date.now();
    const blocked = run(user.dir, 'git', 'commit', '-m', 'Add field b');
    console.log(`git commit through the hook: ${Date.now() - t1} ms`);
    expect(blocked.out).toMatch(/migrate-lint\.+Failed/);
    expect(blocked.out).toContain('conflicting-leaves');
    expect(blocked.out).toContain('0003_a');
    expect(blocked.out).toContain('0003_b');
    expect(blocked.code).not.toBe(0);
    expect(user.git('rev-parse', 'HEAD')).toBe(head);

    user.git('rm', '-q', '--cached', 'shop/migrations/0003_b.py');
    user.remove('shop/migrations/0003_b.py');
    user.write({ 'shop/migrations/0004_b.py': field('field_b', '0003_a') });
    user.git('add', 'shop/migrations/0004_b.py');
    const ok = run(user.dir, 'git', 'commit', '-m', 'Add field b after a');
    expect(ok.out).toMatch(/migrate-lint\.+Passed/);
    expect(ok.code).toBe(0);
    expect(user.git('log', '-1', '--format=%s').trim()).toBe('Add field b after a');
  });
});
