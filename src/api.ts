/**
 * The library entry point: snapshot → discover → parse → model → analyze. The CLI is a thin layer over
 * `lint`; other programs can embed it and decide for themselves what to do with the findings.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../rules/index.js';
import { ParseCache } from './discover/cache.js';
import { CacheStore } from './discover/store.js';

export { defaultCacheDir } from './discover/store.js';
import { loadProjectConfig, ProjectConfig, type ConfigScope } from './config/load.js';
import { buildProjectModel, compareFindings, runRules, type EngineOptions, type RuleSetting } from './engine/run.js';
import { parsePgVersion } from './postgres/version.js';
import type { AnyRule } from './engine/rule.js';
import { ConfigError, UsageError } from './errors.js';
import { buildHistories, type History } from './model/history.js';
import { replaySchema } from './model/migration-facts.js';
import type { BranchPrediction, Comparison, CommitRef } from './model/comparison.js';
import type { DeclaredSet, Finding, MigrationSet } from './model/types.js';
import { FilteredSnapshot } from './snapshot/filtered.js';
import { FsSnapshot } from './snapshot/fs.js';
import { GitRepo, type Changes, type Commit } from './snapshot/git.js';
import { IndexSnapshot, TreeSnapshot } from './snapshot/git-snapshots.js';
import { diffSnapshots, OverlaySnapshot } from './snapshot/overlay.js';
import { RecordingSnapshot, statReads, unchangedSince, type FileRead } from './snapshot/recording.js';
import type { Snapshot } from './snapshot/types.js';

export interface LintResult {
  root: string;
  sets: MigrationSet[];
  histories: History[];
  findings: Finding[];
  /** Present when the run compared a branch with its target (`--base`, `--staged`). */
  comparison?: Comparison;
}

export interface LintOptions extends EngineOptions {
  /** Directory the paths are relative to. */
  cwd?: string;
  /** Files or directories to check; the whole repository when empty. */
  paths?: readonly string[];
  rulesToRun?: readonly AnyRule[];
  cache?: ParseCache;
  /**
   * Keep parse results on disk in this directory between runs (`CacheStore`; the CLI's default is
   * `defaultCacheDir()`). Without it (and without `cache`), nothing is written.
   */
  cacheDir?: string;
  /** Compare the working tree with the branch it will merge into (a git ref such as `origin/main`). */
  base?: string;
  /** Check the staged files against HEAD (pre-commit hooks). */
  staged?: boolean;
  /**
   * The configuration files (`ProjectConfig`). `lint` finds and loads them unless given one, or
   * `config: false` (`--no-config`). Settings given in these options (the command line's) win over the
   * files'.
   */
  config?: ProjectConfig | false;
  /** Use this one configuration file for the whole repository (`--config <file>`). */
  configFile?: string;
  /** Refuse JavaScript configuration files rather than run them (`--no-js-config`). */
  noJsConfig?: boolean;
  /** Migration sets the configuration declares; under their scopes they replace detection (discover). */
  declared?: readonly DeclaredSet[];
  /** Directories of configurations that declare no sets: detection works under them (see `discover`). */
  openScopes?: readonly string[];
}

/** The repository root for `dir`: the nearest ancestor with a `.git`, else `dir` itself. */
export function findRoot(dir: string): string {
  let d = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(dir);
    d = up;
  }
}

/**
 * Discovery and the front ends behind it (the parsers: Lezer's Python grammar, the TypeScript compiler's
 * wrapper, libpg-query), imported when something is to be parsed: a check answered from a stored run never
 * loads them, and the bundle (scripts/bundle.ts) keeps them in a chunk of their own.
 */
function frontEnds(): Promise<typeof import('./discover/index.js')> {
  return import('./discover/index.js');
}

export async function lintSnapshot(snapshot: Snapshot, prefixes: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  return analyze(snapshot, prefixes, options);
}

/**
 * The three snapshots of a comparison (DESIGN.md "Git comparison"): the branch point, the target's tip and
 * the branch (head). `changes` says what the branch changed since the branch point; git knows it cheaply,
 * other callers may leave it out and the snapshots are compared by content id.
 */
export interface ComparisonInput {
  base: Snapshot;
  target: Snapshot;
  head: Snapshot;
  changes?: Changes;
  targetName: string;
  headName: string;
  baseCommit?: CommitRef;
  targetCommit?: CommitRef;
  /** The commit on the target that added each of these files since the branch point. */
  addedOnTarget?: (files: string[]) => Promise<Map<string, CommitRef>>;
  /** The branch point's migration sets, when an earlier comparison already read them. */
  baseSets?: readonly MigrationSet[];
}

