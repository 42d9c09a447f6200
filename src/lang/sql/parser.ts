/**
 * The real PostgreSQL parser (libpg-query, WASM) behind a small surface: lazy one-time loading, scanning
 * into tokens with UTF-16 offsets, and splitting a text into parsed statements while keeping every
 * statement before a syntax error (and resuming after it).
 *
 * Offsets: libpg-query reports `stmt_location`, `location` and token `start`/`end` as UTF-8 *byte*
 * offsets, and a syntax error's `cursorPosition` as a 0-based *code point* offset. Everything leaving this
 * module is a UTF-16 offset into the text that was given, like JavaScript string indices.
 */

import type { Node } from 'libpg-query';
import { InternalError } from '../../errors.js';
import { byteToCharOffsets } from '../../model/text.js';

let loading: Promise<void> | undefined;
let ready = false;
/** libpg-query itself, imported with the parser: a run that parses no SQL (a check answered from the
 *  cache, a Django tree without RunSQL) never loads it. */
let pg: typeof import('libpg-query');

/** Loads the WASM parser once; later calls return the same promise. Safe to call from many places. */
export function loadSqlParser(): Promise<void> {
  loading ??= import('libpg-query').then(async (mod) => {
    await mod.loadModule();
    pg = mod;
  }).then(
    () => {
      ready = true;
    },
    (err: unknown) => {
      loading = undefined; // let a later call retry
      throw err;
    },
  );
  return loading;
}

/** Whether `loadSqlParser()` has finished. */
export function sqlParserReady(): boolean {
  return ready;
}

function assertReady(): void {
  if (!ready) throw new InternalError('the SQL parser is not loaded', 'await loadSqlParser() before parseSql()');
}

export interface SqlToken {
  /** UTF-16 offsets into the scanned text. */
  start: number;
  end: number;
  text: string;
  kind: 'comment' | 'semicolon' | 'open' | 'close' | 'comma' | 'keyword' | 'other';
  /** Upper-cased text for keywords (`CREATE`), the text otherwise. */
  upper: string;
}

export interface ScanResult {
  tokens: SqlToken[];
  /** Set when the scanner could not read past this offset (an unterminated string or comment). */
  unscannedFrom?: number;
}

