import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintAndRender, type LintOptions, type LintResult } from '../../src/api.js';
import { run } from '../../src/cli/main.js';
import { addTextField, SHOP_PROJECT, tempTree } from '../helpers/files.js';
import { TempRepo } from '../helpers/git-repo.js';

const dirs: string[] = [];
const cacheDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ml-run-cache-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** lintAndRender with a render that counts its calls and returns the findings' fingerprints. */
function counted() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    render: (r: LintResult) => {
      calls++;
      return r.findings.map((f) => `${f.ruleId} ${f.file}`);
    },
  };
}

const LEAF = (name: string) => `from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('shop', '0003_a')]
    operations = []
# ${name}
`;

describe('stored runs (lintAndRender with cacheDir)', () => {
  it('a second run over an unchanged tree returns the stored output without linting', async () => {
    const root = tempTree(SHOP_PROJECT);
    const opts: LintOptions = { cwd: root, cacheDir: cacheDir() };
    const r = counted();
    const first = await lintAndRender(opts, 'k', r.render);
    const second = await lintAndRender(opts, 'k', r.render);
    expect(r.calls).toBe(1);
    expect(second).toEqual(first);
    // Another rendering is another entry.
    await lintAndRender(opts, 'other', r.render);
    expect(r.calls).toBe(2);
  });

  it('a migration edited to other bytes of the same size is linted again (content checked when stat cannot be trusted)', async () => {
    const root = tempTree({ ...SHOP_PROJECT, 'shop/migrations/0002_a.py': LEAF('aaaa') });
    const opts: LintOptions = { cwd: root, cacheDir: cacheDir() };
    const r = counted();
    expect(await lintAndRender(opts, 'k', r.render)).toEqual([]);
    // A second leaf, same size as the first: the conflict must now be found.
    writeFileSync(path.join(root, 'shop/migrations/0002_a.py'), LEAF('bbbb'));
    expect(await lintAndRender(opts, 'k', r.render)).toEqual([]);
    expect(r.calls).toBe(2);
    writeFileSync(path.join(root, 'shop/migrations/0002_b.py'), LEAF('cccc'));
    expect((await lintAndRender(opts, 'k', r.render)).filter((f) => f.startsWith('conflicting-leaves'))).toHaveLength(1);
    expect(r.calls).toBe(3);
  });

  it('trusts stat only for files settled before the run was stored, and sees an edit whose mtime was put back', async () => {
    const root = tempTree({ ...SHOP_PROJECT, 'shop/migrations/0004_a.py': LEAF('aaaa'), 'shop/migrations/0005_b.py': addTextField('note', '0004_a') });
    // Stat is trusted for a file whose times are over 2 s older than the stored run (git's racy-clean rule).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const opts: LintOptions = { cwd: root, cacheDir: cacheDir() };
    const r = counted();
    await lintAndRender(opts, 'k', r.render);
    await lintAndRender(opts, 'k', r.render);
    expect(r.calls).toBe(1);
    // Same size, same mtime as before: only the change time (and content) tell.
    const file = path.join(root, 'shop/migrations/0004_a.py');
    const before = statSync(file, { bigint: true });
    writeFileSync(file, readFileSync(file, 'utf8').replace('aaaa', 'zzzz'));
    // touch keeps nanoseconds, which utimes (a double of seconds) does not.
    execFileSync('touch', ['-m', '-d', `@${before.mtimeNs / 1_000_000_000n}.${String(before.mtimeNs % 1_000_000_000n).padStart(9, '0')}`, file]);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    await lintAndRender(opts, 'k', r.render);
    expect(r.calls).toBe(2);
  });

  it('a new file anywhere in the tree, or other options, make a new run', async () => {
    const root = tempTree(SHOP_PROJECT);
    const dir = cacheDir();
    const r = counted();
    await lintAndRender({ cwd: root, cacheDir: dir }, 'k', r.render);
    writeFileSync(path.join(root, 'README.md'), 'hello\n');
    await lintAndRender({ cwd: root, cacheDir: dir }, 'k', r.render);
    expect(r.calls).toBe(2);
    await lintAndRender({ cwd: root, cacheDir: dir, rules: { 'conflicting-leaves': 'off' } }, 'k', r.render);
    expect(r.calls).toBe(3);
    await lintAndRender({ cwd: root, cacheDir: dir, target: { pgVersion: 11 } }, 'k', r.render);
    expect(r.calls).toBe(4);
  });

  it('a changed configuration file makes a new run', async () => {
    const root = tempTree({ ...SHOP_PROJECT, 'migrate-lint.config.json': '{"rules": {"conflicting-leaves": "warning"}}\n', 'shop/migrations/0002_a.py': LEAF('a'), 'shop/migrations/0002_b.py': LEAF('b') });
    const opts: LintOptions = { cwd: root, cacheDir: cacheDir() };
    const severity = (r: LintResult) => r.findings.filter((f) => f.ruleId === 'conflicting-leaves').map((f) => f.severity);
    expect(await lintAndRender(opts, 'k', severity)).toEqual(['warning']);
    writeFileSync(path.join(root, 'migrate-lint.config.json'), '{"rules": {"conflicting-leaves": "error"}}\n');
    expect(await lintAndRender(opts, 'k', severity)).toEqual(['error']);
  });

  it('without cacheDir nothing is stored or written', async () => {
    const root = tempTree(SHOP_PROJECT);
    const r = counted();
    await lintAndRender({ cwd: root }, 'k', r.render);
    await lintAndRender({ cwd: root }, 'k', r.render);
    expect(r.calls).toBe(2);
  });

  it('--base: a new commit on the target, or an edit in the working tree, makes a new run', async () => {
    const repo = TempRepo.create();
    dirs.push(repo.dir);
    repo.commit('init', SHOP_PROJECT);
    repo.checkout('feature', { create: true });
    repo.commit('feature leaf', { 'shop/migrations/0002_feature.py': LEAF('feature') });
    const opts: LintOptions = { cwd: repo.dir, base: 'main', cacheDir: cacheDir() };
    const r = counted();
    expect(await lintAndRender(opts, 'k', r.render)).toEqual([]);
    expect(await lintAndRender(opts, 'k', r.render)).toEqual([]);
    expect(r.calls).toBe(1);
    repo.checkout('main');
    repo.commit('main leaf', { 'shop/migrations/0002_main.py': LEAF('main') });
    repo.checkout('feature');
    expect((await lintAndRender(opts, 'k', r.render)).filter((f) => f.startsWith('conflicting-leaves'))).toHaveLength(1);
    expect(r.calls).toBe(2);
    writeFileSync(path.join(repo.dir, 'shop/migrations/0002_feature.py'), LEAF('edited'));
    await lintAndRender(opts, 'k', r.render);
    expect(r.calls).toBe(3);
    await lintAndRender(opts, 'k', r.render);
    expect(r.calls).toBe(3);
  });

  it('a baseline stores no run (the ref can move)', async () => {
    const repo = TempRepo.create();
    dirs.push(repo.dir);
    repo.commit('init', { ...SHOP_PROJECT, 'migrate-lint.config.json': '{"baseline": "main"}\n' });
    const r = counted();
    const opts: LintOptions = { cwd: repo.dir, cacheDir: cacheDir() };
    await lintAndRender(opts, 'k', r.render);
    await lintAndRender(opts, 'k', r.render);
    expect(r.calls).toBe(2);
  });
});