/**
 * Lints what merging head into target would produce. Rules run on the merged view; findings are kept
 * when they are about a file the branch added, changed or deleted, or (history rules) about the branch's
 * edits to what the target already has. What the target alone is responsible for is not the branch's
 * problem and is left out.
 */
export async function lintComparison(input: ComparisonInput, prefixes: readonly string[], options: LintOptions = {}): Promise<LintResult & { comparison: Comparison }> {
  const { discover } = await frontEnds();
  const cache = options.cache ?? new ParseCache();
  const changes = input.changes ?? (await diffSnapshots(input.base, input.head));
  const merged = new OverlaySnapshot(input.target, input.head, changes, `${input.targetName} merged with ${input.headName}`);
  const baseSets = input.baseSets ?? (await discover(hideIgnored(input.base, options), prefixes, cache, options.declared, options.openScopes)).sets;
  const baseFiles = new Set(await input.base.list(prefixes));
  const targetFiles = new Set(await input.target.list(prefixes));
  let comparison: Comparison | undefined;
  const result = await analyze(merged, prefixes, { ...options, cache }, async (sets) => {
    const fromTarget = sets.flatMap((s) => s.migrations.map((m) => m.file)).filter((f) => !changes.changed.has(f) && !baseFiles.has(f));
    comparison = {
      target: { name: input.targetName, ...(input.targetCommit ? { commit: input.targetCommit } : {}) },
      base: { ...(input.baseCommit ? { commit: input.baseCommit } : {}) },
      head: input.headName,
      baseSets,
      branchFiles: changes.changed,
      deletedFiles: changes.deleted,
      targetFiles,
      addedOnTarget: input.addedOnTarget && fromTarget.length > 0 ? await input.addedOnTarget(fromTarget) : new Map(),
    };
    return comparison;
  });
  return { ...result, comparison: comparison! };
}

async function analyze(snapshot: Snapshot, prefixes: readonly string[], options: LintOptions, compare?: (sets: MigrationSet[]) => Promise<Comparison>): Promise<LintResult> {
  const { discover, scopeTest } = await frontEnds();
  const { sets, namespaces, histories: built } = await discover(hideIgnored(snapshot, options), prefixes, options.cache, options.declared, options.openScopes);
  for (const set of sets) replaySchema(set);
  const comparison = compare ? await compare(sets) : undefined;
  const histories = buildHistories(sets, namespaces, built);
  const project = buildProjectModel(sets, histories, comparison);
  const inScope = scopeTest(prefixes);
  const rules = options.rulesToRun ?? allRules;
  const categoryOf = new Map(rules.map((r) => [r.id, r.category]));
  const ours = (f: Finding) => !comparison || categoryOf.get(f.ruleId) === 'history' || comparison.branchFiles.has(f.file) || comparison.deletedFiles.has(f.file);
  const findings = runScoped(project, rules, options).filter((f) => inScope(f.file) && ours(f));
  return { root: snapshot.root, sets, histories, findings, ...(comparison ? { comparison } : {}) };
}

/** The snapshot as discovery sees it: without the files the configuration ignores. */
function hideIgnored(snapshot: Snapshot, options: LintOptions): Snapshot {
  const config = options.config;
  if (!config || !config.scopes.some((s) => s.config.ignore?.length)) return snapshot;
  return new FilteredSnapshot(snapshot, (p) => config.isIgnored(p));
}

/**
 * Runs the rules once per configuration scope with that scope's settings, keeping each run's findings
 * about the sets (or, for findings outside any set, the files) the scope governs: the nearest
 * configuration wins for each set. Parsing is not repeated; only the rules run again.
 */
function runScoped(project: ReturnType<typeof buildProjectModel>, rules: readonly AnyRule[], options: LintOptions): Finding[] {
  const base: EngineOptions = { ...options, knownRuleIds: options.knownRuleIds ?? allRules.map((r) => r.id) };
  const config = options.config || ProjectConfig.none;
  const scopes = config.allScopes;
  if (scopes.length === 1) return runRules(project, rules, engineOptionsFor(scopes[0]!, base));
  const dirOf = new Map(project.sets.map((s) => [s.id, s.dir]));
  const scopeOf = (f: Finding) => config.scopeOf(f.set !== undefined && dirOf.has(f.set) ? dirOf.get(f.set)! : f.file);
  return scopes.flatMap((scope) => runRules(project, rules, engineOptionsFor(scope, base)).filter((f) => scopeOf(f) === scope)).sort(compareFindings);
}

