/**
 * Runs a composite action (action.yml, `runs.using: composite`) the way the GitHub runner does, for the
 * end-to-end test of ours: inputs with their defaults, `${{ }}` expressions, each `run:` step through
 * `bash --noprofile --norc -eo pipefail <script>` with the runner's environment (GITHUB_ACTIONS, the
 * event payload file, per-step GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STEP_SUMMARY files),
 * `if:` conditions with the implicit `success()`, step outputs and the action's outputs.
 *
 * The expression language is the subset action.yml may use: literals ('…', numbers, true, false, null),
 * the contexts inputs, github, steps, env and runner, property access with `.`, `==` and `!=` (GitHub's
 * loose comparison: strings case-insensitively, mixed types as numbers), `&&`, `||` (returning an
 * operand, as GitHub does), `!`, parentheses, and the status functions always(), success(), failure()
 * and cancelled(). Anything else — another function, `[ ]`, `<`, an unknown context, an unknown input or
 * step id, a property of `github` this runner does not provide — throws, so action.yml cannot quietly
 * depend on something untested. Steps with `uses:` or other keys the runner does not implement throw too.
 *
 * Steps run with spawn (not spawnSync), so a fake API server in the test's own process keeps answering.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export type Value = string | number | boolean | null | Record<string, unknown> | unknown[];

export interface ActionRunOptions {
  /** The directory holding action.yml: `github.action_path`. */
  actionPath: string;
  /** GITHUB_WORKSPACE: the checked-out repository, where steps run unless they say otherwise. */
  workspace: string;
  inputs?: Record<string, string>;
  event: { name: string; payload: Record<string, unknown> };
  /** owner/name */
  repository: string;
  /** `github.token` (the job's GITHUB_TOKEN). */
  token: string;
  apiUrl: string;
  serverUrl?: string;
  runId?: string;
  /** The process environment steps start from (PATH, HOME, …); the runner's variables are laid over it. */
  env?: Record<string, string | undefined>;
  /** The workflow's `env` context. */
  workflowEnv?: Record<string, string>;
  /** RUNNER_TEMP; a new temporary directory by default. */
  runnerTemp?: string;
  /** Milliseconds a step may take before it is killed. */
  stepTimeout?: number;
}

export interface StepRun {
  id: string | null;
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The step's `env:` after evaluation. */
  env: Record<string, string>;
}

