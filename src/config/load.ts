/**
 * Configuration files: `migrate-lint.config.{json,yaml,yml,mjs,js,cjs}` or a `"migrate-lint"` key in a
 * package.json, anywhere in the repository. Each governs the directory it sits in and everything below;
 * the nearest one to a migration set wins whole (no merging with configs further up — a monorepo's
 * packages each say what they want), except `ignore`, whose patterns apply from every config above a
 * file. Files are validated against `configSchema` and a bad one is one `ConfigError` naming the file and
 * the key. JavaScript configs are imported (the user's own code, as ESLint's are); JSON and YAML are read.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { ConfigError } from '../errors.js';
import type { DeclaredSet, Dialect, Framework } from '../model/types.js';

export type { DeclaredSet };
import { parsePgVersion } from '../postgres/version.js';
import { configSchema, describeSchemaError, KEY_DOCS, type SchemaError, type SchemaRule } from './schema.js';

export const CONFIG_FILES = ['migrate-lint.config.json', 'migrate-lint.config.yaml', 'migrate-lint.config.yml', 'migrate-lint.config.mjs', 'migrate-lint.config.js', 'migrate-lint.config.cjs'] as const;
export const PACKAGE_KEY = 'migrate-lint';

export type RuleSetting = 'error' | 'warning' | 'info' | 'off';

export interface MigrateLintConfig {
  sets?: { framework: Framework; path: string; dialect?: Exclude<Dialect, 'unknown'> }[];
  rules?: Record<string, RuleSetting | [RuleSetting] | [RuleSetting, Record<string, unknown>]>;
  pgVersion?: number | string;
  timeZone?: string;
  ignore?: string[];
  baseline?: string;
  djangoVersion?: string;
}


export interface ConfigScope {
  /** Repository-relative directory the config governs ('' = the root). */
  dir: string;
  /** Repository-relative path of the file (`pkg/package.json` for the key), or null: the defaults. */
  file: string | null;
  config: MigrateLintConfig;
}

const DEFAULTS: ConfigScope = { dir: '', file: null, config: {} };

export class ProjectConfig {
  /** Deepest directory first, so the first scope containing a path is its nearest. */
  readonly scopes: readonly ConfigScope[];
  private readonly ignoreMatchers: { dir: string; match: (p: string) => boolean }[];

  constructor(scopes: readonly ConfigScope[]) {
    this.scopes = [...scopes].sort((a, b) => depth(b.dir) - depth(a.dir) || (a.dir < b.dir ? -1 : 1));
    this.ignoreMatchers = this.scopes
      .filter((s) => s.config.ignore?.length)
      .map((s) => {
        // A pattern matches the path itself or a directory above it (`legacy` and `legacy/**` both work).
        const m = picomatch(s.config.ignore!, { dot: true });
        return { dir: s.dir, match: (rel: string) => m(rel) || ancestors(rel).some((a) => m(a)) };
      });
  }

  static readonly none = new ProjectConfig([]);

  /** The config nearest to a repository-relative path (a set's directory, a file). */
  scopeOf(p: string): ConfigScope {
    return this.scopes.find((s) => contains(s.dir, p)) ?? DEFAULTS;
  }

  /** Every scope, the defaults included when some part of the repository has no config. */
  get allScopes(): readonly ConfigScope[] {
    return this.scopes.some((s) => s.dir === '') ? this.scopes : [...this.scopes, DEFAULTS];
  }

  isIgnored(p: string): boolean {
    return this.ignoreMatchers.some((m) => contains(m.dir, p) && m.match(m.dir ? p.slice(m.dir.length + 1) : p));
  }

  /** Directories of configurations that declare no sets: detection works there even under a
   *  configuration further up that declares its own. */
  openScopes(): string[] {
    return this.scopes.filter((s) => s.config.sets === undefined).map((s) => s.dir);
  }

  declaredSets(): DeclaredSet[] {
    return this.scopes.flatMap((s) =>
      (s.config.sets ?? []).map((d) => ({ framework: d.framework, path: joinRel(s.dir, d.path), ...(d.dialect ? { dialect: d.dialect } : {}), scope: s.dir })),
    );
  }
}

export interface LoadOptions {
  /** Use this one file for the whole repository and look for no other (`--config`). */
  explicit?: string;
  /** Refuse JavaScript configuration files instead of importing them (`--no-js-config`): for runs on
   *  code nobody has reviewed yet, such as a fork's pull request with a write token. */
  noJs?: boolean;
}

/**
 * Finds and validates the configuration files among `files` (the repository's file list, repository
 * relative) under `root`.
 */
