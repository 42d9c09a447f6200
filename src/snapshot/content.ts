import { createHash } from 'node:crypto';
import type { Diagnostic } from '../model/types.js';

/** The git blob id of `content` (sha1 over `blob <size>\0<content>`), so working-tree files and git
 *  objects share cache keys. */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Files larger than this are not parsed: no migration is this big, and parsing one would stall a hook. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type Decoded = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

/**
 * Decodes a migration file as UTF-8 (Python 3 and every JS tool read source as UTF-8 by default),
 * refusing oversized files and invalid bytes with a diagnostic that says where the problem is.
 */
export function decodeSource(content: Buffer): Decoded {
  if (content.length > MAX_FILE_BYTES) {
    return {
      ok: false,
      diagnostic: {
        code: 'too-large',
        message: `file is ${(content.length / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit; not parsed`,
      },
    };
  }
  try {
    return { ok: true, text: utf8.decode(content) };
  } catch {
    const at = firstInvalidUtf8(content);
    const before = content.subarray(0, at);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) {
      if (before[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = Buffer.from(before.subarray(lineStart)).toString('utf8').length + 1;
    const pos = { line, column };
    return {
      ok: false,
      diagnostic: {
        code: 'encoding',
        message: `file is not valid UTF-8 (byte 0x${content[at]!.toString(16).padStart(2, '0')} at offset ${at})`,
        span: { start: pos, end: pos, offset: -1, endOffset: -1 },
      },
    };
  }
}

function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return Math.max(0, b.length - 1);
}

/**
 * Git merge-conflict markers left in a file. They are checked line by line before parsing, because a file
 * with both sides of a conflict has no single meaning: we report it instead of guessing one side.
 */
export function findConflictMarkers(text: string): { line: number; column: number } | null {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      const l = text.slice(start, i).replace(/\r$/, '');
      if (l.startsWith('<<<<<<< ') || l === '<<<<<<<' || l.startsWith('>>>>>>> ') || l === '>>>>>>>' || l === '|||||||' || l.startsWith('||||||| ')) {
        return { line, column: 1 };
      }
      line++;
      start = i + 1;
    }
  }
  return null;
}
