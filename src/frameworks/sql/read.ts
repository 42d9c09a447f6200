/**
 * One SQL migration file → its statements (through the SQL front end, at their place in the file), its
 * diagnostics and suppressions, and what it says about its transaction and its down section. Content
 * only: identity (`file`, `name`) comes from the layout, so results can be cached by content id.
 */
import { parseSql } from '../../lang/sql/index.js';
import { scanSql } from '../../lang/sql/parser.js';
import { malformedDiagnostic } from '../../lang/sql/suppressions.js';
import { LineIndex } from '../../model/text.js';
import type { Diagnostic, ReverseStatus, Span, Statement, Suppression } from '../../model/types.js';
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
  /** The down section in this file (dbmate, goose). */
  down?: { status: ReverseStatus; span?: Span };
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
  // file-level suppression usually sits at the top.
  for (const r of [...sections.rest, ...(sections.down ?? [])]) {
    const p = region(r, 0);
    out.diagnostics.push(...p.diagnostics);
    out.suppressions.push(...p.suppressions);
  }
  out.diagnostics.sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0));
  if (format !== 'whole') {
    const status: ReverseStatus = sections.down === null ? 'missing' : sections.down.some((r) => hasSql(text.slice(r.start, r.end))) ? 'present' : 'empty';
    out.down = { status, ...(sections.downMarker ? { span: index.span(sections.downMarker.start, sections.downMarker.end) } : {}) };
  }
  return out;
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
