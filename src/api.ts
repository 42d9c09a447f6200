/**
 * The library entry point: snapshot → discover → parse → model → analyze. The CLI is a thin layer over
 * `lint`; other programs can embed it and decide for themselves what to do with the findings.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../rules/index.js';
import { discover, ParseCache, scopeTest } from './discover/index.js';
import { buildProjectModel, runRules, type EngineOptions } from './engine/run.js';
import type { AnyRule } from './engine/rule.js';
import { UsageError } from './errors.js';
import { buildHistories, type History } from './model/history.js';
import { replaySchema } from './model/migration-facts.js';
import type { Finding, MigrationSet } from './model/types.js';
import { FsSnapshot } from './snapshot/fs.js';
import type { Snapshot } from './snapshot/types.js';

export interface LintResult {
  root: string;
  sets: MigrationSet[];
  histories: History[];
  findings: Finding[];
}

export interface LintOptions extends EngineOptions {
  /** Directory the paths are relative to. */
  cwd?: string;
  /** Files or directories to check; the whole repository when empty. */
  paths?: readonly string[];
  rulesToRun?: readonly AnyRule[];
  cache?: ParseCache;
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

export async function lintSnapshot(snapshot: Snapshot, prefixes: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  const { sets, namespaces, histories: built } = await discover(snapshot, prefixes, options.cache);
  for (const set of sets) replaySchema(set);
  const histories = buildHistories(sets, namespaces, built);
  const project = buildProjectModel(sets, histories);
  const inScope = scopeTest(prefixes);
  const findings = runRules(project, options.rulesToRun ?? allRules, { ...options, knownRuleIds: options.knownRuleIds ?? allRules.map((r) => r.id) }).filter((f) => inScope(f.file));
  return { root: snapshot.root, sets, histories, findings };
}

/** Lints the working tree. */
export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const given = options.paths?.length ? options.paths : ['.'];
  const absolute = given.map((p) => path.resolve(cwd, p));
  for (const [i, p] of absolute.entries()) {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${given[i]}`, 'check the path; paths are relative to the current directory');
  }
  const first = absolute[0]!;
  const root = findRoot(statSync(first).isDirectory() ? first : path.dirname(first));
  const prefixes = absolute.map((p) => {
    const rel = path.relative(root, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new UsageError(`${p} is outside the repository at ${root}`, 'check paths in one repository at a time');
    }
    return rel.split(path.sep).join('/');
  });
  return lintSnapshot(new FsSnapshot(root), prefixes, options);
}
