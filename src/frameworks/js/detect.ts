/**
 * Finds JavaScript/TypeScript migration directories and the tool each belongs to (reference/frameworks.md
 * §16: configuration first, then content). Configuration: a `knexfile.*`'s `migrations.directory` and
 * `client`, a `.sequelizerc`'s `'migrations-path'`, when statically readable. Otherwise a directory whose
 * name says migrations (`migrations/`, `src/migration/`, `db/migrate/`) holding modules that export `up`,
 * classified by how they are written (`implements MigrationInterface`, `up(knex)`, `up(queryInterface,
 * Sequelize)`, `up(pgm)`, the package they import). A directory's files are read once per run; the result
 * is shared by the four adapters.
 */
import { evaluate, parseTypeScript, skipParens, ts, type JsValue } from '../../lang/typescript/index.js';
import type { Dialect } from '../../model/types.js';
import type { ParseContext } from '../types.js';
import { frameworkOf, readModule, type JsFramework } from './module.js';
import { baseOf, dirOf, isJsFramework, KNEXFILE, MIGRATION_DIR, MIGRATION_FILE, NOT_MIGRATION } from './names.js';

export interface JsSet {
  framework: JsFramework;
  dir: string;
  /** The migration files, repository-relative, in the tool's order (sorted later by compareInSet). */
  files: string[];
  dialect: Dialect;
  /** Knex `migrations.disableTransactions: true` in the knexfile: no migration runs in a transaction
   *  unless it exports `config = { transaction: true }` (Migrator.js `_useTransaction`). */
  disableTransactions?: boolean;
}

/** When a directory's files disagree, the stronger signal wins (§16's order). */
const PRECEDENCE: JsFramework[] = ['knex', 'typeorm', 'sequelize', 'node-pg-migrate'];

const cache = new WeakMap<ParseContext, Promise<JsSet[]>>();

export function detectSets(ctx: ParseContext): Promise<JsSet[]> {
  let p = cache.get(ctx);
  if (!p) cache.set(ctx, (p = detect(ctx)));
  return p;
}


