/**
 * Django project layout, read statically: which directories are apps with migrations, each app's label,
 * and what the project's settings say about installed apps and the user model.
 *
 * Sources: django/db/migrations/loader.py `MigrationLoader.load_disk` (every non-package module whose
 * name does not start with `_` or `~` is a migration; a `migrations` directory without `__init__.py` is a
 * namespace package and the app counts as unmigrated), django/apps/config.py (`label` defaults to the last
 * component of `name`).
 */
import { PyEvaluator, assignment, bodyStatements, children, parsePython, type PyValue } from '../../lang/python/index.js';
import type { ParseContext } from '../types.js';

export interface DjangoApp {
  /** Repository-relative directory of the app package. */
  dir: string;
  /** Directory of its migrations package. */
  migrationsDir: string;
  label: string;
  /** Module files in the migrations package that Django would load, sorted. */
  modules: string[];
  /** The project this app belongs to: the directory holding `manage.py`, or '' (the scan root). */
  project: string;
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Migrations packages: directories named `migrations` that contain `__init__.py`. */
export function findApps(files: readonly string[]): Omit<DjangoApp, 'label'>[] {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    if (!f.endsWith('.py')) continue;
    const d = dirname(f);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(f);
  }
  const projects = projectsOf(files);
  const apps: Omit<DjangoApp, 'label'>[] = [];
  for (const [d, list] of byDir) {
    if (basename(d) !== 'migrations' || !list.includes(`${d}/__init__.py`)) continue;
    const dir = dirname(d);
    apps.push({ dir, migrationsDir: d, modules: modulesOf(list), project: nearestProject(dir, projects) });
  }
  return apps.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

const projectsOf = (files: readonly string[]): string[] => files.filter((f) => basename(f) === 'manage.py').map(dirname);

/** The modules `load_disk` imports from a migrations package's files. */
function modulesOf(pyFiles: readonly string[]): string[] {
  return pyFiles
    .filter((f) => {
      const name = basename(f);
      return f.endsWith('.py') && name !== '__init__.py' && !name.startsWith('_') && !name.startsWith('~');
    })
    .sort();
}

/**
 * The app whose migrations package the configuration declares (`path`, discover/index.ts), whatever it is
 * called and whether or not it has an `__init__.py`. The app is the package's parent when that is an app
 * (the package is called `migrations`, or the parent has `apps.py` or `models.py`: `MIGRATION_MODULES =
 * {'shop': 'shop.db_migrations'}`); otherwise the package stands for its app, labelled by its own name
 * (`{'shop': 'migrations_store.shop'}`). `MIGRATION_MODULES` itself is not read.
 */
export function declaredApp(files: readonly string[], migrationsDir: string): Omit<DjangoApp, 'label'> {
  const parent = dirname(migrationsDir);
  const has = (name: string) => files.includes(parent ? `${parent}/${name}` : name);
  const dir = basename(migrationsDir) === 'migrations' || has('apps.py') || has('models.py') ? parent : migrationsDir;
  return { dir, migrationsDir, modules: modulesOf(files.filter((f) => dirname(f) === migrationsDir)), project: nearestProject(dir, projectsOf(files)) };
}

function nearestProject(dir: string, projects: string[]): string {
  let best: string | null = null;
  for (const p of projects) {
    if (p === '' || dir === p || dir.startsWith(p + '/')) {
      if (best === null || p.length > best.length) best = p;
    }
  }
  return best ?? '';
}

/**
 * The app label: `label = '…'` on the app's AppConfig in `apps.py`, else the last component of its
 * `name`, else the package directory's name.
 */
export async function appLabel(ctx: ParseContext, appDir: string): Promise<string> {
  const fallback = basename(appDir) || 'app';
  const appsPy = appDir ? `${appDir}/apps.py` : 'apps.py';
  if (!ctx.files.includes(appsPy)) return fallback;
  const src = await ctx.read(appsPy);
  if (!src.ok) return fallback;
  const mod = parsePython(src.text);
  const ev = new PyEvaluator(mod);
  const configs: { label?: string; name?: string; isDefault: boolean }[] = [];
  for (const stmt of bodyStatements(mod.tree.topNode)) {
    if (stmt.name !== 'ClassDefinition') continue;
    const bases = stmt.getChild('ArgList');
    if (!bases || !ev.text(bases).includes('AppConfig')) continue;
    const info: { label?: string; name?: string; isDefault: boolean } = { isDefault: false };
    for (const s of bodyStatements(stmt)) {
      const a = assignment(s, ev);
      if (!a) continue;
      const v = ev.eval(a.value);
      if (a.name === 'label' && v.kind === 'str') info.label = v.value;
      if (a.name === 'name' && v.kind === 'str') info.name = v.value;
      if (a.name === 'default' && v.kind === 'bool') info.isDefault = v.value;
    }
    configs.push(info);
  }
  // Django picks the one AppConfig subclass, or the one marked `default = True` (django/apps/config.py
  // `AppConfig.create`).
  const chosen = configs.length === 1 ? configs[0] : configs.find((c) => c.isDefault);
  if (!chosen) return fallback;
  return chosen.label ?? (chosen.name ? chosen.name.split('.').pop()! : fallback);
}

export interface ProjectSettings {
  file: string;
  /** Labels of INSTALLED_APPS, or null when the list is not a static literal. */
  installedLabels: string[] | null;
  /** `AUTH_USER_MODEL` as `app_label.Model`; Django's default is `auth.User`. */
  authUserModel: string | null;
  /** The class name of `DEFAULT_AUTO_FIELD` (`BigAutoField`); Django's default is `AutoField`
   *  (django/conf/global_settings.py). Null when the setting is not a string literal. */
  defaultAutoField: string | null;
}

/**
 * Reads `INSTALLED_APPS` and `AUTH_USER_MODEL` from the project's settings module(s), statically. A list
 * built from names defined in the same module (`DJANGO_APPS + LOCAL_APPS`, `+=`) is followed; anything
 * else (imports, function calls, environment lookups) makes the list unknown.
 */
export async function readSettings(ctx: ParseContext, project: string): Promise<ProjectSettings | null> {
  const candidates = ctx.files.filter((f) => {
    if (project && !f.startsWith(project + '/')) return false;
    if (f.includes('/migrations/')) return false;
    const name = basename(f);
    return name === 'settings.py' || (basename(dirname(f)) === 'settings' && name.endsWith('.py'));
  });
  let found: ProjectSettings | null = null;
  for (const file of candidates.sort()) {
    const src = await ctx.read(file);
    if (!src.ok) continue;
    const mod = parsePython(src.text);
    const ev = new PyEvaluator(mod);
    const env = new Map<string, string[] | null>();
    let user: string | null = null;
    let autoField: string | null | undefined;
    let sawApps = false;
    for (const stmt of bodyStatements(mod.tree.topNode)) {
      const a = assignment(stmt, ev);
      if (a) {
        if (a.name === 'AUTH_USER_MODEL') {
          const v = ev.eval(a.value);
          if (v.kind === 'str') user = v.value;
        }
        if (a.name === 'DEFAULT_AUTO_FIELD') {
          const v = ev.eval(a.value);
          autoField = v.kind === 'str' ? (v.value.split('.').pop() ?? null) : null;
        }
        env.set(a.name, stringList(a.value, ev, env));
        if (a.name === 'INSTALLED_APPS') sawApps = true;
        continue;
      }
      if (stmt.name === 'UpdateStatement') {
        // INSTALLED_APPS += [...]
        const kids = children(stmt);
        const target = kids[0];
        const value = kids[kids.length - 1];
        if (target?.name === 'VariableName' && value && ev.text(kids[1]!) === '+=') {
          const name = ev.text(target);
          const prev = env.get(name);
          const add = stringList(value, ev, env);
          env.set(name, prev && add ? [...prev, ...add] : null);
        }
      }
    }
    if (!sawApps) continue;
    const apps = env.get('INSTALLED_APPS') ?? null;
    found = {
      file,
      installedLabels: apps ? apps.map(labelOfInstalledApp) : null,
      authUserModel: user ?? 'auth.User',
      defaultAutoField: autoField === undefined ? 'AutoField' : autoField,
    };
    // The first settings module that defines INSTALLED_APPS is taken; split settings
    // (base.py, dev.py) usually define it once in base.
    break;
  }
  return found;
}

function stringList(node: import('@lezer/common').SyntaxNode, ev: PyEvaluator, env: Map<string, string[] | null>): string[] | null {
  const v = ev.eval(node);
  return valueList(v, ev, env);
}

function valueList(v: PyValue, ev: PyEvaluator, env: Map<string, string[] | null>): string[] | null {
  if (v.kind === 'list' || v.kind === 'tuple') {
    const out: string[] = [];
    for (const item of v.items) {
      if (item.kind !== 'str') return null;
      out.push(item.value);
    }
    return out;
  }
  if (v.kind === 'name') return env.get(v.path) ?? null;
  if (v.kind === 'unknown' && v.node.name === 'BinaryExpression') {
    const [l, op, r] = children(v.node);
    if (!l || !op || !r || ev.text(op) !== '+') return null;
    const lv = valueList(ev.eval(l), ev, env);
    const rv = valueList(ev.eval(r), ev, env);
    return lv && rv ? [...lv, ...rv] : null;
  }
  return null;
}

/**
 * The label an INSTALLED_APPS entry gives its app: `django.contrib.auth` → `auth`;
 * `shop.apps.ShopConfig` → `shop` (the AppConfig's own `label`, when it sets one, is read from apps.py by
 * `appLabel` for apps in the repository; for apps outside it, this is the best static guess).
 */
export function labelOfInstalledApp(entry: string): string {
  const parts = entry.split('.');
  const last = parts[parts.length - 1]!;
  if (parts.length > 1 && /^[A-Z]/.test(last)) {
    parts.pop();
    if (parts[parts.length - 1] === 'apps' && parts.length > 1) parts.pop();
  }
  return parts[parts.length - 1]!;
}
