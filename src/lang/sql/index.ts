/**
 * The SQL front end: PostgreSQL SQL text -> neutral statements, placed in the file the text came from.
 * Used for `.sql` migration files and for SQL embedded in code (`RunSQL`, `op.execute`, `knex.raw`,
 * `queryRunner.query`, `pgm.sql`), where the caller maps offsets in the SQL string back to the file.
 *
 *   await loadSqlParser();                       // once, lazily (WASM)
 *   const r = parseSql(text, sqlFileContext(text));
 */

import type { DataEffects, Statement } from '../../model/statement.js';
import { LineIndex } from '../../model/text.js';
import type { Diagnostic, Span, Suppression } from '../../model/types.js';
import { collectEffects, emptyEffects } from './effects.js';
import { lowerStatement, SchemaState } from './lower.js';
import { splitAndParse, tokensWithin } from './parser.js';
import { malformedDiagnostic, placeSuppressions, readSuppressions } from './suppressions.js';
import { commandTag } from './tags.js';

export { loadSqlParser, sqlParserReady } from './parser.js';

export interface SqlContext {
  /** Line index of the whole file the SQL is in. */
  index: LineIndex;
  /**
   * Maps a UTF-16 offset in the SQL text to an offset in the file text. Identity plus a base for a `.sql`
   * file; for SQL inside a string literal, the caller's mapping (escapes make it non-linear). Called with
   * offsets from 0 to `sql.length` inclusive.
   */
  mapOffset: (sqlCharOffset: number) => number;
  /** The framework construct to record on every statement (`migrations.RunSQL`); default: each SQL
   *  statement's command tag (`CREATE INDEX`). */
  construct?: string;
  /** `operationIndex` of the first statement (default 0). */
  operationIndex?: number;
  /** When true every statement gets `operationIndex` unchanged (all SQL of one framework operation);
   *  otherwise each SQL statement is its own operation, numbered from `operationIndex`. */
  shareOperationIndex?: boolean;
}

export interface SqlParseResult {
  statements: Statement[];
  /** Syntax errors (each at the parser's error position) and malformed suppression comments. */
  diagnostics: Diagnostic[];
  /** What the whole text does to rows. */
  effects: DataEffects;
  /** `-- migrate-lint-ignore` comments, placed on the line of the statement they apply to. */
  suppressions: Suppression[];
}

/** The context for a whole `.sql` file. */
export function sqlFileContext(text: string, extra: Omit<SqlContext, 'index' | 'mapOffset'> = {}): SqlContext {
  return { index: new LineIndex(text), mapOffset: (o) => o, ...extra };
}

/**
 * Parses and lowers `sql`. Synchronous; `loadSqlParser()` must have resolved. Statements before a syntax
 * error are returned, and parsing resumes after the statement that failed.
 */
export function parseSql(sql: string, ctx: SqlContext): SqlParseResult {
  const { items, scan } = splitAndParse(sql);
  const span = (start: number, end: number): Span => ctx.index.span(ctx.mapOffset(start), ctx.mapOffset(end));
  const state = new SchemaState();
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  const effects = emptyEffects();
  const firstOp = ctx.operationIndex ?? 0;
  items.forEach((item, ordinal) => {
    if (!item.ok) {
      const tok = scan.tokens.find((t) => t.start === item.errorOffset);
      diagnostics.push({ code: 'syntax', message: item.message, span: span(item.errorOffset, tok ? tok.end : item.errorOffset) });
      return;
    }
    const base = {
      span: span(item.start, item.end),
      construct: ctx.construct ?? commandTag(item.node),
      operationIndex: ctx.shareOperationIndex ? firstOp : firstOp + ordinal,
    };
    statements.push(
      ...lowerStatement(
        {
          node: item.node,
          sql,
          tokens: tokensWithin(scan.tokens, item.start, item.end),
          toOffset: item.locationToOffset,
          start: item.start,
          end: item.end,
        },
        base,
        state,
      ),
    );
    collectEffects(item.node, effects);
  });

  const { found, malformed } = readSuppressions(scan.tokens);
  for (const t of malformed) diagnostics.push(malformedDiagnostic(span(t.start, t.end)));
  const suppressions = placeSuppressions(found, {
    statements: items.map((i) => ({ start: i.start, end: i.end })),
    sql,
    lineOf: (o) => ctx.index.position(ctx.mapOffset(o)).line,
    span,
  });
  diagnostics.sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0));
  return { statements, diagnostics, effects, suppressions };
}