/** A scope's settings, under the command line's: `--rule`, `--pg-version`, `--time-zone` and
 *  `--django-version` win over the file. */
export function engineOptionsFor(scope: ConfigScope, base: EngineOptions): EngineOptions {
  const c = scope.config;
  const rules: Record<string, RuleSetting> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  for (const [id, v] of Object.entries(c.rules ?? {})) {
    if (typeof v === 'string') {
      rules[id] = v;
    } else {
      rules[id] = v[0];
      if (v[1]) ruleOptions[id] = v[1];
    }
  }
  return {
    ...base,
    rules: { ...rules, ...base.rules },
    ruleOptions: { ...ruleOptions, ...base.ruleOptions },
    target: { ...(c.pgVersion !== undefined ? { pgVersion: parsePgVersion(c.pgVersion) } : {}), ...(c.timeZone !== undefined ? { timeZone: c.timeZone } : {}), ...base.target },
    fixEnv: { ...(c.djangoVersion !== undefined ? { djangoVersion: c.djangoVersion } : {}), ...base.fixEnv },
  };
}

/** The options with the configuration and what discovery needs of it (declared sets, open scopes). */
function withConfig(options: LintOptions, config: ProjectConfig | false): LintOptions {
  return { ...options, config, ...(config ? { declared: config.declaredSets(), openScopes: config.openScopes() } : {}) };
}

/** The configuration files of the repository at `root` (found in the working tree). */
export async function resolveConfig(root: string, options: Pick<LintOptions, 'config' | 'configFile' | 'noJsConfig'>, tree = new FsSnapshot(root)): Promise<ProjectConfig | false> {
  if (options.config !== undefined) return options.config;
  const files = await tree.list();
  return loadProjectConfig(root, files, allRules, { ...(options.configFile !== undefined ? { explicit: options.configFile } : {}), ...(options.noJsConfig ? { noJs: true } : {}) });
}

/** Lints the working tree; with `base` or `staged`, as a comparison read from git. */
export async function lint(options: LintOptions = {}): Promise<LintResult> {
  return lintThen(options, null, (result) => result);
}

/**
 * Lints as `lint` does and returns `render(result)`. With `cacheDir`, the rendering is also stored, and a
 * later call with the same `renderKey` (everything `render` depends on besides the result: the format,
 * `--quiet`, colour, …), the same options and configuration, and a tree whose files are listed and read
 * the same, returns it without linting: a second check of an unchanged tree reads the files it read
 * before, hashes them, and prints (DESIGN.md "Speed"). What a run depends on is what it read: the list of
 * the tree's paths and the content of every file a front end opened; for `--base`, also the commits of
 * the target and the branch point and what git says changed. A `baseline` makes no stored result (the
 * ref can move). `render` must return structured-cloneable data.
 */
export async function lintAndRender<T>(options: LintOptions, renderKey: string, render: (result: LintResult) => T | Promise<T>): Promise<T> {
  return lintThen(options, renderKey, render);
}

interface StoredRun {
  /** Every working-tree file the run read, with its content id and stat. */
  reads: FileRead[];
  /** When the run started, before it read anything (`unchangedSince`). */
  at: number;
  value: unknown;
}

