/**
 * The command line. `run` returns the exit code and never exits (ESLint's cli.execute does the same, so
 * other programs can embed it); only bin/migrate-lint.js sets process.exitCode. This is the one place
 * that catches migrate-lint's typed errors and turns them into exit codes:
 *   0 clean, 1 findings at error level, 2 usage, configuration, git or I/O errors.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { allRules, findRule } from '../../rules/index.js';
import { defaultCacheDir, lint, lintAndRender, predictBranches, type LintResult } from '../api.js';
import { renderRuleDoc } from '../engine/docs.js';
import { init } from './init.js';
import type { RuleSetting } from '../engine/run.js';
import type { TargetSettings } from '../engine/statements.js';
import { DEFAULT_PG_VERSION, parsePgVersion } from '../engine/statements.js';
import { IoError, MigrateLintError, UsageError } from '../errors.js';
import type { Finding, Severity } from '../model/types.js';
import { json } from '../report/json.js';
import { runFixes, type PlannedEdit } from '../fix/index.js';
import { renderBranches } from '../report/branches.js';
import { renderGraph, setGraphs } from '../report/graph.js';
import { github } from '../report/github.js';
import { gitlab } from '../report/gitlab.js';
import { markdown } from '../report/markdown.js';
import { sarif } from '../report/sarif.js';
import { stylish } from '../report/stylish.js';
import type { Formatter, ReportContext } from '../report/types.js';
import { VERSION } from '../version.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

const FORMATTERS: Record<string, Formatter> = { stylish, json, sarif, github, markdown, gitlab };
/** Formats other programs parse: nothing else may share standard output with them. */
const MACHINE_FORMATS = new Set(['json', 'sarif', 'gitlab']);

function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  // https://no-color.org: any non-empty NO_COLOR disables colour.
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

function ruleSettings(specs: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const spec of specs) {
    const m = /^([a-z-]+)=(error|warning|info|off)$/.exec(spec.trim());
    if (!m) throw new UsageError(`--rule ${spec}: expected <rule-id>=<error|warning|info|off>`, 'for example --rule require-lock-timeout=warning');
    if (!findRule(m[1]!)) throw new UsageError(`--rule ${spec}: unknown rule '${m[1]}'`, `known rules: ${allRules.map((r) => r.id).join(', ')}`);
    out[m[1]!] = m[2] as RuleSetting;
  }
  return out;
}

function targetSettings(opts: { pgVersion?: string; timeZone?: string }): Partial<TargetSettings> {
  const target: Partial<TargetSettings> = {};
  if (opts.pgVersion !== undefined) {
    try {
      target.pgVersion = parsePgVersion(opts.pgVersion);
    } catch {
      throw new UsageError(`--pg-version ${opts.pgVersion}: not a PostgreSQL version`, 'give the major version, e.g. --pg-version 16');
    }
  }
  if (opts.timeZone !== undefined) target.timeZone = opts.timeZone;
  return target;
}

function describeEdit(edit: PlannedEdit): string {
  switch (edit.kind) {
    case 'create':
      return `created ${edit.path}`;
    case 'rename':
      return `renamed ${edit.from} → ${edit.to}`;
    case 'replace':
      return `edited ${edit.path}`;
  }
}

interface CheckOptions {
  format: string;
  color?: boolean;
  pgVersion?: string;
  timeZone?: string;
  rule: string[];
  base?: string;
  staged?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  allowDirty?: boolean;
  djangoVersion?: string;
  config?: string | false;
  jsConfig?: boolean;
  failOn: Severity | 'never';
  maxWarnings?: number;
  quiet?: boolean;
  outputFile?: string;
  summaryFile?: string;
  cache?: boolean;
  cacheDir?: string;
}

/** What `check` writes, worked out from a result (and so storable: see `lintAndRender`). */
interface CheckOutput {
  report: string;
  /** GitHub workflow commands, inside GitHub Actions when the format is not already `github`. */
  annotations: string | null;
  /** The Markdown summary, for `$GITHUB_STEP_SUMMARY` and `--summary-file`. */
  summary: string | null;
  failed: boolean;
}

