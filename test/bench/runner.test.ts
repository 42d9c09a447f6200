/**
 * Smoke test of the benchmark runner (bench/runner/, bench/compare/): every tree at a tiny size, one run
 * each. No timing assertions — only that the report has every section, a row per tree, and the comparators'
 * rows where their tools are installed. `npm run bench` is never run here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonWithDjango, squawkBinary } from '../../bench/compare/index.js';
import { runBench, TREES, type BenchReport } from '../../bench/runner/bench.js';
import { profileIn, summariseProfile } from '../../bench/runner/profile.js';
import { SECTIONS } from '../../bench/runner/render.js';

const hasDjango = typeof pythonWithDjango() === 'string';
// squawk is installed on demand from the npm registry (bench/compare: squawkBinary); offline it is named as skipped.
const squawkFound = squawkBinary();
const hasSquawk = !('unavailable' in squawkFound);

describe('benchmark runner on tiny trees', () => {
  let dir: string;
  let report: BenchReport;
  let md: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ml-bench-test-'));
    const out = path.join(dir, 'BENCHMARKS.md');
    report = await runBench({ size: 'tiny', runs: 1, profile: false, out });
    md = readFileSync(out, 'utf8');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every section, in order, and a row per tree', () => {
    const at = SECTIONS.map((s) => md.indexOf(`\n${s}\n`));
    expect(at.every((i) => i > 0), `sections found at ${at.join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const t of TREES) {
      expect(md).toContain(`\n| ${t.label} | `); // the trees table
      expect(md).toContain(`\n### ${t.label}: `); // its results
      expect(report.targets.some((x) => x.tree === t.label && x.figure.startsWith('check (cold) vs the floor'))).toBe(true);
    }
    expect(md).toMatch(/`check --base main`, cold \| \d/);
    expect(md).toMatch(/\| (met|\*\*NOT met\*\*) \|/);
  });

  it.skipIf(!hasDjango)(`compares with Django's loader on the Django tree${hasDjango ? '' : ' (skipped: no .venv Python with Django)'}`, () => {
    const django = report.trees.find((t) => t.kind === 'django')!.django!;
    expect('unavailable' in django ? django.unavailable : null).toBeNull();
    expect(md).toContain("Django's `MigrationLoader` + `detect_conflicts`");
    expect(md).toContain("check (cold) vs Django's loader");
  });

  it.skipIf(!hasSquawk)(`compares with squawk on the Prisma SQL${'unavailable' in squawkFound ? ` (skipped: ${squawkFound.unavailable})` : ''}`, () => {
    const squawk = report.trees.find((t) => t.kind === 'prisma')!.squawk!;
    expect('unavailable' in squawk ? squawk.unavailable : null).toBeNull();
    expect(md).toMatch(/SQL throughput: check \(cold\) vs squawk .*stmt\/s/);
  });
});

describe('CPU profile summary', () => {
  it('attributes self time to the function that spent it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-prof-test-'));
    try {
      const busy = 'function busyLoop() { let x = 0; for (let i = 0; i < 5e7; i++) x += i % 7; return x; } busyLoop();';
      const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '-e', busy]);
      expect(r.status).toBe(0);
      const summary = summariseProfile(profileIn(dir));
      expect(summary.functions[0]!.name).toMatch(/^busyLoop /);
      expect(summary.functions[0]!.share).toBeGreaterThan(0.3);
      expect(summary.areas.length).toBeGreaterThan(0);
      expect(summary.phases.reduce((n, p) => n + p.share, 0)).toBeCloseTo(1, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the modules the bundle was made of, through its source maps', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-prof-test-'));
    try {
      const repo = path.resolve(__dirname, '../..');
      const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '100', path.join(repo, 'bin/migrate-lint.js'), 'check', 'fixtures/django-conflict', '--no-cache', '--format', 'json'];
      const r = spawnSync(process.execPath, args, { cwd: repo });
      expect(r.status).toBe(1);
      const summary = summariseProfile(profileIn(dir), 200, repo);
      const share = (re: RegExp) => summary.functions.filter((f) => re.test(f.name)).reduce((n, f) => n + f.share, 0);
      // Our modules and the bundled packages by name; what stays in the bundle's files is only what no source
      // has (each module's top level, the bundler's runtime): about 2% of this run, against 20% named.
      const named = share(/ (dist\/(src|rules)\/|node_modules\/(@lezer|commander|@dagrejs)\/)/);
      const unmapped = share(/ dist\/(migrate-lint\.mjs|chunks\/)/);
      expect(named).toBeGreaterThan(0.08);
      expect(unmapped).toBeLessThan(named / 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