export async function loadProjectConfig(root: string, files: readonly string[], rules: readonly SchemaRule[], options: LoadOptions = {}): Promise<ProjectConfig> {
  const candidates = options.explicit !== undefined ? [explicitPath(root, options.explicit)] : files.filter(isConfigName);
  const byDir = new Map<string, ConfigScope>();
  for (const file of candidates) {
    if (options.noJs && /\.(mjs|js|cjs)$/.test(file)) {
      throw new ConfigError(`${file}: JavaScript configuration files are not loaded with --no-js-config`, 'use migrate-lint.config.json or .yaml, which are read, not run');
    }
    const scope = await loadConfigFile(root, file, rules, files);
    if (!scope) continue;
    if (options.explicit !== undefined) scope.dir = '';
    const other = byDir.get(scope.dir);
    if (other) {
      throw new ConfigError(`two configuration files in ${scope.dir || 'the repository root'}: ${other.file} and ${scope.file}`, 'keep one of them');
    }
    byDir.set(scope.dir, scope);
  }
  return new ProjectConfig([...byDir.values()]);
}

function isConfigName(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base === 'package.json' || (CONFIG_FILES as readonly string[]).includes(base);
}

function explicitPath(root: string, given: string): string {
  const rel = path.relative(root, path.resolve(given));
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ConfigError(`--config ${given}: outside the repository at ${root}`);
  return rel.split(path.sep).join('/');
}

/** Reads, parses and validates one file; null for a package.json without the key. */
export async function loadConfigFile(root: string, file: string, rules: readonly SchemaRule[], files: readonly string[] = []): Promise<ConfigScope | null> {
  const abs = path.join(root, file);
  const base = path.posix.basename(file);
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  let value: unknown;
  if (base.endsWith('.mjs') || base.endsWith('.js') || base.endsWith('.cjs')) {
    try {
      const mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
      value = mod.default ?? mod;
    } catch (e) {
      throw new ConfigError(`${file}: could not be loaded: ${firstLine(e)}`, 'it must export the configuration object as its default export');
    }
  } else {
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (e) {
      throw new ConfigError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? firstLine(e)}`);
    }
    if (base.endsWith('.yaml') || base.endsWith('.yml')) {
      const { parseDocument } = await import('yaml');
      const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
      const err = doc.errors[0];
      if (err) {
        const at = err.linePos?.[0];
        throw new ConfigError(`${file}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML: ${firstLine(err.message)}`);
      }
      value = doc.toJS() ?? {};
    } else {
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new ConfigError(`${file}: not valid JSON: ${firstLine(e)}`);
      }
      if (base === 'package.json') {
        if (value === null || typeof value !== 'object' || !(PACKAGE_KEY in value)) return null;
        value = (value as Record<string, unknown>)[PACKAGE_KEY];
        return { dir, file: `${file}#${PACKAGE_KEY}`, config: validate(value, `${file} "${PACKAGE_KEY}"`, rules, dir, files) };
      }
    }
  }
  return { dir, file, config: validate(value, file, rules, dir, files) };
}

type Validate = ((v: unknown) => boolean) & { errors?: SchemaError[] | null };
let compiled: { rules: readonly SchemaRule[]; validate: Validate } | undefined;

function validator(rules: readonly SchemaRule[]): Validate {
  if (compiled?.rules !== rules) {
    // ajv is CommonJS; `require` keeps Node from scanning it for ES exports (and it loads only when a
    // repository has a configuration file).
    const Ajv = (createRequire(import.meta.url)('ajv') as { default: new (o: object) => { compile(s: object): Validate } }).default;
    // The schema is ours (test/config checks it against the draft-07 meta-schema), and it validates a
    // handful of small files once: checking it and optimising the generated code would cost more than
    // the validation saves (about 200 of 350 ms).
    compiled = { rules, validate: new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { optimize: false } }).compile(configSchema(rules)) };
  }
  return compiled.validate;
}

function validate(value: unknown, where: string, rules: readonly SchemaRule[], dir: string, files: readonly string[]): MigrateLintConfig {
  const check = validator(rules);
  if (!check(value)) {
    const { message, hint } = describeSchemaError(check.errors ?? [], { keys: Object.keys(KEY_DOCS), rules: rules.map((r) => r.id) });
    throw new ConfigError(`${where}: ${message}`, hint);
  }
  const config = value as MigrateLintConfig;
  if (config.pgVersion !== undefined) {
    try {
      parsePgVersion(config.pgVersion);
    } catch {
      throw new ConfigError(`${where}: pgVersion: not a PostgreSQL version: ${JSON.stringify(config.pgVersion)}`, 'give the major version, e.g. 16');
    }
  }
  for (const [i, s] of (config.sets ?? []).entries()) {
    const rel = joinRel(dir, s.path);
    if (rel.startsWith('..')) throw new ConfigError(`${where}: sets[${i}].path: ${s.path} is outside the repository`);
    if (files.length > 0 && !files.some((f) => f.startsWith(rel + '/'))) {
      throw new ConfigError(`${where}: sets[${i}].path: no such directory, or no files in it: ${s.path}`, `paths are relative to the configuration file's directory (${dir || 'the repository root'})`);
    }
  }
  return config;
}

function joinRel(dir: string, p: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, p.replace(/\\/g, '/')));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function contains(dir: string, p: string): boolean {
  return dir === '' || p === dir || p.startsWith(dir + '/');
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function ancestors(rel: string): string[] {
  const parts = rel.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0]!;
}