export interface ActionRun {
  steps: StepRun[];
  outputs: Record<string, string>;
  /** False when a step failed: the action's step in the workflow fails. */
  success: boolean;
  /** 0 on success, else the exit code of the first step that failed. */
  exitCode: number;
  /** Every step's output, in order. */
  stdout: string;
  stderr: string;
  /** What the steps appended to GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  runnerTemp: string;
  eventPath: string;
}

interface ActionStep {
  id?: string;
  name?: string;
  if?: string | boolean;
  shell?: string;
  run?: string;
  env?: Record<string, string | number | boolean>;
  'working-directory'?: string;
}

interface ActionFile {
  inputs?: Record<string, { description?: string; required?: boolean | string; default?: string | number | boolean }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs?: { using?: string; steps?: ActionStep[] };
}

const STEP_KEYS = new Set(['id', 'name', 'if', 'shell', 'run', 'env', 'working-directory']);
const GITHUB_KEYS = new Set(['token', 'action_path', 'workspace', 'event_name', 'event', 'repository', 'repository_owner', 'run_id', 'server_url', 'api_url', 'ref', 'base_ref', 'head_ref', 'action']);
const RUNNER_KEYS = new Set(['temp', 'os', 'arch', 'name']);
const STATUS_FUNCTIONS = new Set(['always', 'success', 'failure', 'cancelled']);

// ---------------------------------------------------------------------------------------------------
// Expressions

type Node =
  | { k: 'lit'; v: Value }
  | { k: 'ctx'; name: string }
  | { k: 'prop'; obj: Node; name: string }
  | { k: 'call'; name: string }
  | { k: 'not'; e: Node }
  | { k: 'bin'; op: '==' | '!=' | '&&' | '||'; l: Node; r: Node };

type Token = { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

export class ExpressionError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionError(`unterminated string in: ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '&&' || two === '||') {
        out.push({ t: 'op', v: two });
        i += 2;
      } else if (c === '!' || c === '(' || c === ')' || c === '.') {
        out.push({ t: 'op', v: c });
        i++;
      } else {
        throw new ExpressionError(`unsupported character '${c}' in expression: ${src}`);
      }
    }
  }
  return out;
}

export function parseExpression(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const isOp = (v: string): boolean => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new ExpressionError(`expected '${v}' in expression: ${src}`);
    p++;
  };
  const binary = (ops: string[], next: () => Node): Node => {
    let l = next();
    while (ops.some(isOp)) {
      const op = toks[p++]!.v as '==' | '!=' | '&&' | '||';
      l = { k: 'bin', op, l, r: next() };
    }
    return l;
  };
  const or = (): Node => binary(['||'], and);
  const and = (): Node => binary(['&&'], eq);
  const eq = (): Node => binary(['==', '!='], unary);
  const unary = (): Node => {
    if (isOp('!')) {
      p++;
      return { k: 'not', e: unary() };
    }
    let node = primary();
    while (isOp('.')) {
      p++;
      const t = toks[p++];
      if (t?.t !== 'id' && t?.t !== 'num') throw new ExpressionError(`expected a property name after '.' in: ${src}`);
      node = { k: 'prop', obj: node, name: String(t.v) };
    }
    return node;
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (!t) throw new ExpressionError(`unexpected end of expression: ${src}`);
    if (t.t === 'str' || t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (isOp('(')) {
        p++;
        if (!STATUS_FUNCTIONS.has(t.v)) throw new ExpressionError(`unsupported function ${t.v}() in: ${src}`);
        expect(')');
        return { k: 'call', name: t.v };
      }
      return { k: 'ctx', name: t.v };
    }
    throw new ExpressionError(`unexpected '${t.v}' in expression: ${src}`);
  };
  const node = or();
  if (p !== toks.length) throw new ExpressionError(`unexpected '${toks[p]!.v}' in expression: ${src}`);
  return node;
}

function usesStatusFunction(n: Node): boolean {
  switch (n.k) {
    case 'call':
      return true;
    case 'not':
      return usesStatusFunction(n.e);
    case 'bin':
      return usesStatusFunction(n.l) || usesStatusFunction(n.r);
    case 'prop':
      return usesStatusFunction(n.obj);
    default:
      return false;
  }
}

export interface ExpressionContext {
  inputs: Record<string, string>;
  github: Record<string, unknown>;
  /** Declared step ids (known before they run) and what the ones that ran produced. */
  steps: Map<string, { outputs: Record<string, string>; outcome: string | null }>;
  env: Record<string, string>;
  runner: Record<string, string>;
  /** A step has failed so far. */
  failed: boolean;
}

export function truthy(v: Value): boolean {
  return !(v === false || v === null || v === '' || v === 0 || (typeof v === 'number' && Number.isNaN(v)));
}

function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v.trim());
  return NaN;
}

/** GitHub's `==`: strings ignore case; values of different types compare as numbers. */
export function looseEquals(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a === null && b === null) return true;
  if (typeof a === typeof b && a !== null && b !== null) return a === b;
  return toNumber(a) === toNumber(b);
}

function pathOf(n: Node): string[] | null {
  if (n.k === 'ctx') return [n.name];
  if (n.k === 'prop') {
    const p = pathOf(n.obj);
    return p && [...p, n.name];
  }
  return null;
}

