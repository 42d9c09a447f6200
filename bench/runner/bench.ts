/**
 * The benchmark run: generates each tree into a temporary directory, measures migrate-lint on it cold and
 * warm, runs the comparators on the same tree, checks the targets of issue 8, profiles where one is missed,
 * and writes the Markdown report. `bench/run.ts` calls it with the full sizes; the smoke test with tiny ones.
 *
 * Cold and warm: every run gets `MIGRATE_LINT_CACHE_DIR`. Cold is a fresh, empty directory (the OS file
 * cache already warm from the warm-up); warm is the next run with the same directory kept, so it finds the
 * parse results and the stored run the cold one wrote (src/discover/store.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { catFloor, djangoLoader, gitBlobFloor, nodeStart, pythonWithDjango, REPO, squawk, squawkBinary, type DjangoCompared, type SquawkCompared, type Unavailable } from '../compare/index.js';
import { GENERATORS, type Kind } from '../generators/index.js';
import { measure, runOnce, summarise, type Command, type Measure, type Sample } from './measure.js';
import { profileIn, summariseProfile, type ProfileSummary } from './profile.js';
import { fmt, ms, renderReport } from './render.js';

const BIN = path.join(REPO, 'bin/migrate-lint.js');

export interface BenchOptions {
  /** `full`: each generator's issue size; `tiny`: a few dozen migrations, for the smoke test. */
  size: 'full' | 'tiny';
  /** Measured runs per figure (the report takes their median). */
  runs: number;
  /** Where the Markdown report is written. */
  out: string;
  /** Profile the commands whose targets are missed (default true). */
  profile?: boolean;
  kinds?: readonly Kind[];
  log?: (line: string) => void;
}

export const TREES: readonly { kind: Kind; label: string; tiny: number }[] = [
  { kind: 'django', label: 'Django', tiny: 40 },
  { kind: 'alembic', label: 'Alembic', tiny: 30 },
  { kind: 'prisma', label: 'Prisma', tiny: 20 },
  { kind: 'knex', label: 'Knex', tiny: 20 },
  { kind: 'typeorm', label: 'TypeORM', tiny: 20 },
  { kind: 'git', label: 'git repository (Django, branch feature)', tiny: 40 },
];

/** The branch the git tree's checked-out branch is compared with (the generator's target branch). */
const TARGET_BRANCH = 'main';

export interface OurFigures {
  checkCold: Measure;
  checkWarm: Measure;
  baseCold: Measure | null;
  baseWarm: Measure | null;
  graphCold: Measure;
  graphWarm: Measure;
  /** Bytes in the cache directory after the first cold `check`: 0 while nothing uses it. */
  cacheBytes: number;
}

export interface TreeResult {
  kind: Kind;
  label: string;
  files: number;
  bytes: number;
  migrations: number;
  generatedMs: number;
  /** Findings and conflicting-leaves findings in our JSON output, from the warm-up runs. */
  findings: number | null;
  conflictFindings: number | null;
  baseConflictFindings: number | null;
  expected: Record<string, unknown>;
  ours: OurFigures;
  floor: { cat: Measure; cats: number; gitBlobs: Measure | null };
  django: DjangoCompared | Unavailable | null;
  squawk: (SquawkCompared & { sqlBytes: number; statements: number | null }) | Unavailable | null;
}

export interface Target {
  tree: string;
  figure: string;
  ours: string;
  theirs: string;
  ratio: number | null;
  goal: string;
  met: boolean;
  /** The command to profile when missed. */
  profile: string[];
}

export interface Profiled {
  tree: string;
  args: string[];
  missed: string[];
  summary: ProfileSummary;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  python: string;
  django: string;
  squawk: string;
  git: string;
}