describe('the CLI and the cache', () => {
  async function cli(args: string[], cwd: string) {
    let stdout = '';
    const code = await run(args, { cwd, env: {}, isTTY: false, stdout: (s) => (stdout += s), stderr: () => {} });
    return { code, stdout };
  }

  it('check prints the same report and exits the same from a stored run; --no-cache writes nothing', async () => {
    const root = tempTree({ ...SHOP_PROJECT, 'shop/migrations/0002_a.py': LEAF('a'), 'shop/migrations/0002_b.py': LEAF('b') });
    const dir = cacheDir();
    const cold = await cli(['check', '--cache-dir', dir], root);
    expect(readdirSync(dir).some((f) => f.endsWith('.runs.bin'))).toBe(true);
    const warm = await cli(['check', '--cache-dir', dir], root);
    expect(cold.code).toBe(1);
    expect(warm).toEqual(cold);
    const json = await cli(['check', '--format', 'json', '--cache-dir', dir], root);
    expect(JSON.parse(json.stdout).findings.length).toBeGreaterThan(0);
    const none = cacheDir();
    expect((await cli(['check', '--no-cache', '--cache-dir', none], root)).code).toBe(1);
    expect(readdirSync(none)).toEqual([]);
  });

  it('graph output comes from the cache the same', async () => {
    const root = tempTree(SHOP_PROJECT);
    const dir = cacheDir();
    const cold = await cli(['graph', '--cache-dir', dir], root);
    expect(await cli(['graph', '--cache-dir', dir], root)).toEqual(cold);
    expect(cold.stdout).toMatch(/0001_initial/);
  });
});
