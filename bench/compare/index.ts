/**
 * What migrate-lint is measured against, on the same trees in the same run: Django's own loader, squawk,
 * and the floor (reading every byte, plus Node's start-up). Each comparator is a whole process, start-up
 * included, as ours is. A tool that is not installed is reported as unavailable with the reason, never
 * replaced by a number.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, runOnce, summarise, type Measure, type Sample } from '../runner/measure.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..').replace(/\/dist$/, '');
const HERE = path.join(REPO, 'bench/compare');

export interface Unavailable {
  unavailable: string;
}

export interface RunOptions {
  runs: number;
  warmup: number;
}

// ---------------------------------------------------------------------------------------------------
// The floor

/** `node -e ''`: what any Node CLI pays before its first line runs. */
export function nodeStart(opts: RunOptions): Measure {
  return measure({ cmd: process.execPath, args: ['-e', ''], cwd: REPO }, opts);
}

/**
 * `cat` of every file, one process: xargs reads the NUL-separated list from a file, with `-s` large enough
 * that it starts `cat` once (GNU xargs otherwise splits at 128 KiB of arguments).
 */
export function catFloor(root: string, files: readonly string[], opts: RunOptions): { measure: Measure; cats: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-floor-'));
  try {
    const list = path.join(dir, 'files');
    writeFileSync(list, files.map((f) => `${f}\0`).join(''));
    const argBytes = files.reduce((n, f) => n + Buffer.byteLength(f) + 1, 'cat'.length + 1);
    const limit = 2_000_000; // under this system's 2 MiB ARG_MAX minus the environment (xargs --show-limits)
    const m = measure({ cmd: 'xargs', args: ['-0', '-a', list, '-s', String(Math.min(argBytes + 4096, limit)), 'cat'], cwd: root }, opts);
    return { measure: m, cats: Math.ceil(argBytes / limit) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The git case: every blob of HEAD's tree through one `git cat-file --batch`, as migrate-lint reads revisions. */
export function gitBlobFloor(root: string, opts: RunOptions): Measure {
  return measure({ cmd: 'sh', args: ['-c', 'git ls-tree -r --object-only HEAD | git cat-file --batch > /dev/null'], cwd: root }, opts);
}

// ---------------------------------------------------------------------------------------------------
// Django's MigrationLoader

export interface DjangoCompared {
  version: string;
  /** Whole process, Python start-up included; no bytecode for the migrations (PYTHONDONTWRITEBYTECODE=1). */
  cold: Measure;
  /** Whole process with Python's bytecode cache kept between runs (PYTHONPYCACHEPREFIX): Python's default. */
  warm: Measure;
  /** The loader's own time, measured inside Python around MigrationLoader + detect_conflicts. */
  insideCold: Measure;
  insideWarm: Measure;
  nodes: number;
  conflicts: Record<string, string[]>;
}

export function pythonWithDjango(): string | Unavailable {
  const py = process.env.MIGRATE_LINT_PYTHON ?? path.join(REPO, '.venv/bin/python');
  if (!existsSync(py)) return { unavailable: `no Python venv at ${py} (python3 -m venv .venv && .venv/bin/pip install django)` };
  const r = spawnSync(py, ['-c', 'import django'], { encoding: 'utf8' });
  return r.status === 0 ? py : { unavailable: `${py} has no Django: ${r.stderr.trim().split('\n').pop()}` };
}

export function djangoLoader(root: string, settings: string, opts: RunOptions): DjangoCompared | Unavailable {
  const py = pythonWithDjango();
  if (typeof py !== 'string') return py;
  const prefix = mkdtempSync(path.join(tmpdir(), 'ml-pycache-'));
  try {
    const run = (env: Record<string, string | undefined>) => ({ cmd: py, args: [path.join(HERE, 'django_loader.py'), root, settings], cwd: root, env, stdout: 'capture' as const });
    // Warm first: its warm-up writes the bytecode (the migrations' and Django's own) under the prefix and
    // leaves Python's files in the OS cache for the cold runs, which compile every migration module.
    const warmRun = run({ PYTHONDONTWRITEBYTECODE: undefined, PYTHONPYCACHEPREFIX: prefix });
    for (let i = 0; i < Math.max(1, opts.warmup); i++) runOnce(warmRun);
    const warm = Array.from({ length: opts.runs }, () => runOnce(warmRun));
    const cold = Array.from({ length: opts.runs }, () => runOnce(run({ PYTHONDONTWRITEBYTECODE: '1', PYTHONPYCACHEPREFIX: undefined })));
    const parsed = (s: Sample) => JSON.parse(s.stdout) as { loaderMs: number; nodes: number; conflicts: Record<string, string[]>; django: string };
    const inside = (samples: Sample[]) => summarise(samples.map((s) => ({ ms: parsed(s).loaderMs, rssMb: null, stdout: '' })));
    const last = parsed(cold[cold.length - 1]!);
    return { version: last.django, cold: summarise(cold), warm: summarise(warm), insideCold: inside(cold), insideWarm: inside(warm), nodes: last.nodes, conflicts: last.conflicts };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// squawk

/** The squawk release measured; its binary is fetched on demand (see `squawkBinary`). */
export const SQUAWK_VERSION = '2.66.0';

let squawkFound: { bin: string; version: string } | Unavailable | undefined;

/**
 * The native binary of squawk. The npm package `squawk-cli` ships it in per-platform optional packages
 * (`@squawk-cli/linux-x64`, no install script); it cannot be a devDependency here, because the registry this
 * project installs from records only this platform's package and `npm ci` then rejects the lockfile. So the
 * bench installs the platform package alone into a temporary prefix, once per run, and runs the binary
 * directly (the package's `squawk` command is a Node wrapper that spawns it, and its Node start-up is not
 * squawk's cost). `SQUAWK_BIN` names a binary to use instead.
 */
export function squawkBinary(): { bin: string; version: string } | Unavailable {
  if (squawkFound) return squawkFound;
  let bin = process.env.SQUAWK_BIN;
  if (!bin) {
    const pkg = `@squawk-cli/${process.platform}-${process.arch}@${SQUAWK_VERSION}`;
    const prefix = path.join(tmpdir(), `migrate-lint-bench-squawk-${SQUAWK_VERSION}`);
    bin = path.join(prefix, 'node_modules', '@squawk-cli', `${process.platform}-${process.arch}`, 'bin', 'squawk');
    if (!existsSync(bin)) {
      const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', pkg], { encoding: 'utf8' });
      if (r.status !== 0 || !existsSync(bin)) return (squawkFound = { unavailable: `npm install ${pkg} failed: ${(r.error?.message ?? r.stderr).trim().split('\n').pop()}` });
    }
  }
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return (squawkFound = { unavailable: `${bin} --version failed: ${r.error?.message ?? r.stderr.trim()}` });
  return (squawkFound = { bin, version: r.stdout.trim() });
}

export interface SquawkCompared {
  version: string;
  measure: Measure;
  files: number;
  argBytes: number;
}

/** One squawk process over every file, the paths (relative to `root`) passed as its argument list. */
export function squawk(root: string, files: readonly string[], opts: RunOptions): SquawkCompared | Unavailable {
  const sq = squawkBinary();
  if ('unavailable' in sq) return sq;
  const argBytes = files.reduce((n, f) => n + Buffer.byteLength(f) + 1, 0);
  // squawk exits 1 when it reports something; JSON output, as ours is measured with --format json.
  const m = measure({ cmd: sq.bin, args: ['--reporter', 'json', ...files], cwd: root, okCodes: [0, 1] }, opts);
  return { version: sq.version, measure: m, files: files.length, argBytes };
}
