/**
 * The Alembic front end: finds each environment's script directory (layout.ts), reads its revision files
 * (parse.ts, ops.ts) and its `env.py`'s transaction setting. Each environment is one graph-ordered set in
 * a namespace of its own; its graph is built by src/model/history.ts (`down_revision` as parents,
 * `depends_on` as ordering edges that do not change the heads), which test/interop/alembic.test.ts checks
 * against Alembic's own `ScriptDirectory`.
 */
import type { SyntaxNode } from '@lezer/common';
import { PyEvaluator, assignment, bodyStatements, parsePython } from '../../lang/python/index.js';
import { loadSqlParser } from '../../lang/sql/index.js';
import { replaySchema } from '../../model/migration-facts.js';
import type { Migration, MigrationSet, TransactionPolicy } from '../../model/types.js';
import type { FrameworkAdapter, Namespace, ParseContext } from '../types.js';
import { declaredEnvironment, findEnvironments, type AlembicEnvironment } from './layout.js';
import { parseRevisionFile } from './parse.js';

export type { AlembicEnvironment };

/** Environments found per snapshot file list: discovery reads config files, and several snapshots of one
 *  run share most of them. */
export async function alembicEnvironments(ctx: ParseContext): Promise<AlembicEnvironment[]> {
  const read = async (p: string): Promise<string | null> => {
    const src = await ctx.read(p);
    return src.ok ? src.text : null;
  };
  return findEnvironments(ctx.files, read, async (_dir, py) => {
    for (const f of py) {
      const text = await read(f);
      if (text !== null && assignsRevision(text)) return true;
    }
    return false;
  });
}

/** A module that assigns both `revision` and `down_revision` at the top level (reference §4.1). */
function assignsRevision(text: string): boolean {
  const mod = parsePython(text);
  const ev = new PyEvaluator(mod);
  const names = new Set(bodyStatements(mod.tree.topNode).map((s) => assignment(s, ev)?.name));
  return names.has('revision') && names.has('down_revision');
}

/**
 * `transaction_per_migration=True` in any `context.configure(...)` call of `env.py` makes each revision
 * its own transaction; the default is one transaction for the whole run (runtime/environment.py).
 */
export function transactionOfEnv(text: string | null): TransactionPolicy {
  if (text === null) return 'per-run';
  const mod = parsePython(text);
  const ev = new PyEvaluator(mod);
  let perMigration = false;
  const visit = (n: SyntaxNode) => {
    if (n.name === 'CallExpression') {
      const v = ev.eval(n);
      if (v.kind === 'call' && v.callee?.endsWith('configure')) {
        const t = v.kwargs.get('transaction_per_migration');
        if (t?.kind === 'bool' && t.value) perMigration = true;
      }
    }
    for (let c = n.firstChild; c; c = c.nextSibling) visit(c);
  };
  visit(mod.tree.topNode);
  return perMigration ? 'per-migration' : 'per-run';
}

