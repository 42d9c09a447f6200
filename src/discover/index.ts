/**
 * Discover: finds the migration sets in a snapshot by asking each front end, and gives them one shared
 * reader whose decoded text and parse results are cached by content id.
 *
 * Sets declared by configuration (`DeclaredSet`) replace detection where they are declared: under the
 * directory of a configuration file that declares sets (its `scope`), the sets found are exactly the
 * declared ones, and a declared directory is never also detected as something else. Each front end
 * drops what it detected where `ParseContext.detects` says no and loads its declared sets from their
 * paths as the declared framework, with the declared dialect applied before any file is parsed; a
 * declared directory holding nothing that framework runs is a set of no migrations, not an error
 * (whether the path exists is the configuration's check). Outside those scopes detection is unchanged,
 * and declared sets join the namespaces detected ones are in (a declared Django app is part of its
 * `manage.py` project).
 */
import { alembicAdapter } from '../frameworks/alembic/index.js';
import { djangoAdapter } from '../frameworks/django/index.js';
import { knexAdapter, nodePgMigrateAdapter, sequelizeAdapter, typeormAdapter } from '../frameworks/js/index.js';
import { sqlAdapter } from '../frameworks/sql/index.js';
import type { DeclaredSet, FrameworkAdapter, Namespace, ParseContext, SourceFile } from '../frameworks/types.js';
import type { History } from '../model/history.js';
import type { MigrationSet } from '../model/types.js';
import { decodeSource } from '../snapshot/content.js';
import { underPrefixes, type Snapshot } from '../snapshot/types.js';
import { ParseCache } from './cache.js';
import { prefill } from './parallel.js';

export { ParseCache };

export const adapters: readonly FrameworkAdapter[] = [djangoAdapter, alembicAdapter, sqlAdapter, knexAdapter, typeormAdapter, sequelizeAdapter, nodePgMigrateAdapter];

export interface Discovered {
  sets: MigrationSet[];
  namespaces: Namespace[];
  /** Graphs a front end already built (see `FrameworkAdapter.load`). */
  histories: History[];
}

export async function discover(snapshot: Snapshot, prefixes: readonly string[] = [''], cache = new ParseCache(), declared: readonly DeclaredSet[] = [], openScopes: readonly string[] = []): Promise<Discovered> {
  const files = await snapshot.list();
  const own = normaliseDeclared(declared);
  const ctx: ParseContext = {
    snapshot,
    files,
    inScope: scopeTest(prefixes),
    cache: cache.parsed,
    declared: own,
    detects: detectionTest(own, openScopes),
    async read(path) {
      const contentId = await snapshot.contentId(path);
      const hit = cache.decoded.get(contentId);
      if (hit) return { ...hit, path };
      const decoded = decodeSource(await snapshot.read(path));
      const src: SourceFile = decoded.ok ? { path, contentId, ok: true, text: decoded.text } : { path, contentId, ok: false, diagnostic: decoded.diagnostic };
      cache.decoded.set(contentId, src);
      return src;
    },
    async prefill(jobs) {
      await prefill(jobs, cache.parsed);
    },
  };
  const sets: MigrationSet[] = [];
  const namespaces: Namespace[] = [];
  const histories: History[] = [];
  for (const adapter of adapters) {
    const r = await adapter.load(ctx);
    sets.push(...r.sets);
    histories.push(...(r.histories ?? []));
    namespaces.push(...r.namespaces);
  }
  return { sets, namespaces, histories };
}

/** Paths without `./`, `.` or a trailing `/`; one entry per framework and path (the first one's dialect). */
function normaliseDeclared(declared: readonly DeclaredSet[]): DeclaredSet[] {
  const clean = (p: string) => p.split('/').filter((part) => part !== '' && part !== '.').join('/');
  const out = new Map<string, DeclaredSet>();
  for (const d of declared) {
    const n: DeclaredSet = { ...d, path: clean(d.path), scope: clean(d.scope) };
    const key = `${n.framework}\0${n.path}`;
    if (!out.has(key)) out.set(key, n);
  }
  return [...out.values()];
}

/**
 * `ParseContext.detects`: detection reports nothing at a declared path, nor where the nearest scope (of
 * those that declare sets and the `openScopes` of configurations that declare none) declares sets.
 */
function detectionTest(declared: readonly DeclaredSet[], openScopes: readonly string[]): (dir: string) => boolean {
  if (declared.length === 0) return () => true;
  const paths = new Set(declared.map((d) => d.path));
  const scopes = [...new Set(declared.map((d) => d.scope))].map((dir) => ({ dir, declares: true }));
  for (const dir of new Set(openScopes)) if (!scopes.some((s) => s.dir === dir)) scopes.push({ dir, declares: false });
  // Deepest first: the first scope containing a directory is its nearest.
  scopes.sort((a, b) => b.dir.length - a.dir.length);
  return (dir) => !paths.has(dir) && !(scopes.find((s) => underPrefixes([s.dir])(dir))?.declares ?? false);
}

/** Whether a path is in the scope asked for: the snapshot layer's own prefix test. */
export const scopeTest = underPrefixes;
