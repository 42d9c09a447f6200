/**
 * Discover: finds the migration sets in a snapshot by asking each front end, and gives them one shared
 * reader whose decoded text and parse results are cached by content id.
 */
import { alembicAdapter } from '../frameworks/alembic/index.js';
import { djangoAdapter } from '../frameworks/django/index.js';
import { knexAdapter, nodePgMigrateAdapter, sequelizeAdapter, typeormAdapter } from '../frameworks/js/index.js';
import { sqlAdapter } from '../frameworks/sql/index.js';
import type { FrameworkAdapter, Namespace, ParseContext, SourceFile } from '../frameworks/types.js';
import type { History } from '../model/history.js';
import type { MigrationSet } from '../model/types.js';
import { decodeSource } from '../snapshot/content.js';
import { underPrefixes, type Snapshot } from '../snapshot/types.js';

export const adapters: readonly FrameworkAdapter[] = [djangoAdapter, alembicAdapter, sqlAdapter, knexAdapter, typeormAdapter, sequelizeAdapter, nodePgMigrateAdapter];

/** Parse results shared across snapshots and runs in one process, keyed by content id. */
export class ParseCache {
  readonly decoded = new Map<string, SourceFile>();
  readonly parsed = new Map<string, unknown>();
}

export interface Discovered {
  sets: MigrationSet[];
  namespaces: Namespace[];
  /** Graphs a front end already built (see `FrameworkAdapter.load`). */
  histories: History[];
}

export async function discover(snapshot: Snapshot, prefixes: readonly string[] = [''], cache = new ParseCache()): Promise<Discovered> {
  const files = await snapshot.list();
  const ctx: ParseContext = {
    snapshot,
    files,
    inScope: scopeTest(prefixes),
    cache: cache.parsed,
    async read(path) {
      const contentId = await snapshot.contentId(path);
      const hit = cache.decoded.get(contentId);
      if (hit) return { ...hit, path };
      const decoded = decodeSource(await snapshot.read(path));
      const src: SourceFile = decoded.ok ? { path, contentId, ok: true, text: decoded.text } : { path, contentId, ok: false, diagnostic: decoded.diagnostic };
      cache.decoded.set(contentId, src);
      return src;
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

/** Whether a path is in the scope asked for: the snapshot layer's own prefix test. */
export const scopeTest = underPrefixes;
