/**
 * The conventions users bring from other linters: --fail-on, --max-warnings, --quiet, --output-file,
 * --version; GitHub Actions annotations and step summary; `migrate-lint init`. The built CLI, spawned.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO } from '../helpers/python.js';
import { WORKFLOW_YAML } from '../../src/github/workflow.js';
import { VERSION } from '../../src/version.js';
import { tempTree } from '../helpers/files.js';

const BIN = path.join(REPO, 'bin/migrate-lint.js');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tree = (files: Record<string, string>) => tempTree(files, 'ml-conv-');

// One error (index-not-concurrent) and, with require-lock-timeout on as a warning, two warnings.
const SQL = { 'db/migrations/0001_a.sql': 'CREATE INDEX orders_status_idx ON orders (status);\n', 'db/migrations/0002_b.sql': 'ALTER TABLE orders ADD COLUMN note text;\n' };
const WARN = ['--rule', 'require-lock-timeout=warning', '--no-color'];

describe('exit codes and filters', () => {
  it('--fail-on: error by default; warning and info lower the bar; never never fails', () => {
    const warningsOnly = tree(SQL);
    const args = ['check', ...WARN, '--rule', 'index-not-concurrent=off'];
    expect(cli(args, warningsOnly).code).toBe(0);
    expect(cli([...args, '--fail-on', 'warning'], warningsOnly).code).toBe(1);
    expect(cli([...args, '--fail-on', 'info'], warningsOnly).code).toBe(1);
    expect(cli(['check', ...WARN, '--fail-on', 'never'], warningsOnly).code).toBe(0);
    const bad = cli([...args, '--fail-on', 'fatal'], warningsOnly);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'fatal' is invalid");
  });

  it('--max-warnings n: exit 1 with more than n warnings', () => {
    const dir = tree(SQL);
    const args = ['check', ...WARN, '--rule', 'index-not-concurrent=off'];
    expect(cli([...args, '--max-warnings', '2'], dir).code).toBe(0);
    expect(cli([...args, '--max-warnings', '1'], dir).code).toBe(1);
    expect(cli([...args, '--max-warnings', 'x'], dir).code).toBe(2);
  });

  it('--quiet shows errors only; warnings still count', () => {
    const dir = tree(SQL);
    const r = cli(['check', ...WARN, '--quiet', '--format', 'json'], dir);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string }[] };
    expect(report.findings.map((f) => f.severity)).toEqual(['error']);
    expect(r.code).toBe(1);
    const quietWarnings = cli(['check', ...WARN, '--rule', 'index-not-concurrent=off', '--quiet', '--max-warnings', '0'], dir);
    expect(quietWarnings.code).toBe(1);
    expect(quietWarnings.stdout).not.toContain('require-lock-timeout');
  });

  it('--output-file writes the report there and nothing to standard output', () => {
    const dir = tree(SQL);
    const r = cli(['check', '--format', 'json', '-o', 'out/report.json'], dir);
    expect(r.code).toBe(2); // the folder does not exist: an I/O error, said plainly
    expect(r.stderr).toMatch(/^migrate-lint: cannot write .*report\.json: ENOENT/);
    const ok = cli(['check', '--format', 'json', '-o', 'report.json'], dir);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).findings).toHaveLength(1);
  });

  it('a reader that goes away (| head) ends nothing early and prints no stack: the exit code is the run\'s', async () => {
    const dir = tree(SQL);
    for (const format of ['stylish', 'json']) {
      const child = spawn(process.execPath, [BIN, 'check', '--format', format], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
      // Closed before the child writes anything: every write it makes meets EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(1);
    }
  });

  it('--version prints the version', () => {
    const r = cli(['--version'], tmpdir());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });
});

describe('inside GitHub Actions', () => {
  const env = (dir: string) => ({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') });

  it('stylish output is followed by annotations, and the job summary gets the Markdown report', () => {
    const dir = tree(SQL);
    writeFileSync(path.join(dir, 'summary.md'), '# earlier step\n');
    const r = cli(['check', '--no-color'], dir, env(dir));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ 1 problem');
    expect(r.stdout).toMatch(/^::error file=db\/migrations\/0001_a\.sql,line=1,/m);
    const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(summary.startsWith('# earlier step\n')).toBe(true); // appended, never overwritten
    expect(summary).toContain('index-not-concurrent');
  });

  it('a machine-readable format keeps standard output to itself; annotations go to standard error', () => {
    const dir = tree(SQL);
    const r = cli(['check', '--format', 'sarif'], dir, env(dir));
    expect(JSON.parse(r.stdout).version).toBe('2.1.0');
    expect(r.stderr).toMatch(/^::error file=db\/migrations\/0001_a\.sql/m);
  });

  it('--format github prints the annotations once', () => {
    const dir = tree(SQL);
    const r = cli(['check', '--format', 'github'], dir, env(dir));
    expect(r.stdout.match(/^::error /gm)).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  it('outside Actions nothing extra is written', () => {
    const dir = tree(SQL);
    const r = cli(['check', '--no-color'], dir, { GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') });
    expect(r.stdout).not.toContain('::error');
    expect(existsSync(path.join(dir, 'summary.md'))).toBe(false);
  });
});

describe('migrate-lint init', () => {
  it('writes a valid starter configuration listing the detected sets, the workflow and a pre-commit config', () => {
    const dir = tree(SQL);
    const r = cli(['init'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('created migrate-lint.config.yaml\ncreated .github/workflows/migrate-lint.yml\ncreated .pre-commit-config.yaml\n');
    const config = readFileSync(path.join(dir, 'migrate-lint.config.yaml'), 'utf8');
    expect(config).toContain('#   - framework: sql\n#     path: db/migrations');
    expect(readFileSync(path.join(dir, '.github/workflows/migrate-lint.yml'), 'utf8')).toBe(WORKFLOW_YAML);
    const preCommit = parseYaml(readFileSync(path.join(dir, '.pre-commit-config.yaml'), 'utf8')) as { repos: { hooks: { id: string }[] }[] };
    expect(preCommit.repos[0]!.hooks[0]!.id).toBe('migrate-lint');
    // The starter configuration is itself valid, and check reads it.
    expect(cli(['check', '--no-color'], dir).code).toBe(1);
    const asJson = cli(['check', '--format', 'json'], dir);
    expect(asJson.stderr).toBe('');
  });

  it('never overwrites: existing files are left byte for byte, and the pre-commit entry is printed instead', () => {
    const dir = tree({ ...SQL, 'package.json': '{"migrate-lint": {}}', '.pre-commit-config.yaml': 'repos: []\n', '.github/workflows/migrate-lint.yml': 'mine\n' });
    const r = cli(['init'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('skipped package.json ("migrate-lint" key): a configuration exists');
    expect(r.stdout).toContain('skipped .github/workflows/migrate-lint.yml: it exists');
    expect(r.stdout).toContain('skipped .pre-commit-config.yaml: it exists');
    expect(r.stdout).toContain('add to .pre-commit-config.yaml under repos:\n  - repo: https://github.com/migrate-lint/migrate-lint');
    expect(existsSync(path.join(dir, 'migrate-lint.config.yaml'))).toBe(false);
    expect(readFileSync(path.join(dir, '.pre-commit-config.yaml'), 'utf8')).toBe('repos: []\n');
    expect(readFileSync(path.join(dir, '.github/workflows/migrate-lint.yml'), 'utf8')).toBe('mine\n');
  });
});
