/**
 * SQL suppression comments, read from the scanner's comment tokens (never by searching the source, so a
 * `--` inside a string literal is not a comment):
 *
 *   -- migrate-lint-ignore <rule>[, <rule>...]: <reason>        the statement it belongs to
 *   -- migrate-lint-ignore-file <rule>[, <rule>...]: <reason>   the whole file
 *
 * `/* ... *\/` comments work the same way. A statement-level comment applies to the next statement, or to
 * the statement it sits inside; a comment at the end of a statement's last line (after the `;`) applies
 * to that statement, which is where people write trailing ignores (squawk#833 asked for it).
 */

import type { Diagnostic, Suppression } from '../../model/types.js';
import type { SqlToken } from './parser.js';

const HEAD = /^migrate-lint-ignore(-file)?(?=\s|:|$)/;
const BODY = /^\s+([A-Za-z0-9_/-]+(?:\s*,\s*[A-Za-z0-9_/-]+)*)\s*(?::\s*([\s\S]*?))?\s*$/;

/** One suppression comment before placement. */
export interface RawSuppression {
  rules: string[];
  reason: string;
  file: boolean;
  start: number;
  end: number;
}

/** Reads suppressions from comment tokens; a comment that starts like one but is malformed is reported. */
export function readSuppressions(tokens: SqlToken[]): { found: RawSuppression[]; malformed: SqlToken[] } {
  const found: RawSuppression[] = [];
  const malformed: SqlToken[] = [];
  for (const t of tokens) {
    if (t.kind !== 'comment') continue;
    const body = t.text.startsWith('--') ? t.text.slice(2) : t.text.slice(2, t.text.endsWith('*/') ? -2 : undefined);
    const text = body.trim();
    const head = HEAD.exec(text);
    if (!head) continue;
    const m = BODY.exec(text.slice(head[0].length));
    if (!m) {
      malformed.push(t);
      continue;
    }
    found.push({
      rules: m[1]!.split(',').map((r) => r.trim()),
      reason: (m[2] ?? '').trim(),
      file: head[1] !== undefined,
      start: t.start,
      end: t.end,
    });
  }
  return { found, malformed };
}

export interface Placement {
  /** Statement extents in the SQL text, in order. */
  statements: { start: number; end: number }[];
  sql: string;
  /** SQL offset -> 1-based line in the file. */
  lineOf: (sqlOffset: number) => number;
  span: (start: number, end: number) => Suppression['span'];
}

/** Decides which line each suppression applies to. */
export function placeSuppressions(raw: RawSuppression[], p: Placement): Suppression[] {
  return raw.map((r) => {
    const span = p.span(r.start, r.end);
    if (r.file) return { rules: r.rules, reason: r.reason, line: null, span };
    let line: number;
    const prev = [...p.statements].reverse().find((s) => s.end <= r.start);
    const trailing =
      prev !== undefined && p.lineOf(prev.end) === p.lineOf(r.start) && /^[\s;]*$/.test(p.sql.slice(prev.end, r.start));
    if (trailing) line = p.lineOf(prev.start);
    else {
      const next = p.statements.find((s) => s.end > r.start);
      line = next !== undefined ? p.lineOf(next.start) : p.lineOf(r.end) + 1;
    }
    return { rules: r.rules, reason: r.reason, line, span };
  });
}

export function malformedDiagnostic(span: Diagnostic['span']): Diagnostic {
  const d: Diagnostic = {
    code: 'syntax',
    message: 'malformed suppression comment: write `-- migrate-lint-ignore <rule>[, <rule>]: <reason>`',
  };
  if (span) d.span = span;
  return d;
}
