/**
 * The parse cache on its own, apart from the front ends in ./index.ts: a run answered from stored results
 * creates one without loading any parser (the command line's bundle keeps the front ends in a chunk that
 * is imported only when something must be parsed).
 */
import type { SourceFile } from '../frameworks/types.js';
import type { CacheStore } from './store.js';

/**
 * Parse results shared across snapshots and runs in one process, keyed by content id; with a `CacheStore`,
 * also across processes (a value the store holds is read from it instead of computed, and a computed one
 * is added to it; `save` writes the store back).
 */
export class ParseCache {
  readonly decoded = new Map<string, SourceFile>();
  readonly parsed: Map<string, unknown>;

  constructor(readonly store?: CacheStore) {
    this.parsed = store ? new StoredMap(store) : new Map();
  }

  /** Writes the persistent store, if there is one and this run added to it. */
  save(): void {
    this.store?.save();
  }
}

/** A Map that falls back to the store on a miss and copies what is set into it. */
class StoredMap extends Map<string, unknown> {
  constructor(private readonly store: CacheStore) {
    super();
  }

  override has(key: string): boolean {
    // Through get: an entry the store holds but cannot read back counts as absent.
    return super.has(key) || this.get(key) !== undefined;
  }

  override get(key: string): unknown {
    if (super.has(key)) return super.get(key);
    const value = this.store.get(key);
    if (value !== undefined) super.set(key, value);
    return value;
  }

  override set(key: string, value: unknown): this {
    if (!super.has(key)) this.store.set(key, value);
    return super.set(key, value);
  }
}