/** `--no-cache` / `--cache-dir <dir>`: where parse results and runs are kept between runs (none with `--no-cache`). */
function cacheSettings(io: Io, opts: { cache?: boolean; cacheDir?: string }): { cacheDir?: string } {
  if (opts.cache === false) return {};
  return { cacheDir: opts.cacheDir !== undefined ? path.resolve(io.cwd, opts.cacheDir) : defaultCacheDir(io.env) };
}

/** Adds the cache options to a command that reads migrations. */
function withCacheOptions(command: Command): Command {
  return command
    .option('--no-cache', 'parse every file again instead of reusing the results kept from earlier runs')
    .option('--cache-dir <dir>', 'keep parse results and stored runs here (default: $MIGRATE_LINT_CACHE_DIR, else $XDG_CACHE_HOME/migrate-lint or ~/.cache/migrate-lint)');
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Exit 1: a finding at or above `--fail-on`, or more warnings than `--max-warnings`. */
function failed(findings: readonly Finding[], opts: Pick<CheckOptions, 'failOn' | 'maxWarnings'>): boolean {
  if (opts.failOn !== 'never' && findings.some((f) => RANK[f.severity] >= RANK[opts.failOn as Severity])) return true;
  return opts.maxWarnings !== undefined && findings.filter((f) => f.severity === 'warning').length > opts.maxWarnings;
}

async function writeReport(file: string, text: string, how: 'write' | 'append'): Promise<void> {
  try {
    if (how === 'append') await appendFile(file, text);
    else await writeFile(file, text);
  } catch (e) {
    throw new IoError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  let debug = argv.includes('--debug');
  const program = new Command();
  program
    .name('migrate-lint')
    .description('Stops broken database migrations before they merge.')
    .version(VERSION, '-v, --version')
    .option('--debug', 'show stack traces for errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);

  withCacheOptions(program
    .command('check', { isDefault: true }))
    .description('check the migrations under the given paths (default: the repository you are in)')
    .argument('[paths...]', 'files or directories to check')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATTERS)).default('stylish'))
    .option('--no-color', 'never colour the output')
    .option('--pg-version <version>', `PostgreSQL version the migrations run on (default ${DEFAULT_PG_VERSION}; 11 means 11.0)`)
    .option('--time-zone <zone>', 'the session TimeZone the migrations run with (UTC lets timestamp -> timestamptz skip the rewrite)')
    .option('--base <ref>', 'compare with the branch this one will merge into (e.g. origin/main): report what the merge would break, and edits to migrations the target already has')
    .option('--staged', 'check the staged files against HEAD (for pre-commit hooks)')
    .option('--fix', 'apply the fixes findings carry (a Django merge migration, …), then report what is left')
    .option('--fix-dry-run', 'print the fixes as a unified diff and change nothing')
    .option('--allow-dirty', 'let --fix touch files with uncommitted or conflicted changes')
    .option('--django-version <version>', "the Django version written in generated migration headers (default: the version the repository's requirements pin, else 5.2)")
    .option('--rule <id=severity>', 'set a rule to error, warning, info or off (repeatable; turns opt-in rules on)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-c, --config <file>', 'use this configuration file for the whole repository (default: the nearest migrate-lint.config.* or package.json "migrate-lint" key to each migration set)')
    .option('--no-config', 'read no configuration file')
    .option('--no-js-config', 'refuse JavaScript configuration files instead of running them (for untrusted checkouts)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity is reported').choices(['error', 'warning', 'info', 'never']).default('error'))
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', (v: string) => {
      if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings ${v}: expected a whole number`, 'for example --max-warnings 0');
      return Number(v);
    })
    .option('-q, --quiet', 'report errors only (warnings still count for --max-warnings and --fail-on)')
    .option('-o, --output-file <path>', 'write the report to this file instead of standard output')
    .option('--summary-file <path>', 'also write the Markdown pull-request summary to this file')
    .action(async (paths: string[], opts: CheckOptions) => {
      if (opts.fix && opts.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together', '--fix-dry-run shows what --fix would write');
      if (opts.djangoVersion !== undefined && !/^\d+\.\d+(\.\d+)?([a-z]+\d*)?$/.test(opts.djangoVersion)) {
        throw new UsageError(`--django-version ${opts.djangoVersion}: not a Django version`, 'for example --django-version 5.2.17');
      }
      const lintOptions = {
        cwd: io.cwd,
        paths,
        ...(opts.config === false ? { config: false as const } : typeof opts.config === 'string' ? { configFile: path.resolve(io.cwd, opts.config) } : {}),
        ...(opts.jsConfig === false ? { noJsConfig: true } : {}),
        rules: ruleSettings(opts.rule),
        target: targetSettings(opts),
        ...(opts.djangoVersion !== undefined ? { fixEnv: { djangoVersion: opts.djangoVersion } } : {}),
        ...(opts.base !== undefined ? { base: opts.base } : {}),
        ...(opts.staged ? { staged: true } : {}),
        ...cacheSettings(io, opts),
      };
      if (opts.allowDirty && !opts.fix && !opts.fixDryRun) throw new UsageError('--allow-dirty only means something with --fix or --fix-dry-run');
      const color = useColor(io, opts.color) && opts.outputFile === undefined;
      const inActions = io.env.GITHUB_ACTIONS === 'true';
      // Everything the output depends on is worked out from the result here, so that an unchanged tree's
      // output can be stored and printed again without linting (lintAndRender).
      const render = (result: LintResult): CheckOutput => {
        const ctx: ReportContext = {
          root: result.root,
          cwd: io.cwd,
          color,
          version: VERSION,
          sets: result.sets,
          histories: result.histories,
          rules: allRules,
          ...(result.comparison ? { comparison: result.comparison } : {}),
        };
        const shown = opts.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
        const summary = inActions || opts.summaryFile !== undefined ? markdown(shown, { ...ctx, color: false }) : null;
        return {
          report: FORMATTERS[opts.format]!(shown, ctx),
          annotations: inActions && opts.format !== 'github' ? github(shown, ctx) : null,
          summary,
          failed: failed(result.findings, opts),
        };
      };
      let output: CheckOutput;
      if (opts.fix || opts.fixDryRun) {
        let result = await lint(lintOptions);
        const outcome = await runFixes({
          root: result.root,
          findings: result.findings,
          ...(result.comparison ? { comparison: result.comparison } : {}),
          dryRun: Boolean(opts.fixDryRun),
          allowDirty: Boolean(opts.allowDirty),
        });
        if (opts.fixDryRun) {
          io.stdout(outcome.diff ?? '');
          if (outcome.refusal) io.stderr(`migrate-lint: --fix would refuse: ${outcome.refusal}\n`);
        } else if (outcome.plan.edits.length > 0) {
          for (const edit of outcome.plan.edits) io.stderr(`migrate-lint: fixed: ${describeEdit(edit)}\n`);
          // What is left after the fixes, as ESLint reports after --fix.
          result = await lint(lintOptions);
        }
        output = render(result);
      } else {
        const renderKey = JSON.stringify({ command: 'check', cwd: io.cwd, format: opts.format, quiet: Boolean(opts.quiet), color, inActions, summary: opts.summaryFile !== undefined, failOn: opts.failOn, maxWarnings: opts.maxWarnings ?? null, version: VERSION });
        output = await lintAndRender(lintOptions, renderKey, render);
      }
      if (opts.outputFile !== undefined) await writeReport(path.resolve(io.cwd, opts.outputFile), output.report, 'write');
      else io.stdout(output.report);
      // Inside GitHub Actions the findings also become annotations on the pull request's diff and a job
      // summary, whatever the format (a machine-readable format keeps standard output to itself).
      if (output.annotations !== null) (MACHINE_FORMATS.has(opts.format) && opts.outputFile === undefined ? io.stderr : io.stdout)(output.annotations);
      if (inActions && io.env.GITHUB_STEP_SUMMARY && output.summary !== null) await writeReport(io.env.GITHUB_STEP_SUMMARY, output.summary, 'append');
      if (opts.summaryFile !== undefined && output.summary !== null) await writeReport(path.resolve(io.cwd, opts.summaryFile), output.summary, 'write');
      exitCode = output.failed ? 1 : 0;
    });

  withCacheOptions(program
    .command('graph'))
    .description("print each migration set's dependency graph")
    .argument('[paths...]', 'files or directories to read')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'mermaid', 'dot']).default('text'))
    .action(async (paths: string[], opts: { format: 'text' | 'json' | 'mermaid' | 'dot'; cache?: boolean; cacheDir?: string }) => {
      const renderKey = JSON.stringify({ command: 'graph', format: opts.format, version: VERSION });
      io.stdout(await lintAndRender({ cwd: io.cwd, paths, rulesToRun: [], ...cacheSettings(io, opts) }, renderKey, (result) => renderGraph(setGraphs(result.sets, result.histories), opts.format)));
    });

  withCacheOptions(program
    .command('branches'))
    .description('predict which branches conflict with the target, and which pairs conflict with each other')
    .option('--target <ref>', 'the branch they merge into (default: origin/HEAD, else main or master)')
    .option('--remote', 'compare remote-tracking branches instead of local ones')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { target?: string; remote?: boolean; format: 'text' | 'json'; cache?: boolean; cacheDir?: string }) => {
      const prediction = await predictBranches({ cwd: io.cwd, ...(opts.target !== undefined ? { into: opts.target } : {}), ...(opts.remote ? { remote: true } : {}), ...cacheSettings(io, opts) });
      io.stdout(renderBranches(prediction, opts.format));
      exitCode = prediction.pairs.length > 0 || prediction.branches.some((b) => b.findings.some((f) => f.severity === 'error')) ? 1 : 0;
    });

  program
    .command('init')
    .description('write a starter configuration, a GitHub workflow and a pre-commit entry (never over an existing file)')
    .action(async () => {
      const found = await lint({ cwd: io.cwd, rulesToRun: [], config: false });
      const outcome = await init(found.root, found.sets);
      const rel = (p: string) => path.relative(io.cwd, path.join(found.root, p)) || p;
      for (const p of outcome.created) io.stdout(`created ${rel(p)}\n`);
      for (const s of outcome.skipped) io.stdout(`skipped ${s.path.includes('"') ? s.path : rel(s.path)}: ${s.why}\n`);
      if (outcome.advice.length > 0) io.stdout(outcome.advice.join('\n') + '\n');
    });

  program
    .command('install-hook')
    .description('install a git pre-commit hook that runs migrate-lint check --staged (never over a hook it did not write)')
    .action(async () => {
      const { installHook } = await import('../hooks/install.js');
      io.stdout(`${(await installHook(io.cwd)).message}\n`);
    });

  program
    .command('explain')
    .description("print a rule's documentation")
    .argument('<rule>', `rule id (${allRules.map((r) => r.id).join(', ')})`)
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) throw new UsageError(`unknown rule '${id}'`, `known rules: ${allRules.map((r) => r.id).join(', ')}`);
      io.stdout(renderRuleDoc(rule));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    debug = Boolean(program.opts().debug) || debug;
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version exit 0; everything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof MigrateLintError) {
      io.stderr(`migrate-lint: ${e.message}\n`);
      if (e.hint) io.stderr(`  hint: ${e.hint}\n`);
      if (debug && e.stack) io.stderr(e.stack + '\n');
      return 2;
    }
    const err = e as Error;
    io.stderr(`migrate-lint: internal error: ${err.message ?? String(e)}\n`);
    io.stderr(debug && err.stack ? err.stack + '\n' : '  this is a bug in migrate-lint; run again with --debug and report the stack trace\n');
    return 2;
  }
}
