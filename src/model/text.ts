/**
 * Positions in decoded file text. Every front end turns its parser's offsets into `Span`s here, once, so
 * reporters never convert positions themselves (squawk's reporters each add 1 on their own; we don't).
 *
 * Columns count UTF-16 code units from 1, as VS Code, ESLint and GitHub annotations do. A CR LF pair and a
 * lone CR both end a line.
 */
import type { Position, Span } from './types.js';

export class LineIndex {
  /** Offsets at which each line starts. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The line of the last lookup: front ends ask for positions mostly in file order, near each other. */
  private hint = 0;

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    const h = this.hint;
    if (starts[h]! <= o && (h + 1 === starts.length || o < starts[h + 1]!)) return { line: h + 1, column: o - starts[h]! + 1 };
    if (h + 2 <= starts.length && starts[h + 1]! <= o && (h + 2 === starts.length || o < starts[h + 2]!)) {
      this.hint = h + 1;
      return { line: h + 2, column: o - starts[h + 1]! + 1 };
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  }

  span(from: number, to: number): Span {
    return { start: this.position(from), end: this.position(to), offset: from, endOffset: to };
  }

  /** The offset where 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }

  /** The text of 1-based `line`, without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.starts.length ? this.starts[line]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}

/** Converts UTF-8 byte offsets (libpg-query reports these) into UTF-16 offsets of the same string. */
export function byteToCharOffsets(text: string): (byteOffset: number) => number {
  // Fast path: pure ASCII text has identical offsets.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return (b) => b;
  const byteAt: number[] = []; // byteAt[charIndex] = byte offset of that char
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    byteAt.push(bytes);
    const c = text.codePointAt(i)!;
    const len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    bytes += len;
    if (c >= 0x10000) {
      byteAt.push(bytes); // the low surrogate: points past the character
      i++;
    }
  }
  byteAt.push(bytes);
  return (b) => {
    let lo = 0;
    let hi = byteAt.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (byteAt[mid]! <= b) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
