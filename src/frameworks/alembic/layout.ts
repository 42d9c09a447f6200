/**
 * Where a repository's Alembic environments are (reference/frameworks.md §4.1), strongest signal first:
 *
 *  1. `alembic.ini`: every section with a `script_location` is an environment (`[alembic]`, and the
 *     named sections `alembic -n <name>` selects), with `%(here)s` the file's directory;
 *  2. `pyproject.toml` `[tool.alembic]` (Alembic 1.16+), `%(here)s` likewise;
 *  3. detection: a `versions/` directory beside `env.py` or `script.py.mako`, or one whose Python files
 *     assign `revision` and `down_revision` (read with the Python grammar by the caller).
 *
 * Revision files are the `*.py` files of each version location (`<script_location>/versions` unless
 * `version_locations` says otherwise; subdirectories only with `recursive_version_locations = true`),
 * except names starting with `__init__` or `.#` (alembic/script/base.py `_only_source_rev_file`), in the
 * order Alembic loads them (`Script._list_py_dir`: each location in turn, files sorted by name, then
 * subdirectories sorted): the order its revision map, and so its list of heads, follows.
 *
 * `alembic.ini` is read line by line with configparser's rules for the few keys used, `pyproject.toml` with
 * smol-toml; they are configuration, not migration source.
 */
import { parse as parseToml } from 'smol-toml';

export interface AlembicEnvironment {
  /** Repository-relative script directory (`script_location`), '' for the root. */
  scriptDir: string;
  /** Repository-relative version locations, in the configured order. */
  versionDirs: string[];
  recursive: boolean;
  /** The config file and section that named it, when one did. */
  config?: { file: string; section: string };
  /** `file_template` from the config (default `%(rev)s_%(slug)s`). */
  fileTemplate: string;
  /** `truncate_slug_length` (default 40). */
  truncateSlugLength: number;
  /** Revision files, in Alembic's load order. */
  files: string[];
}

export const DEFAULT_FILE_TEMPLATE = '%(rev)s_%(slug)s';

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a}/${b}`);

/** Resolves `.` and `..` in a repository-relative path; null when it leaves the repository. */
export function normalise(p: string): string | null {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** A configured location: `%(here)s` is the config's directory; a relative path is relative to it (Alembic
 *  resolves it against the working directory, which is where the config is in practice); `pkg.mod:dir`
 *  is a package resource, taken as that path beside the config. */
function location(value: string, here: string): string | null {
  let v = value.trim().replace(/%\(here\)s/g, here === '' ? '.' : `/${here}`);
  if (v.startsWith('/')) v = v.slice(1);
  else if (/^[\w.]+:/.test(v) && !/^[A-Za-z]:[\\/]/.test(v)) {
    const [pkg, rest] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
    v = join(pkg.split('.').join('/'), rest);
    v = join(here, v);
  } else v = join(here, v);
  return normalise(v.replace(/\\/g, '/'));
}

/** configparser, as far as Alembic's keys need it: sections, `key = value` / `key: value` (keys
 *  lower-cased), indented continuation lines, `#` and `;` comment lines, `%(name)s` from the same section
 *  or `[DEFAULT]` (`here` is left for `location`). */
