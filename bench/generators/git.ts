/**
 * A real git repository of a large Django project (the heaviest front end to parse and the most telling
 * for `check --base`): the Django generator's project at `size` migrations (default 10,000, one app per
 * 100 migrations, squashes, no pending conflict on main), with history, and a pull request checked out.
 *
 * - `main`: a first commit with the project (manage.py, settings, apps), then the migrations in the order
 *   they were written, in a few hundred commits of seeded batches (about 25 migrations each), written with
 *   `git fast-import` (one process, one pack; a commit per `git commit` would take minutes).
 * - `feature`: branches off main 3 migrations before main's tip and adds 5 migrations in 2 commits: 3 in
 *   app A and 2 in app B.
 * - `main` has meanwhile gained 3 migrations in 2 commits: 1 in app A (a child of the same parent as the
 *   feature's first A migration) and 2 in two other apps.
 * - `feature` is checked out (working tree and index), so `check --base main` compares it with main.
 *
 * So the pull request is realistic and has exactly one problem: merged into main, app A has two leaves
 * (main's new migration and the feature's last A migration). `expected.conflict` records it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Random } from './random.js';
import { DEFAULT_SEED, prepareDir, positiveInt, type GenerateOptions, type GeneratedTree, FileTree } from './tree.js';
import { djangoDefaults, djangoMigrationPath, djangoProjectFiles, planDjango, renderDjangoMigration, runSchedule, type DjangoMigration, type DjangoSim } from './django.js';

export const GIT_DEFAULT_SIZE = 10_000;

export interface GitExpected {
  framework: 'django';
  /** The branch to compare with (`check --base main`) and the one checked out. */
  base: 'main';
  branch: 'feature';
  apps: number;
  /** Migration files at main's tip, at the branch point, and in the working tree (feature). */
  mainMigrations: number;
  branchPointMigrations: number;
  featureMigrations: number;
  /** Files the feature branch adds (its 5 migrations) and files main gained since the branch point. */
  featureFiles: string[];
  mainSinceBranchPoint: string[];
  commits: { main: number; feature: number };
  /** Full commit ids: deterministic for a seed (fixed identities and dates). */
  refs: { main: string; feature: string; mergeBase: string };
  /** The conflict `check --base main` must report: app A's leaves after the merge. */
  conflict: { app: string; leaves: string[]; branchLeaf: string; targetLeaf: string };
  squashes: number;
}

/** git with no user or system configuration, no hooks and fixed identities. */
function gitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    LANG: 'C.UTF-8',
  };
}

function git(cwd: string, args: string[], input?: Buffer): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(input ? { input } : {}), stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
}

/** A `git fast-import` stream, built as buffers (data lengths are byte counts). */
class FastImport {
  private parts: Buffer[] = [];
  private mark = 0;

  commit(ref: string, from: number | null, time: number, message: string, files: ReadonlyMap<string, string>): number {
    const mark = ++this.mark;
    const when = `${Math.floor(time / 1000)} +0000`;
    const msg = Buffer.from(`${message}\n`);
    this.parts.push(Buffer.from(`commit ${ref}\nmark :${mark}\nauthor Bench <bench@example.com> ${when}\ncommitter Bench <bench@example.com> ${when}\ndata ${msg.length}\n`), msg);
    if (from !== null) this.parts.push(Buffer.from(`from :${from}\n`));
    for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const data = Buffer.from(content);
      this.parts.push(Buffer.from(`M 100644 inline ${file}\ndata ${data.length}\n`), data, Buffer.from('\n'));
    }
    this.parts.push(Buffer.from('\n'));
    return mark;
  }

  stream(): Buffer {
    return Buffer.concat([...this.parts, Buffer.from('done\n')]);
  }
}

const filesOf = (ms: readonly DjangoMigration[]) => new Map(ms.map((m) => [djangoMigrationPath(m), renderDjangoMigration(m)]));

function describe(ms: readonly DjangoMigration[]): string {
  if (ms.length === 1) return `${ms[0]!.app}: ${ms[0]!.name.slice(5).replace(/_/g, ' ')}`;
  const apps = [...new Set(ms.map((m) => m.app))];
  return `Migrations for ${apps.slice(0, 3).join(', ')}${apps.length > 3 ? ` and ${apps.length - 3} more apps` : ''}`;
}

