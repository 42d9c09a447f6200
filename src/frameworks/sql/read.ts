/**
 * One SQL migration file → its statements (through the SQL front end, at their place in the file), its
 * diagnostics and suppressions, and what it says about its transaction and its down section. Content
 * only: identity (`file`, `name`) comes from the layout, so results can be cached by content id.
 */
import { parseSql, sqlFileContext } from '../../lang/sql/index.js';
import { scanSql } from '../../lang/sql/parser.js';
import { malformedDiagnostic } from '../../lang/sql/suppressions.js';
import { reverseEffects } from '../../model/migration-facts.js';
import { LineIndex } from '../../model/text.js';
import type { DataEffects, Diagnostic, ReverseStatus, Span, Statement, Suppression } from '../../model/types.js';
import { findConflictMarkers } from '../../snapshot/content.js';
import type { SourceFile } from '../types.js';
import { dbmateSections, gooseSections, type Region, type Sections } from './sections.js';

/** How the forward SQL sits in the file: the whole file, or dbmate / goose sections. */
export type FileFormat = 'whole' | 'dbmate' | 'goose';

export interface FileParse {
  statements: Statement[];
  diagnostics: Diagnostic[];
  suppressions: Suppression[];
  /** SQL statements in the forward part, ones the parser rejected included (an `ALTER TABLE` with two
   *  actions is one statement and two `Statement`s). */
  sqlStatements: number;
  /** The file opts out of the tool's transaction (dbmate `transaction:false`, goose `NO TRANSACTION`). */
  noTransaction: boolean;
  /** The tool cannot run the file as written: unreadable, conflict markers, markers it refuses. */
  incomplete: boolean;
  /** The up marker (dbmate, goose). */
  span?: Span;
  /** The down section in this file (dbmate, goose); `effects` what its SQL does to data, measured against
   *  the up section (`Migration.down.effects`), when it is present and read. */
  down?: { status: ReverseStatus; span?: Span; effects?: DataEffects };
}

const MALFORMED_SUPPRESSION = malformedDiagnostic(undefined).message;

/**
 * Reads one file. With `parse` false (a database the PostgreSQL parser does not speak: Prisma on MySQL,
 * SQLite, SQL Server) no SQL is parsed: its statements are unknown rather than wrong.
 */
export function parseFile(src: SourceFile, format: FileFormat, parse: boolean): FileParse {
  const out: FileParse = { statements: [], diagnostics: [], suppressions: [], sqlStatements: 0, noTransaction: false, incomplete: true };
  if (!src.ok) return { ...out, diagnostics: [src.diagnostic] };
  const text = src.text;
  const index = new LineIndex(text);
  const marker = findConflictMarkers(text);
  if (marker) {
    const at = index.lineStart(marker.line);
    out.diagnostics.push({ code: 'conflict-markers', message: 'file contains git merge-conflict markers; resolve the conflict first', span: index.span(at, at + 7) });
    return out;
  }
  const sections: Sections =
    format === 'dbmate' ? dbmateSections(text) : format === 'goose' ? gooseSections(text) : { up: [{ start: 0, end: text.length }], down: null, rest: [], noTransaction: false, refused: [] };
  out.noTransaction = sections.noTransaction;
  out.incomplete = sections.refused.length > 0;
  // What the tool refuses is reported like a syntax error: the tool cannot parse the file either.
  for (const r of sections.refused) out.diagnostics.push({ code: 'syntax', message: r.message, span: index.span(r.at.start, r.at.end) });
  if (sections.upMarker) out.span = index.span(sections.upMarker.start, sections.upMarker.end);
  if (!parse) return out;

  const region = (r: Region, operationIndex: number) => parseSql(text.slice(r.start, r.end), { index, mapOffset: (o) => r.start + o, operationIndex });
  for (const r of sections.up) {
    const next = out.statements.reduce((n, s) => Math.max(n, s.operationIndex + 1), 0);
    const p = region(r, next);
    out.statements.push(...p.statements);
    out.diagnostics.push(...p.diagnostics);
    out.suppressions.push(...p.suppressions);
    // Each SQL statement is one operation; a rejected one has a syntax error and no statements.
    out.sqlStatements += new Set(p.statements.map((s) => s.operationIndex)).size + p.diagnostics.filter((d) => d.code === 'syntax' && d.message !== MALFORMED_SUPPRESSION).length;
  }
  // Down sections and the text before the first marker: their syntax errors break a rollback, and a
  // file-level suppression usually sits at the top. What the down sections do to data is kept.
  const down: Statement[] = [];
  const downEffects: DataEffects = { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false };
  for (const r of [...sections.rest, ...(sections.down ?? [])]) {
    const p = region(r, 0);
    out.diagnostics.push(...p.diagnostics);
    out.suppressions.push(...p.suppressions);
    if (sections.down?.includes(r)) {
      down.push(...p.statements);
      addEffects(downEffects, p.effects);
    }
  }
  out.diagnostics.sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0));
  if (format !== 'whole') {
    const status: ReverseStatus = sections.down === null ? 'missing' : sections.down.some((r) => hasSql(text.slice(r.start, r.end))) ? 'present' : 'empty';
    out.down = {
      status,
      ...(sections.downMarker ? { span: index.span(sections.downMarker.start, sections.downMarker.end) } : {}),
      ...(status === 'present' ? { effects: reverseEffects(down, out.statements, downEffects) } : {}),
    };
  }
  return out;
}

/** A separate down file as read: its status, and with `parse` (PostgreSQL) its statements and what its
 *  SQL does to rows, which index.ts measures against the forward file (`Migration.down.effects`). */
export interface DownFileParse {
  status: ReverseStatus;
  statements?: Statement[];
  effects?: DataEffects;
  suppressions?: Suppression[];
}

/** Reads a golang-migrate `.down.sql` or a Flyway `U` script through the SQL front end, at its own lines.
 *  Its syntax errors are not reported: findings belong to the forward file. */
export function parseDownFile(src: SourceFile, parse: boolean): DownFileParse {
  const status = downFileStatus(src);
  if (!src.ok || !parse || status !== 'present' || findConflictMarkers(src.text)) return { status };
  const r = parseSql(src.text, sqlFileContext(src.text));
  return { status, statements: r.statements, effects: r.effects, ...(r.suppressions.length > 0 ? { suppressions: r.suppressions } : {}) };
}

function addEffects(to: DataEffects, from: DataEffects): void {
  to.deletes ||= from.deletes;
  to.updates ||= from.updates;
  to.inserts ||= from.inserts;
  to.dropsData ||= from.dropsData;
  to.opaque ||= from.opaque;
}

/** A separate down file (golang-migrate `.down.sql`, Flyway `U` script): `empty` when it holds nothing but
 *  comments and whitespace. One that cannot be read is taken to do something. */
export function downFileStatus(src: SourceFile): ReverseStatus {
  return !src.ok || hasSql(src.text) ? 'present' : 'empty';
}

/** Whether the text holds anything but comments and whitespace, by the PostgreSQL scanner's tokens. */
function hasSql(text: string): boolean {
  const scan = scanSql(text);
  return scan.unscannedFrom !== undefined || scan.tokens.some((t) => t.kind !== 'comment');
}