export interface BenchReport {
  date: string;
  size: 'full' | 'tiny';
  runs: number;
  profiling: boolean;
  machine: Machine;
  load: { start: number[]; end: number[] };
  totalMs: number;
  nodeStart: Measure;
  cliStart: Measure;
  trees: TreeResult[];
  targets: Target[];
  profiles: Profiled[];
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const t0 = process.hrtime.bigint();
  const log = opts.log ?? (() => {});
  const ro = { runs: opts.runs, warmup: 1 };
  const load = loadavg();
  const node = nodeStart(ro);
  const cli = measure({ cmd: process.execPath, args: [BIN, '--version'], cwd: REPO }, ro);
  log(`node -e '': ${node.median.toFixed(0)} ms, migrate-lint --version: ${cli.median.toFixed(0)} ms`);
  const trees: TreeResult[] = [];
  const targets: Target[] = [];
  const profiles: Profiled[] = [];
  for (const spec of TREES.filter((t) => !opts.kinds || opts.kinds.includes(t.kind))) {
    const dir = mkdtempSync(path.join(tmpdir(), `ml-bench-${spec.kind}-`));
    try {
      const tree = await benchTree(spec, path.join(dir, 'tree'), opts, log);
      trees.push(tree);
      const own = targetsOf(tree, node);
      targets.push(...own);
      const missed = own.filter((t) => !t.met);
      for (const args of opts.profile === false ? [] : uniqueCommands(missed)) {
        log(`${spec.label}: profiling ${args.join(' ')}`);
        profiles.push({ tree: spec.label, args, missed: missed.filter((t) => t.profile.join(' ') === args.join(' ')).map((t) => t.figure), summary: profile(path.join(dir, 'tree'), args) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    size: opts.size,
    runs: opts.runs,
    profiling: opts.profile !== false,
    machine: machine(),
    load: { start: load, end: loadavg() },
    totalMs: 0,
    nodeStart: node,
    cliStart: cli,
    trees,
    targets,
    profiles,
  };
  report.totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
  writeFileSync(opts.out, renderReport(report));
  return report;
}

async function benchTree(spec: (typeof TREES)[number], root: string, opts: BenchOptions, log: (line: string) => void): Promise<TreeResult> {
  const ro = { runs: opts.runs, warmup: 1 };
  const g0 = process.hrtime.bigint();
  const tree = await GENERATORS[spec.kind](root, opts.size === 'tiny' ? { size: spec.tiny } : {});
  const generatedMs = Number(process.hrtime.bigint() - g0) / 1e6;
  const expected = tree.expected as Record<string, unknown>;
  log(`${spec.label}: ${tree.migrations} migrations, ${tree.files} files generated in ${(generatedMs / 1000).toFixed(1)} s`);

  const out = path.join(path.dirname(root), 'check.json');
  const check = coldWarm(root, ['check'], opts.runs, { out });
  const findings = readFindings(out);
  const isGit = spec.kind === 'git';
  const baseOut = path.join(path.dirname(root), 'base.json');
  const base = isGit ? coldWarm(root, ['check', '--base', TARGET_BRANCH], opts.runs, { out: baseOut }) : null;
  // No warm-up of its own: check's has just read the same files into the OS cache.
  const graph = coldWarm(root, ['graph'], opts.runs, { warmup: false });
  const ourFigures: OurFigures = { checkCold: check.cold, checkWarm: check.warm!, baseCold: base?.cold ?? null, baseWarm: base?.warm ?? null, graphCold: graph.cold, graphWarm: graph.warm!, cacheBytes: check.cacheBytes };
  log(`${spec.label}: check cold ${fmt(check.cold)}, warm ${fmt(check.warm!)}${base ? `, --base cold ${fmt(base.cold)}, warm ${fmt(base.warm!)}` : ''}, graph cold ${fmt(graph.cold)}, warm ${fmt(graph.warm!)}`);

  const files = listFiles(root);
  const cat = catFloor(root, files, ro);
  const gitBlobs = isGit ? gitBlobFloor(root, ro) : null;

  let django: TreeResult['django'] = null;
  if (spec.kind === 'django') {
    django = djangoLoader(root, String(expected.settings ?? 'mysite.settings'), ro);
    if (!('unavailable' in django)) log(`${spec.label}: Django's loader ${fmt(django.cold)} (no bytecode), ${fmt(django.warm)} (bytecode kept)`);
  }
  let sq: TreeResult['squawk'] = null;
  if (spec.kind === 'prisma') {
    const sql = files.filter((f) => path.basename(f) === 'migration.sql');
    const result = squawk(root, sql, ro);
    const statements = typeof expected.statements === 'number' ? expected.statements : null;
    sq = 'unavailable' in result ? result : { ...result, sqlBytes: sql.reduce((n, f) => n + statSync(path.join(root, f)).size, 0), statements };
    if (!('unavailable' in result)) log(`${spec.label}: squawk ${fmt(result.measure)} over ${sql.length} files`);
  }
  return {
    kind: spec.kind,
    label: spec.label,
    files: tree.files,
    bytes: tree.bytes,
    migrations: tree.migrations,
    generatedMs,
    findings: findings?.all ?? null,
    conflictFindings: findings?.conflicts ?? null,
    baseConflictFindings: isGit ? (readFindings(baseOut)?.conflicts ?? null) : null,
    expected,
    ours: ourFigures,
    floor: { cat: cat.measure, cats: cat.cats, gitBlobs },
    django,
    squawk: sq,
  };
}

function ours(root: string, args: string[], cache: string, stdout?: Command['stdout']): Command {
  return { cmd: process.execPath, args: [BIN, ...args, '--format', 'json'], cwd: root, env: { MIGRATE_LINT_CACHE_DIR: cache }, okCodes: [0, 1], ...(stdout ? { stdout } : {}) };
}

/** Runs `fn` with a new, empty cache directory, removed afterwards. */
function withCache<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-cache-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A warm-up unless `warmup` is false (its output kept in `out` for the sanity figures), then per run: a
 * cold run with an empty cache directory and, unless `warm` is false, a warm run with the same directory.
 */
function coldWarm(root: string, args: string[], runs: number, opts: { out?: string; warm?: boolean; warmup?: boolean } = {}): { cold: Measure; warm: Measure | null; cacheBytes: number } {
  if (opts.warmup !== false) withCache((dir) => runOnce(ours(root, args, dir, opts.out ? { file: opts.out } : undefined)));
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  let cacheBytes = 0;
  for (let i = 0; i < runs; i++) {
    withCache((dir) => {
      cold.push(runOnce(ours(root, args, dir)));
      if (i === 0) cacheBytes = dirBytes(dir);
      if (opts.warm !== false) warm.push(runOnce(ours(root, args, dir)));
    });
  }
  return { cold: summarise(cold), warm: warm.length ? summarise(warm) : null, cacheBytes };
}

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
    const p = path.join(dir, e.name);
    return n + (e.isDirectory() ? dirBytes(p) : e.isFile() ? statSync(p).size : 0);
  }, 0);
}

function readFindings(file: string): { all: number; conflicts: number } | null {
  try {
    const findings = (JSON.parse(readFileSync(file, 'utf8')) as { findings: { ruleId: string }[] }).findings;
    return { all: findings.length, conflicts: findings.filter((f) => f.ruleId === 'conflicting-leaves').length };
  } catch {
    return null;
  }
}

/** Every file under `root`, relative, `.git` left out (the floor reads what a checkout holds). */
function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (p !== '.git') out.push(...listFiles(root, p));
    } else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function profile(root: string, args: string[]): ProfileSummary {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-prof-'));
  try {
    runOnce({ cmd: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, ...args, '--format', 'json'], cwd: root, env: { MIGRATE_LINT_CACHE_DIR: path.join(dir, 'cache') }, okCodes: [0, 1] });
    return summariseProfile(profileIn(dir), 15, REPO);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function uniqueCommands(targets: readonly Target[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const t of targets) seen.set(t.profile.join(' '), t.profile);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------------
// Targets (issue 8)

function targetsOf(t: TreeResult, node: Measure): Target[] {
  const out: Target[] = [];
  const check = ['check'];
  const { checkCold, checkWarm, baseCold, baseWarm } = t.ours;
  const ratio = (a: Measure, b: number, goal: number, figure: string, theirs: string, profile = check): Target => ({
    tree: t.label, figure, ours: ms(a.median), theirs, ratio: a.median / b, goal: `≤ ${goal}`, met: a.median / b <= goal, profile,
  });
  if (t.django && !('unavailable' in t.django)) {
    const d = t.django;
    out.push(ratio(checkCold, d.cold.median, 0.1, "check (cold) vs Django's loader, no bytecode cache", ms(d.cold.median)));
    out.push(ratio(checkWarm, d.warm.median, 0.1, "check (warm) vs Django's loader, bytecode cache kept", ms(d.warm.median)));
  }
  if (t.squawk && !('unavailable' in t.squawk)) {
    const s = t.squawk;
    const rate = (m: Measure) => (s.statements !== null ? `${Math.round(s.statements / (m.median / 1000)).toLocaleString('en')} stmt/s` : `${(s.sqlBytes / 2 ** 20 / (m.median / 1000)).toFixed(2)} MB/s`);
    out.push({ ...ratio(checkCold, s.measure.median, 1, 'SQL throughput: check (cold) vs squawk (time ratio)', `${ms(s.measure.median)}`), ours: `${ms(checkCold.median)}, ${rate(checkCold)}`, theirs: `${ms(s.measure.median)}, ${rate(s.measure)}` });
  }
  const floor = t.floor.cat.median + node.median;
  out.push(ratio(checkCold, floor, 5, 'check (cold) vs the floor (cat + node start)', ms(floor)));
  out.push(ratio(checkWarm, floor, 1.5, 'check (warm) vs the floor (cat + node start)', ms(floor)));
  if (baseCold && baseWarm && t.floor.gitBlobs) {
    const base = ['check', '--base', TARGET_BRANCH];
    const gitFloor = t.floor.gitBlobs.median + node.median;
    out.push(ratio(baseCold, gitFloor, 5, 'check --base (cold) vs the floor (git cat-file + node start)', ms(gitFloor), base));
    out.push(ratio(baseWarm, gitFloor, 1.5, 'check --base (warm) vs the floor (git cat-file + node start)', ms(gitFloor), base));
    for (const [m, which] of [[baseCold, 'cold'], [baseWarm, 'warm']] as const) {
      out.push({ tree: t.label, figure: `check --base ${TARGET_BRANCH} (${which}) on ${t.migrations.toLocaleString('en')} migrations`, ours: ms(m.median), theirs: '1 s', ratio: m.median / 1000, goal: '< 1 s', met: m.median < 1000, profile: base });
    }
  }
  const peak = Math.max(...[checkCold, checkWarm, baseCold, baseWarm, t.ours.graphCold, t.ours.graphWarm].flatMap((m) => (m?.rssMb != null ? [m.rssMb] : [])));
  if (Number.isFinite(peak)) out.push({ tree: t.label, figure: 'peak memory (largest max RSS of our runs)', ours: `${peak.toFixed(0)} MB`, theirs: '400 MB', ratio: peak / 400, goal: '< 400 MB', met: peak < 400, profile: check });
  return out;
}

// ---------------------------------------------------------------------------------------------------

function machine(): Machine {
  const run = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch {
      return 'unavailable';
    }
  };
  const osRelease = run('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']);
  const py = pythonWithDjango();
  const sq = squawkBinary();
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    os: `${osRelease}, Linux ${release()}`,
    node: process.version,
    python: typeof py === 'string' ? run(py, ['--version']) : 'Python: unavailable',
    django: typeof py === 'string' ? `Django ${run(py, ['-c', 'import django; print(django.get_version())'])}` : `Django: ${py.unavailable}`,
    squawk: 'unavailable' in sq ? `squawk: ${sq.unavailable}` : sq.version,
    git: run('git', ['--version']),
  };
}