/** Converts a 0-based code point index in `text` to a UTF-16 offset. */
export function codePointToUtf16(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

interface ParseFailure {
  message: string;
  /** UTF-16 offset of the error in the parsed text, when the parser says. */
  offset?: number;
}

function parseFailure(text: string, err: unknown): ParseFailure {
  const e = err as { message?: unknown; sqlDetails?: { cursorPosition?: unknown } };
  const message = typeof e.message === 'string' ? e.message : String(err);
  const cp = e.sqlDetails?.cursorPosition;
  return typeof cp === 'number' && cp >= 0 ? { message, offset: codePointToUtf16(text, cp) } : { message };
}

function tryParse(text: string): { stmts: { node: Node; location: number; length: number }[] } | ParseFailure {
  try {
    const r = pg.parseSync(text);
    return {
      stmts: (r.stmts ?? []).flatMap((s) =>
        s.stmt ? [{ node: s.stmt, location: s.stmt_location ?? 0, length: s.stmt_len ?? 0 }] : [],
      ),
    };
  } catch (err) {
    return parseFailure(text, err);
  }
}

function classify(text: string, tokenName: string, keyword: boolean): SqlToken['kind'] {
  if (tokenName === 'SQL_COMMENT' || tokenName === 'C_COMMENT') return 'comment';
  if (text === ';') return 'semicolon';
  if (text === '(') return 'open';
  if (text === ')') return 'close';
  if (text === ',') return 'comma';
  return keyword ? 'keyword' : 'other';
}

/** Scans `text` into tokens (comments included). Never throws: unscannable input ends the token list. */
export function scanSql(text: string): ScanResult {
  assertReady();
  const tokens: SqlToken[] = [];
  let from = 0;
  // Each round scans text[from..]; on a lexer failure it keeps the tokens before the failure and either
  // stops (an unterminated literal swallows the rest, as in PostgreSQL) or skips past the bad token.
  for (;;) {
    const rest = text.slice(from);
    if (rest.trim() === '') return { tokens };
    const scanned = tryScan(rest);
    if (scanned) {
      for (const t of scanned) tokens.push({ ...t, start: t.start + from, end: t.end + from });
      return { tokens };
    }
    // The scanner does not say where it failed; the parser does (it runs the same lexer).
    const failure = tryParse(rest);
    const at = 'offset' in failure && failure.offset !== undefined ? failure.offset : 0;
    if (at > 0) {
      const before = scanSql(rest.slice(0, at)); // shorter text: terminates
      for (const t of before.tokens) tokens.push({ ...t, start: t.start + from, end: t.end + from });
      if (before.unscannedFrom !== undefined) return { tokens, unscannedFrom: before.unscannedFrom + from };
    }
    const msg = 'message' in failure ? failure.message : '';
    if (/^unterminated/.test(msg)) return { tokens, unscannedFrom: from + at };
    // A bad token that does not swallow the rest (trailing junk after a number, a zero-length quoted
    // identifier), or a syntax error hiding a later lexer error: skip one whitespace-delimited word.
    const wordEnd = rest.slice(at).search(/\s|$/);
    const word = tryScan(rest.slice(at, at + Math.max(wordEnd, 1)));
    if (!word || word.length === 0) return { tokens, unscannedFrom: from + at };
    for (const t of word) tokens.push({ ...t, start: t.start + from + at, end: t.end + from + at });
    from += at + word[word.length - 1]!.end;
  }
}

function tryScan(text: string): SqlToken[] | undefined {
  let result;
  try {
    result = pg.scanSync(text);
  } catch {
    return undefined;
  }
  const toChar = byteToCharOffsets(text);
  return result.tokens.map((t) => {
    const start = toChar(t.start);
    const end = toChar(t.end);
    const tokenText = text.slice(start, end);
    const keyword = t.keywordKind !== 0;
    return {
      start,
      end,
      text: tokenText,
      kind: classify(tokenText, t.tokenName, keyword),
      upper: keyword ? tokenText.toUpperCase() : tokenText,
    };
  });
}

/** One parsed statement: its AST, where its tokens are (UTF-16, without leading/trailing comments and
 *  without the `;`), and how to turn the AST's byte locations into offsets of the whole text. */
export interface ParsedStatement {
  node: Node;
  start: number;
  end: number;
  /** AST `location` values are bytes relative to the text the parser saw; this maps one to a UTF-16
   *  offset into the whole text. */
  locationToOffset: (byteLocation: number) => number;
}

/** A statement the parser rejected. */
export interface FailedStatement {
  message: string;
  /** Where the parser says the error is (UTF-16 offset into the whole text). */
  errorOffset: number;
  /** The statement's extent, from its first token to the `;` that ends it (or the end of the text). */
  start: number;
  end: number;
}

export interface SplitResult {
  /** Parsed and failed statements in text order. */
  items: ({ ok: true } & ParsedStatement | ({ ok: false } & FailedStatement))[];
  scan: ScanResult;
}

/**
 * Parses every statement of `text`. The whole text is parsed at once when it is valid. Otherwise it is
 * parsed one statement at a time, cut at the scanner's `;` tokens (never by a regex): statements before
 * and after an error are kept and each failing statement is reported. A cut that lands inside a
 * statement which contains `;` itself (`BEGIN ATOMIC ... END`, `CREATE RULE ... DO (...; ...)`) shows as
 * an error at the cut, so the chunk is extended to the next `;` until it parses.
 */
export function splitAndParse(text: string): SplitResult {
  assertReady();
  const scan = scanSql(text);
  const code = scan.tokens.filter((t) => t.kind !== 'comment');
  const items: SplitResult['items'] = [];
  if (code.length === 0 && scan.unscannedFrom === undefined) return { items, scan };
  const whole = tryParse(text);
  if ('stmts' in whole) {
    addParsed(items, code, 0, text, whole.stmts);
    return { items, scan };
  }
  const semicolons = code.filter((t) => t.kind === 'semicolon');
  // Extending a chunk over more than this many `;` means the error is real, not a cut body.
  const maxExtension = 200;
  let from = 0;
  let next = 0; // index into `semicolons` of the first one at or after `from`
  while (firstTokenAt(code, from) < code.length || (scan.unscannedFrom !== undefined && scan.unscannedFrom >= from)) {
    const cut = semicolons[next];
    const chunkEnd = cut?.end ?? text.length;
    const first = tryParse(text.slice(from, chunkEnd));
    let parsed = 'stmts' in first ? { stmts: first.stmts, end: chunkEnd } : undefined;
    if (!parsed && cut) {
      for (let k = next + 1; k < semicolons.length && k - next <= maxExtension; k++) {
        const failure = 'offset' in first ? first : undefined;
        // Only an error at the cut (at the `;` or "at end of input") can be a body cut in two.
        if (failure && failure.offset !== undefined && from + failure.offset < cut.start) break;
        const longer = tryParse(text.slice(from, semicolons[k]!.end));
        if ('stmts' in longer) {
          parsed = { stmts: longer.stmts, end: semicolons[k]!.end };
          break;
        }
        if (longer.offset !== undefined && from + longer.offset < semicolons[k - 1]!.start) break;
      }
    }
    if (parsed) {
      addParsed(items, code, from, text.slice(from, parsed.end), parsed.stmts);
      from = parsed.end;
    } else {
      const failure = first as ParseFailure;
      const errorOffset = from + (failure.offset ?? 0);
      const inside = tokensWithin(code, from, cut?.start ?? text.length).filter((t) => t.kind !== 'semicolon');
      const start = inside[0]?.start ?? errorOffset;
      const end = cut === undefined && scan.unscannedFrom !== undefined ? text.trimEnd().length : (inside[inside.length - 1]?.end ?? errorOffset);
      items.push({ ok: false, message: failure.message, errorOffset, start: Math.min(start, errorOffset), end: Math.max(end, errorOffset) });
      from = chunkEnd;
    }
    if (from >= text.length) break;
    while (next < semicolons.length && semicolons[next]!.start < from) next++;
  }
  return { items, scan };
}

/** The index of the first token that starts at or after `offset` (tokens are in text order). */
export function firstTokenAt(tokens: readonly SqlToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The tokens lying within [start, end). */
export function tokensWithin(tokens: readonly SqlToken[], start: number, end: number): SqlToken[] {
  const out: SqlToken[] = [];
  for (let i = firstTokenAt(tokens, start); i < tokens.length && tokens[i]!.end <= end; i++) out.push(tokens[i]!);
  return out;
}

function addParsed(
  items: SplitResult['items'],
  code: SqlToken[],
  from: number,
  region: string,
  stmts: { node: Node; location: number; length: number }[],
): void {
  const toChar = byteToCharOffsets(region);
  const locationToOffset = (b: number) => from + toChar(b);
  for (const s of stmts) {
    const a = locationToOffset(s.location);
    // stmt_len 0 means "to the end of the text" (the last statement without a `;`).
    const b = s.length > 0 ? locationToOffset(s.location + s.length) : from + region.length;
    let first: SqlToken | undefined;
    let last: SqlToken | undefined;
    for (let i = firstTokenAt(code, a); i < code.length && code[i]!.end <= b; i++) {
      if (code[i]!.kind === 'semicolon') continue;
      first ??= code[i];
      last = code[i];
    }
    items.push({ ok: true, node: s.node, start: first?.start ?? a, end: last?.end ?? b, locationToOffset });
  }
}
