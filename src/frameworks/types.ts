import type { History } from '../model/history.js';
import type { DeclaredSet, Diagnostic, Framework, Migration, MigrationSet, Namespace, ReverseStatus } from '../model/types.js';
import { findConflictMarkers } from '../snapshot/content.js';

export type { DeclaredSet, Namespace };
import type { Snapshot } from '../snapshot/types.js';
import type { ParseJob } from './parsers.js';

/** A file's decoded text, or why it could not be decoded. Cached by content id across snapshots. */
export type SourceFile =
  | { path: string; contentId: string; ok: true; text: string }
  | { path: string; contentId: string; ok: false; diagnostic: Diagnostic };


export interface ParseContext {
  snapshot: Snapshot;
  /** Every file in the snapshot (the graph needs sets outside the paths being checked). */
  files: readonly string[];
  /** Whether a path is under the paths being checked. Adapters load every set of a namespace that has
   *  a set in scope, so references across sets resolve; findings are filtered to the scope later. */
  inScope(path: string): boolean;
  read(path: string): Promise<SourceFile>;
  /** Parse results cached by content id: the same blob in base, target and head is parsed once. */
  cache: Map<string, unknown>;
  /**
   * Fills `cache` for the jobs whose key it lacks, spreading the work over worker threads when there is
   * enough of it (src/discover/parallel.ts); otherwise does nothing and the front end parses as it goes.
   * A front end calls it with every file of a set before its own loop, which then finds them cached.
   */
  prefill(jobs: readonly ParseJob[]): Promise<void>;
  /** Sets declared by configuration, paths normalised, one per framework and path. */
  declared: readonly DeclaredSet[];
  /** Whether detection may report a set whose directory is `dir`: not under a scope that declares its
   *  sets, nor a directory declared as any framework. A front end drops the sets it detected where this
   *  is false and loads its declared ones instead. */
  detects(dir: string): boolean;
}

/** One front end. Framework knowledge stays behind this interface. */
export interface FrameworkAdapter {
  readonly framework: Framework;
  /** Finds this framework's sets in the snapshot and parses their migrations. A front end that had to
   *  build a namespace's graph itself (Django, to replay model state in order) returns it, so it is not
   *  built twice. */
  load(ctx: ParseContext): Promise<{ sets: MigrationSet[]; namespaces: Namespace[]; histories?: History[] }>;
}

/**
 * A migration with nothing read yet: identity from the caller, everything else empty. With `unreadable`,
 * the reason the file cannot be parsed at all (bad bytes, too large, git conflict markers) as a
 * diagnostic on an incomplete migration; null when its text can be parsed.
 */
export function startMigration(src: SourceFile, id: { setId: string; name: string }, reverse: ReverseStatus): { base: Migration; unreadable: Migration | null } {
  const base: Migration = {
    setId: id.setId,
    name: id.name,
    file: src.path,
    contentId: src.contentId,
    parents: [],
    runBefore: [],
    replaces: [],
    initial: false,
    atomic: true,
    statements: [],
    reverse,
    suppressions: [],
    diagnostics: [],
  };
  if (!src.ok) return { base, unreadable: { ...base, incomplete: true, diagnostics: [src.diagnostic] } };
  const marker = findConflictMarkers(src.text);
  if (!marker) return { base, unreadable: null };
  const diagnostic: Diagnostic = {
    code: 'conflict-markers',
    message: 'file contains git merge-conflict markers; resolve the conflict first',
    span: { start: marker, end: { line: marker.line, column: marker.column + 7 }, offset: -1, endOffset: -1 },
  };
  return { base, unreadable: { ...base, incomplete: true, diagnostics: [diagnostic] } };
}