function resolve(pth: string[], ctx: ExpressionContext, src: string): Value {
  const [root, ...rest] = pth;
  const fail = (why: string): never => {
    throw new ExpressionError(`${why}: ${pth.join('.')} in ${src}`);
  };
  switch (root) {
    case 'inputs': {
      if (rest.length !== 1) fail('expected inputs.<name>');
      if (!(rest[0]! in ctx.inputs)) fail('unknown input');
      return ctx.inputs[rest[0]!]!;
    }
    case 'github': {
      if (rest.length === 0 || !GITHUB_KEYS.has(rest[0]!)) fail('a github property this runner does not provide');
      let v: unknown = ctx.github[rest[0]!];
      if (rest[0] !== 'event' && rest.length > 1) fail('no properties below this github value');
      for (const key of rest.slice(1)) v = v !== null && typeof v === 'object' ? ((v as Record<string, unknown>)[key] ?? null) : null;
      return (v ?? null) as Value;
    }
    case 'steps': {
      const step = ctx.steps.get(rest[0] ?? '');
      if (!step) fail('unknown step id');
      if (rest[1] === 'outputs' && rest.length === 3) return step!.outputs[rest[2]!] ?? '';
      if ((rest[1] === 'outcome' || rest[1] === 'conclusion') && rest.length === 2) return step!.outcome ?? '';
      return fail('expected steps.<id>.outputs.<name>, .outcome or .conclusion');
    }
    case 'env':
      if (rest.length !== 1) fail('expected env.<name>');
      return ctx.env[rest[0]!] ?? null;
    case 'runner':
      if (rest.length !== 1 || !RUNNER_KEYS.has(rest[0]!)) fail('a runner property this runner does not provide');
      return ctx.runner[rest[0]!] ?? null;
    default:
      return fail('unsupported context');
  }
}

export function evaluate(n: Node, ctx: ExpressionContext, src = ''): Value {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'ctx':
    case 'prop': {
      const pth = pathOf(n);
      if (!pth) throw new ExpressionError(`property access on a value that is not a context in: ${src}`);
      return resolve(pth, ctx, src);
    }
    case 'call':
      switch (n.name) {
        case 'always':
          return true;
        case 'success':
          return !ctx.failed;
        case 'failure':
          return ctx.failed;
        default:
          return false; // cancelled(): this runner never cancels
      }
    case 'not':
      return !truthy(evaluate(n.e, ctx, src));
    case 'bin': {
      const l = evaluate(n.l, ctx, src);
      if (n.op === '&&') return truthy(l) ? evaluate(n.r, ctx, src) : l;
      if (n.op === '||') return truthy(l) ? l : evaluate(n.r, ctx, src);
      const r = evaluate(n.r, ctx, src);
      return n.op === '==' ? looseEquals(l, r) : !looseEquals(l, r);
    }
  }
}

function toText(v: Value, src: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ExpressionError(`an object cannot be put into a string: ${src}`);
}

/** The `${{ … }}` parts of a string: their positions and sources (a `}}` inside a '…' literal does not end one). */
function templateParts(text: string): { start: number; end: number; src: string }[] {
  const parts: { start: number; end: number; src: string }[] = [];
  let i = 0;
  for (;;) {
    const start = text.indexOf('${{', i);
    if (start < 0) return parts;
    let j = start + 3;
    let inString = false;
    for (; j < text.length; j++) {
      if (text[j] === "'") inString = !inString;
      else if (!inString && text.startsWith('}}', j)) break;
    }
    if (j >= text.length) throw new ExpressionError(`unterminated \${{ in: ${text}`);
    parts.push({ start, end: j + 2, src: text.slice(start + 3, j).trim() });
    i = j + 2;
  }
}

export function evaluateTemplate(text: string, ctx: ExpressionContext): string {
  let out = '';
  let i = 0;
  for (const part of templateParts(text)) {
    out += text.slice(i, part.start) + toText(evaluate(parseExpression(part.src), ctx, part.src), part.src);
    i = part.end;
  }
  return out + text.slice(i);
}

/** A step's `if:`: an expression with or without `${{ }}`, implicitly `success() && (…)`. */
export function evaluateCondition(cond: string | boolean | undefined, ctx: ExpressionContext): boolean {
  if (cond === undefined) return !ctx.failed;
  if (typeof cond === 'boolean') return cond && !ctx.failed;
  let src = cond.trim();
  const parts = templateParts(src);
  if (parts.length > 0) {
    // GitHub treats `x ${{ y }}` as a non-empty string, always true: refuse that mistake.
    if (parts.length !== 1 || parts[0]!.start !== 0 || parts[0]!.end !== src.length) throw new ExpressionError(`an if: mixes text and \${{ }}: ${cond}`);
    src = parts[0]!.src;
  }
  const node = parseExpression(src);
  const full: Node = usesStatusFunction(node) ? node : { k: 'bin', op: '&&', l: { k: 'call', name: 'success' }, r: node };
  return truthy(evaluate(full, ctx, src));
}

