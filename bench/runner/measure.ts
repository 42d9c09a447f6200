/**
 * Measuring one process: wall time from spawn to exit, as the user waits for it, and the child's own peak
 * memory. Peak RSS comes from GNU time (`/usr/bin/time -f %M`), which reads the child's rusage when it is
 * reaped: the measured process's peak, never the runner's. Every measured run goes through GNU time, so
 * time and memory come from the same runs and every tool pays the same ~1 ms for time's own exec.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Command {
  cmd: string;
  args: string[];
  cwd: string;
  /** Added to the runner's environment. */
  env?: Record<string, string | undefined>;
  /** Exit codes that mean the tool worked (a linter exits 1 when it finds something). */
  okCodes?: number[];
  /** Where standard output goes: discarded (default), kept in `Sample.stdout`, or written to a file. */
  stdout?: 'ignore' | 'capture' | { file: string };
}

export interface Sample {
  ms: number;
  rssMb: number | null;
  stdout: string;
}

export interface Measure {
  median: number;
  min: number;
  max: number;
  /** Largest peak RSS over the measured runs. */
  rssMb: number | null;
  runs: number;
}

export const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export function runOnce(c: Command): Sample {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-measure-'));
  const rssFile = path.join(dir, 'rss');
  const out = typeof c.stdout === 'object' ? openSync(c.stdout.file, 'w') : c.stdout === 'capture' ? 'pipe' : 'ignore';
  try {
    const [cmd, args] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, c.cmd, ...c.args]] : [c.cmd, c.args];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: c.cwd, env: { ...process.env, ...c.env }, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) throw r.error;
    if (!(c.okCodes ?? [0]).includes(r.status ?? -1)) {
      throw new Error(`${[c.cmd, ...c.args].join(' ').slice(0, 300)} exited with ${r.status ?? r.signal} in ${c.cwd}:\n${r.stderr.slice(-2000)}`);
    }
    // GNU time writes "Command exited with non-zero status N" before the figure when the tool exits non-zero.
    const kb = GNU_TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
    return { ms, rssMb: Number.isFinite(kb) ? kb / 1024 : null, stdout: r.stdout ?? '' };
  } finally {
    if (typeof out === 'number') closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function summarise(samples: readonly Sample[]): Measure {
  if (samples.length === 0) throw new Error('no samples');
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  const rss = samples.map((s) => s.rssMb).filter((r): r is number => r !== null);
  return { median: median(times), min: times[0]!, max: times[times.length - 1]!, rssMb: rss.length ? Math.max(...rss) : null, runs: samples.length };
}

export function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `warmup` unmeasured runs (the OS file cache), then `runs` measured ones. */
export function measure(cmd: Command, opts: { runs: number; warmup: number }): Measure {
  for (let i = 0; i < opts.warmup; i++) runOnce(cmd);
  return summarise(Array.from({ length: opts.runs }, () => runOnce(cmd)));
}