async function lintThen<T>(options: LintOptions, renderKey: string | null, render: (result: LintResult) => T | Promise<T>): Promise<T> {
  // Files changed after this moment (while the run reads them) are never trusted by stat later.
  const started = Date.now();
  if (options.base !== undefined && options.staged) throw new UsageError('--base and --staged cannot be used together', '--staged compares the index with HEAD; --base compares the working tree with a branch');
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const given = options.paths?.length ? options.paths : ['.'];
  const absolute = given.map((p) => path.resolve(cwd, p));
  for (const [i, p] of absolute.entries()) {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${given[i]}`, 'check the path; paths are relative to the current directory');
  }
  const first = absolute[0]!;
  const startDir = statSync(first).isDirectory() ? first : path.dirname(first);
  if (options.base !== undefined || options.staged) {
    const repo = await GitRepo.open(startDir);
    try {
      const config = await resolveConfig(repo.root, options);
      const store = openStore(repo.root, options, 'runs');
      const cache = parseCacheFor(repo.root, options);
      const input = await gitComparison(repo, options);
      // git names the top level with symbolic links resolved; so must the paths measured against it.
      const prefixes = relativePrefixes(repo.root, absolute.map((p) => realpathSync(p)));
      const head = options.staged ? input.head : new RecordingSnapshot(input.head);
      let key: string | null = null;
      if (renderKey !== null && store && !hasBaseline(config)) {
        const changed = [...input.changes!.changed].sort();
        // The index is content-addressed: a staged file's id says what it holds; the working tree's
        // files are checked by content when the stored run is read.
        const staged = options.staged ? await Promise.all(changed.map((f) => input.head.contentId(f))) : [];
        key = runKey(renderKey, options, config, prefixes, [input.baseCommit?.id ?? '', input.targetCommit?.id ?? '', ...changed, '\0', ...staged, '\0', ...[...input.changes!.deleted].sort()]);
        const hit = storedRun(store, key, repo.root);
        if (hit !== undefined) return hit as T;
      }
      const result = await lintComparison({ ...input, head }, prefixes, { ...withConfig(options, config), cache });
      const out = await render(await applyBaseline(result, config, repo));
      saveRun(store, cache, key, repo.root, head instanceof RecordingSnapshot ? head.reads : new Map(), started, out);
      return out;
    } finally {
      repo.close();
    }
  }
  const root = findRoot(startDir);
  const fs = new FsSnapshot(root);
  const tree = new RecordingSnapshot(fs);
  const config = await resolveConfig(root, options, fs);
  const store = openStore(root, options, 'runs');
  const cache = parseCacheFor(root, options);
  const prefixes = relativePrefixes(root, absolute);
  let key: string | null = null;
  if (renderKey !== null && store && !hasBaseline(config)) {
    key = runKey(renderKey, options, config, prefixes, await fs.list());
    const hit = storedRun(store, key, root);
    if (hit !== undefined) return hit as T;
  }
  let result = await lintSnapshot(tree, prefixes, { ...withConfig(options, config), cache });
  if (hasBaseline(config)) {
    const repo = await GitRepo.open(root);
    try {
      result = await applyBaseline(result, config, repo);
    } finally {
      repo.close();
    }
  }
  const out = await render(result);
  saveRun(store, cache, key, root, tree.reads, started, out);
  return out;
}

/** Stores a run's output under `key` (when it has one) with the files it read, and writes both stores. */
function saveRun(store: CacheStore | undefined, cache: ParseCache, key: string | null, root: string, reads: ReadonlyMap<string, string>, started: number, value: unknown): void {
  if (store && key !== null) store.set(key, { reads: statReads(root, reads), at: started, value } satisfies StoredRun);
  store?.save();
  cache.save();
}

/** The run's parse cache: the one given, else one backed by the store in `cacheDir`, else in memory only. */
function parseCacheFor(root: string, options: LintOptions): ParseCache {
  return options.cache ?? new ParseCache(openStore(root, options, 'parse'));
}

/** The persistent store of `kind` in `cacheDir`, if one was asked for. */
function openStore(root: string, options: LintOptions, kind: 'parse' | 'runs'): CacheStore | undefined {
  return options.cacheDir !== undefined ? CacheStore.open(options.cacheDir, root, kind) : undefined;
}

function hasBaseline(config: ProjectConfig | false): boolean {
  return config !== false && config.scopes.some((s) => s.config.baseline !== undefined);
}

/**
 * The key of a stored run: the rendering, every option that changes a result (not the clock fixes are
 * dated with), the configuration as loaded, the paths checked, and `tree` (the listing, or what git
 * says of a comparison). The code's own fingerprint is the store's (`CacheStore`).
 */
function runKey(renderKey: string, options: LintOptions, config: ProjectConfig | false, prefixes: readonly string[], tree: readonly string[]): string {
  const h = createHash('sha1');
  const settings = {
    renderKey,
    rules: options.rules ?? null,
    ruleOptions: options.ruleOptions ?? null,
    target: options.target ?? null,
    djangoVersion: options.fixEnv?.djangoVersion ?? null,
    knownRuleIds: options.knownRuleIds ?? null,
    rulesToRun: options.rulesToRun?.map((r) => r.id) ?? null,
    base: options.base ?? null,
    staged: Boolean(options.staged),
    declared: options.declared ?? null,
    openScopes: options.openScopes ?? null,
    config: config ? config.scopes.map((s) => [s.dir, s.file, s.config]) : false,
    prefixes,
  };
  h.update(JSON.stringify(settings));
  for (const t of tree) h.update(`\0${t}`);
  return `run:${h.digest('hex')}`;
}

/** A stored run's value, when every file it read still holds what it held. */
function storedRun(store: CacheStore, key: string, root: string): unknown {
  const run = store.get(key) as StoredRun | undefined;
  if (!run || !unchangedSince(root, run.reads, run.at)) return undefined;
  return run.value;
}

/**
 * `baseline: <ref>`: findings about migrations that were already in that commit are dropped, so an old
 * repository can adopt migrate-lint and be held to it from now on. A finding is dropped only when every
 * file it names (its own and, for a conflict, the other leaves') was there.
 */
async function applyBaseline<R extends LintResult>(result: R, config: ProjectConfig | false, repo: GitRepo): Promise<R> {
  if (!config) return result;
  const trees = new Map<string, Set<string>>();
  for (const scope of config.scopes) {
    const ref = scope.config.baseline;
    if (ref === undefined || trees.has(ref)) continue;
    let commit;
    try {
      commit = await repo.resolve(ref);
    } catch (e) {
      throw new ConfigError(`${scope.file}: baseline: ${(e as Error).message}`, 'baseline names a git ref (a tag, branch or commit) whose migrations are not reported');
    }
    trees.set(ref, new Set((await repo.tree(commit.id)).keys()));
  }
  if (trees.size === 0) return result;
  const dirOf = new Map(result.sets.map((s) => [s.id, s.dir]));
  const findings = result.findings.filter((f) => {
    const ref = config.scopeOf(f.set !== undefined && dirOf.has(f.set) ? dirOf.get(f.set)! : f.file).config.baseline;
    if (ref === undefined) return true;
    const tree = trees.get(ref)!;
    const named = Array.isArray(f.data.files) ? f.data.files.filter((x): x is string => typeof x === 'string') : [];
    return ![f.file, ...named].every((file) => tree.has(file));
  });
  return { ...result, findings };
}

function relativePrefixes(root: string, absolute: readonly string[]): string[] {
  return absolute.map((p) => {
    const rel = path.relative(root, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new UsageError(`${p} is outside the repository at ${root}`, 'check paths in one repository at a time');
    }
    return rel.split(path.sep).join('/');
  });
}

export function commitRef(c: Commit): CommitRef {
  return { id: c.id, short: c.id.slice(0, 7), subject: c.subject };
}

/** The snapshots of `--base <ref>` (working tree against merge-base(ref, HEAD)) or `--staged` (index
 *  against HEAD; before the first commit, against nothing). */
export async function gitComparison(repo: GitRepo, options: Pick<LintOptions, 'base' | 'staged'>): Promise<ComparisonInput> {
  if (options.staged) {
    const head = await repo.head();
    const tree = new TreeSnapshot(repo.root, await repo.tree(head?.id ?? null), repo.blobs, head ? `HEAD (${head.id.slice(0, 7)})` : 'HEAD (no commits yet)');
    return {
      base: tree,
      target: tree,
      head: new IndexSnapshot(repo.root, await repo.index(), repo.blobs),
      changes: await repo.changes(head?.id ?? null, 'staged'),
      targetName: 'HEAD',
      headName: 'the index',
      ...(head ? { baseCommit: commitRef(head), targetCommit: commitRef(head) } : {}),
    };
  }
  const target = await repo.resolve(options.base!);
  const head = await repo.requireHead();
  const base = await repo.mergeBase(target, head);
  return {
    base: new TreeSnapshot(repo.root, await repo.tree(base.id), repo.blobs, `merge-base ${base.name}`),
    target: new TreeSnapshot(repo.root, await repo.tree(target.id), repo.blobs, `${target.name} (${target.id.slice(0, 7)})`),
    head: new FsSnapshot(repo.root),
    changes: await repo.changes(base.id, 'worktree'),
    targetName: target.name,
    headName: 'the working tree',
    baseCommit: commitRef(base),
    targetCommit: commitRef(target),
    addedOnTarget: async (files) => new Map([...(await repo.addedBy(base.id, target.id, files))].map(([f, c]) => [f, commitRef(c)])),
  };
}

export interface BranchOptions extends Omit<LintOptions, 'base' | 'staged' | 'paths'> {
  /** The branch everything merges into; default: the remote's default branch, else main or master. */
  into?: string;
  /** Remote-tracking branches instead of local ones. */
  remote?: boolean;
}

/**
 * Predicts, for every branch, whether merging it into the target conflicts, and which pairs of branches
 * conflict with each other. Only conflict rules run (graph and order: conflicting-leaves,
 * duplicate-version, out-of-order-migration, …); parse results are shared by blob id across all views.
 */
export async function predictBranches(options: BranchOptions = {}): Promise<BranchPrediction> {
  const repo = await GitRepo.open(path.resolve(options.cwd ?? process.cwd()));
  try {
    const target = await repo.resolve(options.into ?? (await defaultTarget(repo)));
    const rules = (options.rulesToRun ?? allRules).filter((r) => r.category === 'conflict');
    const cache = parseCacheFor(repo.root, options);
    // The working tree's configuration decides what every branch is checked with (its sets and ignores).
    const config = await resolveConfig(repo.root, options);
    const lintOptions: LintOptions = { ...withConfig(options, config), rulesToRun: rules, cache };
    const targetTree = new TreeSnapshot(repo.root, await repo.tree(target.id), repo.blobs, target.name);
    const candidates = (await repo.branches(Boolean(options.remote))).filter((b) => b.name !== target.name && b.id !== target.id);
    const views: { branch: Commit; base: Commit; tree: TreeSnapshot; baseTree: TreeSnapshot; changes: Changes; baseSets?: readonly MigrationSet[] }[] = [];
    for (const branch of candidates) {
      const base = await repo.mergeBase(target, branch);
      views.push({
        branch,
        base,
        tree: new TreeSnapshot(repo.root, await repo.tree(branch.id), repo.blobs, branch.name),
        baseTree: new TreeSnapshot(repo.root, await repo.tree(base.id), repo.blobs, `merge-base ${base.name}`),
        changes: await repo.changes(base.id, { commit: branch.id }),
      });
    }
    // Each branch's branch point is read once: the pair comparisons reuse what its first one found.
    const merge = async (onto: Snapshot, ontoName: string, v: (typeof views)[number]) => {
      const result = await lintComparison(
        { base: v.baseTree, target: onto, head: v.tree, changes: v.changes, targetName: ontoName, headName: v.branch.name, ...(v.baseSets ? { baseSets: v.baseSets } : {}) },
        [''],
        lintOptions,
      );
      v.baseSets = result.comparison.baseSets;
      return result;
    };
    const alone = new Map<string, Finding[]>();
    const out: BranchPrediction = { target: { name: target.name, commit: target.id }, branches: [], pairs: [] };
    for (const v of views) {
      const { findings } = await merge(targetTree, target.name, v);
      alone.set(v.branch.name, findings);
      out.branches.push({ name: v.branch.name, commit: v.branch.id, base: v.base.id, findings });
    }
    // A branch that already conflicts with the target must be fixed (rebased) first, and fixing it
    // changes how it meets the others: pairs are judged among branches that merge cleanly alone.
    const clean = views.filter((v) => alone.get(v.branch.name)!.length === 0);
    for (const [i, a] of clean.entries()) {
      for (const b of clean.slice(i + 1)) {
        // Whichever merges second meets the other's migrations on the target.
        for (const [first, second] of [[a, b], [b, a]] as const) {
          const onto = new OverlaySnapshot(targetTree, first.tree, first.changes, `${target.name} + ${first.branch.name}`);
          const known = new Set([...alone.get(first.branch.name)!, ...alone.get(second.branch.name)!].map((f) => f.fingerprint));
          const { findings } = await merge(onto, `${target.name} after ${first.branch.name}`, second);
          const fresh = findings.filter((f) => !known.has(f.fingerprint));
          if (fresh.length > 0) {
            out.pairs.push({ first: first.branch.name, second: second.branch.name, findings: fresh });
            break;
          }
        }
      }
    }
    cache.save();
    return out;
  } finally {
    repo.close();
  }
}

/** The remote's default branch (`origin/HEAD`), else a local `main` or `master`. */
async function defaultTarget(repo: GitRepo): Promise<string> {
  for (const ref of ['origin/HEAD', 'main', 'master']) {
    try {
      const c = await repo.resolve(ref);
      return ref === 'origin/HEAD' ? ((await repo.symbolicName(ref)) ?? c.id) : ref;
    } catch {
      continue;
    }
  }
  throw new UsageError('no target branch: there is no origin/HEAD, main or master', 'name it: --target origin/develop');
}
