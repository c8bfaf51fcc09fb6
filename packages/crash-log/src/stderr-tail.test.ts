import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { StderrTail } from './stderr-tail.js';

/** The longest suffix of `text` (whole code points) whose UTF-8 encoding fits in `maxBytes`. */
function expectedTail(text: string, maxBytes: number): string {
  // Code points on purpose: UTF-8 cuts happen between code points, not graphemes.
  const codePoints = Array.from(text);
  let bytes = 0;
  let start = codePoints.length;
  while (start > 0) {
    const size = Buffer.byteLength(codePoints[start - 1]!);
    if (bytes + size > maxBytes) break;
    bytes += size;
    start -= 1;
  }
  return codePoints.slice(start).join('');
}

/** Cuts `bytes` into chunks at the given positions (any byte offset, mid-character included). */
function chunk(bytes: Buffer, cuts: number[]): Buffer[] {
  const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const position of [...positions, bytes.length]) {
    chunks.push(bytes.subarray(previous, position));
    previous = position;
  }
  return chunks;
}

describe('StderrTail', () => {
  test('keeps the last 4 KiB and its last lines', () => {
    const tail = new StderrTail();
    tail.push('starting\n');
    tail.push(Buffer.from('Error: listen EADDRINUSE\n    at Server.listen\n'));
    expect(tail.lastLines(2)).toEqual(['Error: listen EADDRINUSE', '    at Server.listen']);
    expect(tail.truncated).toBe(false);
    tail.push('x'.repeat(5000));
    expect(tail.byteLength).toBe(4096);
    expect(tail.truncated).toBe(true);
    expect(tail.text).toBe('x'.repeat(4096));
    expect(tail.lastLines(0)).toEqual([]);
    tail.clear();
    expect(tail.text).toBe('');
  });

  test('a chunk that is neither text nor bytes is refused with what to push', () => {
    const tail = new StderrTail();
    expect(() => tail.push(5 as unknown as string)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message:
          'StderrTail.push() takes a chunk of the stream, a string or a Uint8Array such as a Buffer (got 5)',
      }) as Error,
    );
    expect(tail.byteLength).toBe(0);
    expect(() => new StderrTail({ maxBytes: '64' as unknown as number })).toThrow('got "64"');
  });

  test('never starts with half a character after the cut', () => {
    const tail = new StderrTail({ maxBytes: 8 });
    tail.push('aé€😀'); // 1 + 2 + 3 + 4 bytes: the cut falls inside `é`
    expect(tail.text).toBe('€😀');
  });

  test('holds back a character whose bytes have not all arrived', () => {
    const tail = new StderrTail();
    const bytes = Buffer.from('ok 😀');
    tail.push(bytes.subarray(0, bytes.length - 2));
    expect(tail.text).toBe('ok ');
    tail.push(bytes.subarray(bytes.length - 2));
    expect(tail.text).toBe('ok 😀');
  });

  test('any text in any chunking → the longest whole-character suffix that fits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite', maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 4, max: 64 }),
        (text, cuts, maxBytes) => {
          const tail = new StderrTail({ maxBytes });
          for (const piece of chunk(Buffer.from(text), cuts)) tail.push(piece);
          expect(tail.text).toBe(expectedTail(text, maxBytes));
          expect(tail.byteLength).toBeLessThanOrEqual(maxBytes);
        },
      ),
      fuzzParameters('stderr tail: utf-8 safe cut under any chunking'),
    );
  });
});
