import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeSource, findConflictMarkers, gitBlobId } from '../../src/snapshot/content.js';
import { LineIndex, byteToCharOffsets } from '../../src/model/text.js';

describe('content ids', () => {
  it('equal the blob ids git computes', () => {
    for (const text of ['', 'hello\n', 'caf\u00e9 \u{1F600}\r\n']) {
      const git = execFileSync('git', ['hash-object', '--stdin'], { input: text, encoding: 'utf8' }).trim();
      expect(gitBlobId(Buffer.from(text))).toBe(git);
    }
  });
});

describe('decoding', () => {
  it('accepts UTF-8 and reports the first invalid byte with its position', () => {
    expect(decodeSource(Buffer.from('é\n'))).toEqual({ ok: true, text: 'é\n' });
    const bad = decodeSource(Buffer.from([0x61, 0x0a, 0x62, 0xc3, 0x28]));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.diagnostic.message).toBe('file is not valid UTF-8 (byte 0xc3 at offset 3)');
      expect(bad.diagnostic.span?.start).toEqual({ line: 2, column: 2 });
    }
  });

  it('finds conflict markers only at the start of a line', () => {
    expect(findConflictMarkers('a\n<<<<<<< HEAD\nb\n')).toEqual({ line: 2, column: 1 });
    expect(findConflictMarkers('x = "<<<<<<< not a marker"\n')).toBeNull();
    expect(findConflictMarkers('a\r\n>>>>>>> feature\r\n')).toEqual({ line: 2, column: 1 });
  });
});

describe('positions', () => {
  it('are 1-based and treat CRLF and CR as one line break', () => {
    const idx = new LineIndex('ab\r\ncd\ref\ngh');
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(4)).toEqual({ line: 2, column: 1 });
    expect(idx.position(7)).toEqual({ line: 3, column: 1 });
    expect(idx.position(10)).toEqual({ line: 4, column: 1 });
    expect(idx.lineText(1)).toBe('ab');
  });

  it('convert UTF-8 byte offsets to string offsets', () => {
    const text = 'é€😀x';
    const toChar = byteToCharOffsets(text);
    expect(toChar(0)).toBe(0);
    expect(toChar(2)).toBe(1); // after é (2 bytes)
    expect(toChar(5)).toBe(2); // after € (3 bytes)
    expect(toChar(9)).toBe(4); // after 😀 (4 bytes, 2 UTF-16 units)
    expect(text[toChar(9)]).toBe('x');
  });
});