export async function generateGit(dir: string, opts: GenerateOptions = {}): Promise<GeneratedTree<GitExpected>> {
  const size = positiveInt(opts.size, GIT_DEFAULT_SIZE, 'size');
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Random(seed);
  const MAIN_AFTER = 3;
  // Four apps at least: A, B, C and D below are distinct.
  const d = djangoDefaults(size, { conflict: false, apps: Math.max(4, Math.round(size / 100)) });
  const before = size - MAIN_AFTER;
  const plan = planDjango(rng, before, { ...d, conflict: false });
  const fi = new FastImport();

  // The project, then the history in batches.
  const project = new FileTree();
  djangoProjectFiles(project, plan.labels);
  let tip = fi.commit('refs/heads/main', null, plan.sim.clock, 'Start the project', project.files);
  let commits = { main: 1, feature: 0 };
  const avg = 25;
  let batch: DjangoMigration[] = [];
  let want = rng.int(1, 2 * avg - 1);
  const flush = () => {
    if (batch.length === 0) return;
    tip = fi.commit('refs/heads/main', tip, batch[batch.length - 1]!.time, describe(batch), filesOf(batch));
    commits.main++;
    batch = [];
    want = rng.int(1, 2 * avg - 1);
  };
  runSchedule(plan, 0, plan.schedule.length, (made) => {
    batch.push(...made);
    if (batch.length >= want) flush();
  });
  // A squash that never found room is replaced by regular steps, keeping the count exact.
  while (plan.sim.out.length < before) batch.push(plan.sim.step(plan.sim.apps[plan.schedule[plan.sim.out.length % plan.schedule.length]!]!));
  flush();
  const branchPoint = tip;
  const frozen = plan.sim.fork();

  // Pick the apps: A (both sides), B (feature only), C and D (main only); all distinct.
  const order = rng.shuffle(plan.sim.apps.map((a) => a.index));
  const [a, b, c, dd] = order as [number, number, number, number];

  // main moves on: one migration in A, then one each in C and D.
  const mainSim: DjangoSim = plan.sim;
  const mainA = mainSim.step(mainSim.apps[a]!);
  const mainRest = [mainSim.step(mainSim.apps[c]!), mainSim.step(mainSim.apps[dd]!)];

  // The feature, from the branch point: three in A (the first a sibling of main's, named differently),
  // two in B.
  let feature: DjangoSim;
  let featureA: DjangoMigration[];
  do {
    feature = frozen.fork();
    featureA = [feature.step(feature.apps[a]!)];
  } while (featureA[0]!.name === mainA.name);
  featureA.push(feature.step(feature.apps[a]!), feature.step(feature.apps[a]!));
  const featureB = [feature.step(feature.apps[b]!), feature.step(feature.apps[b]!)];

  const f1 = fi.commit('refs/heads/feature', branchPoint, featureA[2]!.time, `${plan.labels[a]}: ${featureA.map((m) => m.name).join(', ')}`, filesOf(featureA));
  fi.commit('refs/heads/feature', f1, featureB[1]!.time, `${plan.labels[b]}: ${featureB.map((m) => m.name).join(', ')}`, filesOf(featureB));
  commits.feature = 2;
  const m1 = fi.commit('refs/heads/main', branchPoint, mainA.time, describe([mainA]), filesOf([mainA]));
  fi.commit('refs/heads/main', m1, mainRest[1]!.time, describe(mainRest), filesOf(mainRest));
  commits = { main: commits.main + 2, feature: commits.feature };

  prepareDir(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'core.autocrlf', 'false']);
  git(dir, ['config', 'gc.auto', '0']);
  git(dir, ['fast-import', '--quiet', '--done'], fi.stream());
  git(dir, ['checkout', '-q', '-f', 'feature']);
  const rev = (r: string) => git(dir, ['rev-parse', r]).trim();
  const refs = { main: rev('main'), feature: rev('feature'), mergeBase: git(dir, ['merge-base', 'main', 'feature']).trim() };

  const worktree = [...project.files.values(), ...plan.sim.out.slice(0, before).concat(featureA, featureB).map(renderDjangoMigration)];
  const bytes = worktree.reduce((n, s) => n + Buffer.byteLength(s), 0);
  const featureLeaf = featureA[2]!.name;
  return {
    kind: 'git',
    root: path.resolve(dir),
    seed,
    size,
    files: worktree.length,
    bytes,
    migrations: before + featureA.length + featureB.length,
    expected: {
      framework: 'django',
      base: 'main',
      branch: 'feature',
      apps: plan.labels.length,
      mainMigrations: before + 1 + mainRest.length,
      branchPointMigrations: before,
      featureMigrations: before + featureA.length + featureB.length,
      featureFiles: [...featureA, ...featureB].map(djangoMigrationPath),
      mainSinceBranchPoint: [mainA, ...mainRest].map(djangoMigrationPath),
      commits,
      refs,
      conflict: { app: plan.labels[a]!, leaves: [mainA.name, featureLeaf].sort(), branchLeaf: featureLeaf, targetLeaf: mainA.name },
      squashes: plan.squashes.length,
    },
  };
}