export function readIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') lastKey = null;
      continue;
    }
    if (/^\s/.test(raw) && current && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey)}\n${trimmed}`);
      continue;
    }
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const name = trimmed.slice(1, -1).trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = null;
      continue;
    }
    const eq = [trimmed.indexOf('='), trimmed.indexOf(':')].filter((i) => i > 0).sort((a, b) => a - b)[0];
    if (eq === undefined || !current) continue;
    lastKey = trimmed.slice(0, eq).trim().toLowerCase();
    current.set(lastKey, trimmed.slice(eq + 1).trim());
  }
  const defaults = sections.get('DEFAULT');
  for (const [, s] of sections) {
    for (const [k, v] of s) s.set(k, interpolate(v, (name) => (name === 'here' ? undefined : (s.get(name) ?? defaults?.get(name)))));
  }
  return sections;
}

/** configparser's BasicInterpolation: `%%` is `%`, `%(name)s` a value (left as written when unknown). */
function interpolate(v: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== '%') {
      out += v[i];
      continue;
    }
    if (v[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const close = v.indexOf(')s', i);
    if (v[i + 1] === '(' && close > 0) {
      const name = v.slice(i + 2, close);
      out += lookup(name) ?? v.slice(i, close + 2);
      i = close + 1;
      continue;
    }
    out += '%';
  }
  return out;
}

/** The `[tool.alembic]` table of a pyproject.toml (smol-toml): its string, number and boolean values as
 *  strings, arrays of strings as arrays; null when there is no such table or the file is not TOML. */
export function readPyprojectAlembic(text: string): Map<string, string | string[]> | null {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const table = (doc.tool as Record<string, unknown> | undefined)?.alembic;
  if (!table || typeof table !== 'object' || Array.isArray(table)) return null;
  const out = new Map<string, string | string[]>();
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.set(key, String(value));
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out.set(key, value as string[]);
  }
  return out;
}

interface Configured {
  scriptDir: string;
  versionDirs: string[] | null;
  recursive: boolean;
  fileTemplate: string;
  truncateSlugLength: number;
  config: { file: string; section: string };
}

/** Environments named by `alembic.ini` files (every section with a `script_location`). */
export function fromIni(file: string, text: string): Configured[] {
  const here = dirname(file);
  const out: Configured[] = [];
  for (const [section, keys] of readIni(text)) {
    const loc = keys.get('script_location');
    if (loc === undefined) continue;
    const scriptDir = location(loc, here);
    if (scriptDir === null) continue;
    // `path_separator` (1.16+) says how version_locations is split; older files split on spaces or commas.
    const sep = keys.get('path_separator') ?? keys.get('version_path_separator');
    const raw = keys.get('version_locations');
    const parts = raw === undefined ? null : splitLocations(raw, sep);
    out.push({
      scriptDir,
      versionDirs: parts ? parts.map((p) => location(p, here)).filter((p): p is string => p !== null) : null,
      recursive: /^(true|1|yes|on)$/i.test(keys.get('recursive_version_locations') ?? ''),
      fileTemplate: keys.get('file_template') ?? DEFAULT_FILE_TEMPLATE,
      truncateSlugLength: Number(keys.get('truncate_slug_length') ?? 40) || 40,
      config: { file, section },
    });
  }
  return out;
}

function splitLocations(raw: string, sep: string | undefined): string[] {
  const byChar = sep === 'space' ? /\s+/ : sep === 'newline' ? /\n/ : sep === ';' ? /;/ : sep === ':' ? /:/ : sep === 'os' ? /:/ : /[\s,]+/;
  return raw.split(byChar).map((s) => s.trim()).filter(Boolean);
}

/** The environment of a pyproject.toml `[tool.alembic]` table. */
export function fromPyproject(file: string, text: string): Configured[] {
  const t = readPyprojectAlembic(text);
  const loc = t?.get('script_location');
  if (!t || typeof loc !== 'string') return [];
  const here = dirname(file);
  const scriptDir = location(loc, here);
  if (scriptDir === null) return [];
  const v = t.get('version_locations');
  const versionDirs = v === undefined ? null : (Array.isArray(v) ? v : splitLocations(v, undefined)).map((p) => location(p, here)).filter((p): p is string => p !== null);
  const template = t.get('file_template');
  const truncate = t.get('truncate_slug_length');
  return [
    {
      scriptDir,
      versionDirs,
      recursive: t.get('recursive_version_locations') === 'true',
      fileTemplate: typeof template === 'string' ? template : DEFAULT_FILE_TEMPLATE,
      truncateSlugLength: typeof truncate === 'string' ? Number(truncate) || 40 : 40,
      config: { file, section: 'tool.alembic' },
    },
  ];
}

/** Whether a file name is one Alembic loads as a revision. */
export function isRevisionFileName(name: string): boolean {
  return name.endsWith('.py') && !name.startsWith('__init__') && !name.startsWith('.#');
}

/** The revision files of the version locations, in Alembic's load order. */
export function revisionFiles(files: readonly string[], versionDirs: readonly string[], recursive: boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const dir of versionDirs) {
    const prefix = dir === '' ? '' : `${dir}/`;
    const under = files.filter((f) => f.startsWith(prefix) && isRevisionFileName(basename(f)) && !f.includes('/__pycache__/'));
    const direct = under.filter((f) => !f.slice(prefix.length).includes('/'));
    const ordered = recursive ? walkOrder(under, prefix) : [...direct].sort(byCodePoint);
    for (const f of ordered) {
      if (seen.has(f)) continue;
      seen.add(f);
      out.push(f);
    }
  }
  return out;
}

/** Top-down walk: a directory's files sorted, then each subdirectory (sorted) in turn. */
function walkOrder(files: readonly string[], prefix: string): string[] {
  const here = files.filter((f) => !f.slice(prefix.length).includes('/')).sort(byCodePoint);
  const subdirs = [...new Set(files.filter((f) => f.slice(prefix.length).includes('/')).map((f) => f.slice(prefix.length).split('/')[0]!))].sort(byCodePoint);
  return [...here, ...subdirs.flatMap((d) => walkOrder(files.filter((f) => f.startsWith(`${prefix}${d}/`)), `${prefix}${d}/`))];
}

/** Python's string order (code points), not the locale's. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The environment a configuration's declared `path` names (discover/index.ts): a known environment (from
 * `alembic.ini`, `pyproject.toml` or detection) whose script directory or version location it is; else a
 * script directory, when `env.py`, `script.py.mako` or a `versions/` directory is in it; else a version
 * location whose script directory is its parent (a `versions/` directory with no `alembic.ini`). A path
 * with no revision files is an environment with none.
 */
export function declaredEnvironment(path: string, files: readonly string[], known: readonly AlembicEnvironment[]): AlembicEnvironment {
  const env = known.find((e) => e.scriptDir === path || e.versionDirs.includes(path));
  if (env) return env;
  const scriptDir = files.some((f) => f === join(path, 'env.py') || f === join(path, 'script.py.mako') || f.startsWith(`${join(path, 'versions')}/`)) ? path : dirname(path);
  const versionDirs = [scriptDir === path ? join(path, 'versions') : path];
  return { scriptDir, versionDirs, recursive: false, fileTemplate: DEFAULT_FILE_TEMPLATE, truncateSlugLength: 40, files: revisionFiles(files, versionDirs, false) };
}

/**
 * Every environment: configured ones first, then script directories found by their files. `looksLikeRevisions`
 * says whether a `versions/` directory with no `env.py` or `script.py.mako` beside it holds revision files
 * (the caller reads them with the Python grammar).
 */
export async function findEnvironments(
  files: readonly string[],
  read: (path: string) => Promise<string | null>,
  looksLikeRevisions: (dir: string, pyFiles: string[]) => Promise<boolean>,
): Promise<AlembicEnvironment[]> {
  const configured: Configured[] = [];
  for (const f of files) {
    const name = basename(f);
    if (name !== 'alembic.ini' && name !== 'pyproject.toml') continue;
    const text = await read(f);
    if (text === null) continue;
    configured.push(...(name === 'alembic.ini' ? fromIni(f, text) : fromPyproject(f, text)));
  }
  const fileSet = new Set(files);
  const envs: AlembicEnvironment[] = [];
  const claimed = new Set<string>();
  const add = (c: Omit<Configured, 'config'> & { config?: Configured['config'] }) => {
    const versionDirs = c.versionDirs ?? [join(c.scriptDir, 'versions')];
    const key = `${c.scriptDir}\0${versionDirs.join('\0')}`;
    if (claimed.has(key)) return;
    claimed.add(key);
    for (const d of versionDirs) claimed.add(`dir\0${d}`);
    envs.push({
      scriptDir: c.scriptDir,
      versionDirs,
      recursive: c.recursive,
      ...(c.config ? { config: c.config } : {}),
      fileTemplate: c.fileTemplate,
      truncateSlugLength: c.truncateSlugLength,
      files: revisionFiles(files, versionDirs, c.recursive),
    });
  };
  // A pyproject.toml and an alembic.ini naming the same directory are one environment.
  for (const c of configured) add(c);
  // Detection: directories named `versions` holding Python files.
  const versionDirs = [...new Set(files.filter((f) => basename(dirname(f)) === 'versions' && f.endsWith('.py')).map(dirname))].sort(byCodePoint);
  for (const dir of versionDirs) {
    if (claimed.has(`dir\0${dir}`)) continue;
    const scriptDir = dirname(dir);
    const py = files.filter((f) => dirname(f) === dir && isRevisionFileName(basename(f)));
    const beside = fileSet.has(join(scriptDir, 'env.py')) || fileSet.has(join(scriptDir, 'script.py.mako'));
    if (!beside && !(await looksLikeRevisions(dir, py))) continue;
    add({ scriptDir, versionDirs: [dir], recursive: false, fileTemplate: DEFAULT_FILE_TEMPLATE, truncateSlugLength: 40 });
  }
  return envs;
}