async function detect(ctx: ParseContext): Promise<JsSet[]> {
  const configured = new Map<string, { framework: JsFramework; dialect: Dialect; disableTransactions?: boolean }>();
  for (const f of ctx.files) {
    const base = baseOf(f);
    if (KNEXFILE.test(base)) {
      const src = await ctx.read(f);
      if (!src.ok) continue;
      const { dirs, client, disableTransactions } = readConfig(src.text, f, 'directory', 'client');
      for (const d of dirs.length ? dirs : ['./migrations']) {
        configured.set(join(dirOf(f), d), { framework: 'knex', dialect: dialectOf(client), ...(disableTransactions ? { disableTransactions } : {}) });
      }
    } else if (base === '.sequelizerc') {
      const src = await ctx.read(f);
      if (!src.ok) continue;
      for (const d of readConfig(src.text, f, 'migrations-path').dirs) configured.set(join(dirOf(f), d), { framework: 'sequelize', dialect: 'unknown' });
    }
  }
  // Where configuration declares the sets, what was found there gives way (discover/index.ts); a declared
  // directory is read like a configured one, as the declared tool, keeping a knexfile's client for it.
  const declared = new Map(
    ctx.declared.flatMap((d) => {
      if (!isJsFramework(d.framework)) return [];
      const known = configured.get(d.path);
      const same = known?.framework === d.framework;
      return [[d.path, { framework: d.framework, dialect: d.dialect ?? (same ? known.dialect : 'unknown'), ...(same && known.disableTransactions ? { disableTransactions: true } : {}) }] as const];
    }),
  );
  for (const dir of [...configured.keys()]) if (!ctx.detects(dir)) configured.delete(dir);
  for (const [dir, conf] of declared) configured.set(dir, conf);
  const byDir = new Map<string, string[]>([...declared.keys()].map((d) => [d, []]));
  for (const f of ctx.files) {
    if (!MIGRATION_FILE.test(f) || NOT_MIGRATION.test(f)) continue;
    const d = dirOf(f);
    if (!configured.has(d) && (!MIGRATION_DIR.test(d) || !ctx.detects(d))) continue;
    const list = byDir.get(d);
    if (list) list.push(f);
    else byDir.set(d, [f]);
  }
  const out: JsSet[] = [];
  for (const [dir, files] of [...byDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const conf = configured.get(dir);
    const votes = new Map<JsFramework, number>();
    const migrations: string[] = [];
    for (const f of files) {
      const src = await ctx.read(f);
      if (!src.ok) {
        // An unreadable file in a configured directory is still a migration (parse-error reports it).
        if (conf) migrations.push(f);
        continue;
      }
      const key = `js:detect:${src.contentId}:${f.slice(f.lastIndexOf('.'))}`;
      let fw = ctx.cache.get(key) as { framework: JsFramework | null; migration: boolean } | undefined;
      if (!fw) {
        const m = readModule(parseTypeScript(src.text, f));
        fw = { framework: frameworkOf(m), migration: m.up !== null || m.typeormClass !== null };
        ctx.cache.set(key, fw);
      }
      if (!fw.migration) continue;
      migrations.push(f);
      if (fw.framework) votes.set(fw.framework, (votes.get(fw.framework) ?? 0) + 1);
    }
    // A declared directory with no migration in it is still a set (0 migrations).
    if (migrations.length === 0 && !declared.has(dir)) continue;
    const best = [...votes].sort((a, b) => b[1] - a[1] || PRECEDENCE.indexOf(a[0]) - PRECEDENCE.indexOf(b[0]))[0]?.[0];
    const framework = conf?.framework ?? best;
    if (!framework) continue;
    out.push({ framework, dir, files: migrations.sort(), dialect: conf?.dialect ?? 'unknown', ...(framework === 'knex' && conf?.disableTransactions ? { disableTransactions: true } : {}) });
  }
  return out;
}

function dialectOf(client: string | undefined): Dialect {
  if (!client) return 'unknown';
  if (/^(pg|postgres|postgresql|pg-native|pgnative|cockroachdb)$/i.test(client)) return client === 'cockroachdb' ? 'unknown' : 'postgresql';
  if (/^mysql2?$/i.test(client)) return 'mysql';
  if (/sqlite/i.test(client)) return 'sqlite';
  return 'unknown';
}

/**
 * Every statically readable value of property `dirKey` in the file (knexfiles often hold one config per
 * environment), the first `clientKey`, and whether some `disableTransactions` is `true`. `path.join(__dirname, 'migrations')` and
 * `path.resolve('db', 'migrations')` are read as the joined relative path.
 */
function readConfig(text: string, file: string, dirKey: string, clientKey?: string): { dirs: string[]; client?: string; disableTransactions?: boolean } {
  const mod = parseTypeScript(text, file.endsWith('.sequelizerc') ? 'sequelizerc.js' : file);
  const dirs = new Set<string>();
  let client: string | undefined;
  let disableTransactions = false;
  const visit = (n: ts.Node) => {
    if (ts.isPropertyAssignment(n)) {
      const k = ts.isIdentifier(n.name) || ts.isStringLiteralLike(n.name) ? n.name.text : null;
      if (k === dirKey) {
        const v = evaluate(n.initializer);
        for (const d of v.kind === 'array' ? v.items : [v]) {
          const p = pathValue(d);
          if (p !== null) dirs.add(p);
        }
      } else if (clientKey && k === clientKey && client === undefined) {
        const v = evaluate(n.initializer);
        if (v.kind === 'str') client = v.value;
      } else if (k === 'disableTransactions') {
        const v = evaluate(n.initializer);
        if (v.kind === 'bool' && v.value) disableTransactions = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(mod.sf);
  return { dirs: [...dirs], ...(client !== undefined ? { client } : {}), ...(disableTransactions ? { disableTransactions } : {}) };
}

function pathValue(v: JsValue): string | null {
  if (v.kind === 'str') return v.value;
  if (v.kind === 'call' && /^path\.(join|resolve)$/.test(v.path)) {
    const parts: string[] = [];
    for (const a of v.args) {
      if (a.kind === 'ref' && (a.path === '__dirname' || a.path === 'process.cwd')) continue;
      if (a.kind === 'call' && a.path === 'process.cwd') continue;
      if (a.kind !== 'str') return null;
      parts.push(a.value);
    }
    return parts.join('/');
  }
  void skipParens;
  return null;
}

/** Joins a repository-relative directory and a relative path, resolving `.` and `..`. */
function join(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}