// ---------------------------------------------------------------------------------------------------
// File commands

/** `name=value` and `name<<DELIMITER … DELIMITER` lines, as the runner reads GITHUB_OUTPUT and GITHUB_ENV. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    const eq = line.indexOf('=');
    if (heredoc && (eq < 0 || eq > line.indexOf('<<'))) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; ; i++) {
        if (i >= lines.length) throw new Error(`file command ${name}: no line '${delim}' ends it`);
        if (lines[i] === delim) break;
        value.push(lines[i]!);
      }
      out[name!] = value.join('\n');
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`file command line is neither name=value nor name<<DELIMITER: ${line}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The runner

function runBash(script: string, cwd: string, env: Record<string, string>, timeout: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : null), stdout, stderr: signal ? stderr + `\n[killed by ${signal} after ${timeout} ms]` : stderr });
    });
  });
}

export function loadAction(actionPath: string): ActionFile {
  const file = ['action.yml', 'action.yaml'].map((f) => path.join(actionPath, f)).find(existsSync);
  if (!file) throw new Error(`no action.yml in ${actionPath}`);
  const action = parseYaml(readFileSync(file, 'utf8')) as ActionFile;
  if (action.runs?.using !== 'composite') throw new Error(`${file}: runs.using is ${action.runs?.using}, not composite`);
  return action;
}

export async function runCompositeAction(opts: ActionRunOptions): Promise<ActionRun> {
  const action = loadAction(opts.actionPath);
  const steps = action.runs!.steps ?? [];
  const runnerTemp = opts.runnerTemp ?? mkdtempSync(path.join(tmpdir(), 'ml-runner-'));
  mkdirSync(runnerTemp, { recursive: true });
  const eventPath = path.join(runnerTemp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(opts.event.payload, null, 2));
  const pr = opts.event.payload.pull_request as { number?: number; base?: { ref?: string }; head?: { ref?: string } } | undefined;
  const serverUrl = opts.serverUrl ?? 'https://github.com';
  const runId = opts.runId ?? '1234567890';
  const github: Record<string, unknown> = {
    token: opts.token,
    action_path: opts.actionPath,
    workspace: opts.workspace,
    event_name: opts.event.name,
    event: opts.event.payload,
    repository: opts.repository,
    repository_owner: opts.repository.split('/')[0],
    run_id: runId,
    server_url: serverUrl,
    api_url: opts.apiUrl,
    ref: pr?.number ? `refs/pull/${pr.number}/merge` : 'refs/heads/main',
    base_ref: pr?.base?.ref ?? '',
    head_ref: pr?.head?.ref ?? '',
    action: '__run',
  };
  const runner = { temp: runnerTemp, os: 'Linux', arch: 'X64', name: 'test-runner' };
  const jobEnv: Record<string, string> = { ...(opts.workflowEnv ?? {}) };
  const ctx: ExpressionContext = { inputs: {}, github, steps: new Map(), env: jobEnv, runner, failed: false };

  // Inputs: defaults (expressions allowed) and what the workflow gave; every input is a string.
  for (const name of Object.keys(opts.inputs ?? {})) {
    if (!action.inputs || !(name in action.inputs)) throw new Error(`unexpected input '${name}': action.yml declares ${Object.keys(action.inputs ?? {}).join(', ')}`);
  }
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    const given = opts.inputs?.[name];
    if (given !== undefined) ctx.inputs[name] = given;
    else if (spec.required === true || spec.required === 'true') throw new Error(`input '${name}' is required`);
    else ctx.inputs[name] = spec.default === undefined ? '' : evaluateTemplate(String(spec.default), ctx);
  }

  for (const [i, step] of steps.entries()) {
    for (const key of Object.keys(step)) if (!STEP_KEYS.has(key)) throw new Error(`step ${i + 1}: '${key}' is not supported by this runner`);
    if (step.run === undefined) throw new Error(`step ${i + 1}: only run: steps are supported`);
    if (step.shell !== 'bash') throw new Error(`step ${i + 1}: shell is ${step.shell ?? 'missing'}; composite run steps need one, and this runner knows bash`);
    if (step.id) {
      if (ctx.steps.has(step.id)) throw new Error(`step id '${step.id}' is used twice`);
      ctx.steps.set(step.id, { outputs: {}, outcome: null });
    }
  }

  const results: StepRun[] = [];
  let pathPrefix: string[] = [];
  let summary = '';
  let firstFailure = 0;
  for (const [i, step] of steps.entries()) {
    const name = step.name ?? step.run!.split('\n')[0]!;
    if (!evaluateCondition(step.if, ctx)) {
      results.push({ id: step.id ?? null, name, outcome: 'skipped', exitCode: null, stdout: '', stderr: '', outputs: {}, env: {} });
      if (step.id) ctx.steps.set(step.id, { outputs: {}, outcome: 'skipped' });
      continue;
    }
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluateTemplate(String(v), ctx);
    const files = Object.fromEntries(['output', 'env', 'path', 'summary'].map((f) => [f, path.join(runnerTemp, `_file_commands_${f}_${i}`)]));
    for (const f of Object.values(files)) writeFileSync(f, '');
    const scriptPath = path.join(runnerTemp, `step_${i}.sh`);
    writeFileSync(scriptPath, evaluateTemplate(step.run!, ctx));
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) base[k] = v;
    const env: Record<string, string> = {
      ...base,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_ACTION_PATH: opts.actionPath,
      GITHUB_EVENT_NAME: opts.event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: opts.repository,
      GITHUB_REPOSITORY_OWNER: opts.repository.split('/')[0]!,
      GITHUB_API_URL: opts.apiUrl,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_RUN_ID: runId,
      GITHUB_REF: String(github.ref),
      ...(pr ? { GITHUB_BASE_REF: String(github.base_ref), GITHUB_HEAD_REF: String(github.head_ref) } : {}),
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: 'Linux',
      GITHUB_OUTPUT: files.output!,
      GITHUB_ENV: files.env!,
      GITHUB_PATH: files.path!,
      GITHUB_STEP_SUMMARY: files.summary!,
      ...jobEnv,
      ...stepEnv,
    };
    if (pathPrefix.length > 0) env.PATH = [...pathPrefix, env.PATH ?? ''].join(path.delimiter);
    const cwd = path.resolve(opts.workspace, step['working-directory'] !== undefined ? evaluateTemplate(step['working-directory'], ctx) : '.');
    const r = await runBash(scriptPath, cwd, env, opts.stepTimeout ?? 180_000);
    const outputs = parseFileCommands(readFileSync(files.output!, 'utf8'));
    Object.assign(jobEnv, parseFileCommands(readFileSync(files.env!, 'utf8')));
    pathPrefix = [...readFileSync(files.path!, 'utf8').split('\n').filter(Boolean).reverse(), ...pathPrefix];
    summary += readFileSync(files.summary!, 'utf8');
    const outcome = r.code === 0 ? 'success' : 'failure';
    if (outcome === 'failure' && !ctx.failed) {
      ctx.failed = true;
      firstFailure = r.code ?? 1;
    }
    results.push({ id: step.id ?? null, name, outcome, exitCode: r.code, stdout: r.stdout, stderr: r.stderr, outputs, env: stepEnv });
    if (step.id) ctx.steps.set(step.id, { outputs, outcome });
  }

  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs ?? {})) outputs[name] = evaluateTemplate(spec.value ?? '', ctx);
  return {
    steps: results,
    outputs,
    success: !ctx.failed,
    exitCode: ctx.failed ? firstFailure : 0,
    stdout: results.map((s) => s.stdout).join(''),
    stderr: results.map((s) => s.stderr).join(''),
    summary,
    runnerTemp,
    eventPath,
  };
}
