/**
 * `npm run bench`: measures `migrate-lint check` and `graph` on generated Django trees and writes
 * BENCHMARKS.md. Wall time of the whole CLI process (Node start-up included), median of 5 runs after one
 * warm-up, with min–max; peak memory (max RSS) from the child's resource usage. Never run by the tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDjangoTree } from './generate-django.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/migrate-lint.js');

interface Measure {
  median: number;
  min: number;
  max: number;
  rssMb: number | null;
}

/** GNU time reports a child's peak RSS; where it is missing, memory is reported as n/a. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function measure(args: string[], cwd: string, runs = 5): Measure {
  const times: number[] = [];
  let rss: number | null = null;
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) throw r.error;
    if (i === 0) continue; // warm-up: file-system cache
    times.push(ms);
  }
  if (GNU_TIME) {
    // A separate run for memory, so that time's own start-up is not in the timings above.
    const r = spawnSync(GNU_TIME, ['-f', '%M', process.execPath, BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const kb = Number(r.stderr.trim().split('\n').pop());
    if (Number.isFinite(kb)) rss = kb / 1024;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]!, rssMb: rss };
}

function nodeFloor(cwd: string): Measure {
  return measure(['--version'], cwd);
}

const fmt = (m: Measure) => `${m.median.toFixed(0)} ms (${m.min.toFixed(0)}–${m.max.toFixed(0)})`;

function main(): void {
  const trees = [
    { name: 'Django, 300 migrations (6 apps × 50)', apps: 6, perApp: 50 },
    { name: 'Django, 1,000 migrations (20 apps × 50), one conflict', apps: 20, perApp: 50, conflict: true },
  ];
  const rows: string[] = [];
  for (const t of trees) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-bench-'));
    try {
      const n = generateDjangoTree(dir, t);
      const check = measure(['check', '--format', 'json'], dir);
      const graph = measure(['graph', '--format', 'json'], dir);
      // The same tree committed to git and checked as a branch of itself: what --base costs on top of
      // check (the branch point and the merged view are both read, from git).
      for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'tree']]) {
        spawnSync('git', args, { cwd: dir, stdio: 'ignore' });
      }
      const base = measure(['check', '--base', 'main', '--format', 'json'], dir);
      const floor = nodeFloor(dir);
      const peak = [check, graph, base].every((m) => m.rssMb !== null) ? `${Math.max(check.rssMb!, graph.rssMb!, base.rssMb!).toFixed(0)} MB` : 'n/a';
      rows.push(`| ${t.name} | ${n} | ${fmt(check)} | ${fmt(base)} | ${fmt(graph)} | ${fmt(floor)} | ${peak} |`);
      process.stdout.write(`${t.name}: check ${fmt(check)}, check --base ${fmt(base)}, graph ${fmt(graph)}, node+cli start ${fmt(floor)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const md = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts). Wall time of the whole \`migrate-lint\` process, Node start-up
included: median of 5 runs after one warm-up, min–max in brackets. Peak memory is the largest max RSS of
the process (GNU time, %M). "CLI start" is \`migrate-lint --version\`: the floor every command pays.

Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.

| tree | migrations | \`check\` | \`check --base main\` | \`graph\` | CLI start | peak memory |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets from the issues: a 300-migration Django tree checked in well under a second. The comparison with
Django's own loader, squawk and the byte-reading floor comes with the benchmarks issue.
`;
  writeFileSync(path.join(REPO, 'BENCHMARKS.md'), md);
}

main();