export const alembicAdapter: FrameworkAdapter = {
  framework: 'alembic',
  async load(ctx: ParseContext) {
    const known = await alembicEnvironments(ctx);
    // Where configuration declares the sets, they replace what was found (discover/index.ts).
    const declared = ctx.declared.filter((d) => d.framework === 'alembic').map((d) => ({ env: declaredEnvironment(d.path, ctx.files, known), dialect: d.dialect }));
    const inScope = (e: AlembicEnvironment) => e.files.some((f) => ctx.inScope(f)) || ctx.inScope(e.scriptDir === '' ? 'env.py' : `${e.scriptDir}/env.py`) || e.versionDirs.some((d) => ctx.inScope(d));
    const envs = [
      ...known.filter((e) => [e.scriptDir, ...e.versionDirs].every((d) => ctx.detects(d))).map((env) => ({ env, dialect: undefined })),
      // The script directory and a version location of one environment are one set.
      ...declared.filter((d, i) => declared.findIndex((o) => envKey(o.env) === envKey(d.env)) === i),
    ].filter((e) => inScope(e.env));
    const sets: MigrationSet[] = [];
    const namespaces: Namespace[] = [];
    if (envs.some((e) => e.env.files.length > 0)) await loadSqlParser();
    for (const { env, dialect } of envs) {
      const dir = env.scriptDir || '.';
      const setId = `alembic:${dir}${env.config && env.config.section !== 'alembic' && env.config.section !== 'tool.alembic' ? `#${env.config.section}` : ''}`;
      const envPy = env.scriptDir === '' ? 'env.py' : `${env.scriptDir}/env.py`;
      const envText = ctx.files.includes(envPy) ? await ctx.read(envPy) : null;
      const makoPath = env.scriptDir === '' ? 'script.py.mako' : `${env.scriptDir}/script.py.mako`;
      const mako = ctx.files.includes(makoPath) ? await ctx.read(makoPath) : null;
      const migrations: Migration[] = [];
      const sources = await Promise.all(env.files.map((f) => ctx.read(f)));
      await ctx.prefill(sources.map((src) => ({ key: `alembic:${src.contentId}:${setId}`, parser: 'alembic', src, args: [{ setId, set: dir }] })));
      for (const [i, file] of env.files.entries()) {
        const src = sources[i]!;
        const key = `alembic:${src.contentId}:${setId}`;
        let m = ctx.cache.get(key) as Migration | undefined;
        if (!m) {
          m = parseRevisionFile(src, { setId, set: dir });
          ctx.cache.set(key, m);
        }
        // Identity of the file comes from the path; the cached object is shared by equal bytes.
        migrations.push({ ...m, file, contentId: src.contentId, ...(m.down ? { down: { ...m.down, file } } : {}) });
      }
      const set: MigrationSet = {
        id: setId,
        framework: 'alembic',
        name: dir,
        namespace: setId,
        dir: env.versionDirs[0] ?? dir,
        ordering: 'graph',
        // The database comes from the URL at run time; like every front end, PostgreSQL unless the
        // configuration says otherwise.
        dialect: dialect ?? 'postgresql',
        transaction: transactionOfEnv(envText && envText.ok ? envText.text : null),
        downs: 'per-migration',
        migrations,
        scaffold: { fileTemplate: env.fileTemplate, truncateSlugLength: env.truncateSlugLength, ...(mako?.ok ? { template: mako.text } : {}) },
      };
      replayInOrder(set);
      sets.push(set);
      namespaces.push({ id: setId, framework: 'alembic', externalSets: [] });
    }
    return { sets, namespaces };
  },
};

const envKey = (e: AlembicEnvironment) => [e.scriptDir, ...e.versionDirs].join('\0');

/**
 * What earlier revisions did to the schema fills the facts one file cannot know (the old type of a column
 * whose type changes, a validated `CHECK (col IS NOT NULL)` before `SET NOT NULL`), as for sequence-ordered
 * sets (`replaySchema`), in the order `alembic upgrade` applies the revisions: parents and `depends_on`
 * first, ties in load order. Revisions on sibling branches are taken in that one order too.
 */
function replayInOrder(set: MigrationSet): void {
  const order = upgradeOrder(set.migrations);
  const view: MigrationSet = { ...set, ordering: 'sequence', migrations: order };
  replaySchema(view);
  const replayed = new Map(order.map((m, i) => [m, view.migrations[i]!]));
  set.migrations = set.migrations.map((m) => replayed.get(m) ?? m);
}

/**
 * A topological order of the revisions (Kahn's algorithm; ties and anything in a cycle in load order). The
 * revisions ready to go are kept in a min-heap of load positions, so the order costs O(n log n): a scan
 * for the first ready revision per step was 180 ms of a 3,000-revision run.
 */
export function upgradeOrder(migrations: readonly Migration[]): Migration[] {
  const index = new Map(migrations.map((m, i) => [m, i]));
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const byLabel = new Map(migrations.flatMap((m) => (m.branchLabels ?? []).map((l) => [l, m] as const)));
  const pending = new Array<number>(migrations.length).fill(0);
  const children: number[][] = migrations.map(() => []);
  migrations.forEach((m, i) => {
    const parents = new Set([...m.parents.map((p) => byName.get(p.name)), ...(m.dependsOn ?? []).map((d) => byName.get(d.name) ?? byLabel.get(d.name))].filter((p): p is Migration => p !== undefined && p !== m));
    pending[i] = parents.size;
    for (const p of parents) children[index.get(p)!]!.push(i);
  });
  const ready = new MinHeap();
  pending.forEach((n, i) => n === 0 && ready.push(i));
  const out: Migration[] = [];
  const done = new Array<boolean>(migrations.length).fill(false);
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    done[i] = true;
    out.push(migrations[i]!);
    for (const c of children[i]!) if (--pending[c]! === 0) ready.push(c);
  }
  return [...out, ...migrations.filter((_, i) => !done[i])];
}

/** A binary min-heap of numbers. */
class MinHeap {
  private items: number[] = [];

  push(x: number): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (a[up]! <= a[i]!) break;
      [a[up], a[i]] = [a[i]!, a[up]!];
      i = up;
    }
  }

  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

