import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createEmulatedScreen, type ScreenSize } from './emulated-screen.js';

/**
 * Pieces of output that leave the emulator in every state plain lines are printed from or not.
 * (Not ED 3: what it erases depends on how the output was cut, as rows scrolled off are taken out
 * after each piece.)
 */
const piece = fc.oneof(
  // Runs of plain lines, long enough to scroll the whole screen away.
  fc
    .array(fc.stringMatching(/^[ -~]{0,14}$/), { minLength: 0, maxLength: 30 })
    .map((lines) => lines.map((line) => `${line}\r\n`).join('')),
  fc.constantFrom(
    '\x1b[31mred\r\n',
    '\x1b[1m',
    '\x1b[44m',
    '\x1b[0m',
    '\x1b[2;4r',
    // The cursor at the start of the bottom row: below a scroll region, in one that leaves out the
    // top row, on a row with text, on a blank row that continues the line above.
    '\x1b[1;3r\x1b[99;1H',
    '\x1b[2;99r\x1b[99;1H',
    '\x1b[99;1Htext\r',
    `${'x'.repeat(31)}\r\x1b[99X`,
    '\x1b[r',
    '\x1b(0qqq\r\n',
    '\x1b(B',
    '\x1b[4h',
    '\x1b[4l',
    '\x1b[2A\r\x1b[Kredrawn\r\n',
    '\x1b[H\x1b[2J',
    '\x1b[?1049h',
    '\x1b[?1049l',
    '\x1b[5;1H',
    '\x1b[44m\x1b[K\x1b[0m',
    // A title being set: what follows is part of it until it ends.
    '\x1b]0;title ',
    'no line end',
    'bare\n',
    'over\rwrite\r\n',
    '\r',
    '中文🎉👍🏽\r\n',
    // Half of a character: the emulator waits for the other half.
    '\ud83c',
    'x'.repeat(23),
    '\t|\r\n',
    '\r\n',
  ),
);

/** What a screen shows and hands out for `chunks`, its end included. */
function observe(chunks: readonly string[], size: ScreenSize) {
  const screen = createEmulatedScreen(size);
  const lines = chunks.flatMap((chunk) => screen.push(chunk));
  const rows = screen.rows(true);
  const cursor = screen.cursor();
  const partial = screen.partial;
  return { lines: [...lines, ...screen.end()], rows, cursor, partial };
}

test('plain lines that skip the emulator come out as the emulator prints them, whatever came before', () => {
  fc.assert(
    fc.property(
      fc.array(piece, { minLength: 1, maxLength: 12 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
      fc.record({ cols: fc.integer({ min: 16, max: 30 }), rows: fc.integer({ min: 5, max: 8 }) }),
      (pieces, cuts, size) => {
        const output = pieces.join('');
        // Pieces of at most 7 code units never hold a screen's worth of lines (4 at least, of 2
        // code units at least): each is printed by the emulator itself.
        const small: string[] = [];
        for (let start = 0, cut = 0; start < output.length; cut += 1) {
          const end = start + (cuts[cut % cuts.length] as number);
          small.push(output.slice(start, end));
          start = end;
        }
        expect(observe(pieces, size)).toEqual(observe(small, size));
      },
    ),
    fuzzParameters('emulated screen: plain lines equal the emulator', { numRuns: 300 }),
  );
});

test('kept lines are the last of those handed out, the others counted, and the screen draws the same', () => {
  fc.assert(
    fc.property(
      fc.array(piece, { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 6 }),
      fc.record({ cols: fc.integer({ min: 16, max: 30 }), rows: fc.integer({ min: 5, max: 8 }) }),
      (pieces, keep, size) => {
        const whole = createEmulatedScreen(size);
        const kept = createEmulatedScreen(size);
        for (const chunk of pieces) {
          const all = whole.push(chunk);
          const some = kept.pushKeeping(chunk, keep);
          expect(some.dropped).toBe(Math.max(0, all.length - keep));
          expect(some.lines).toEqual(all.slice(some.dropped));
          expect(kept.rows(true)).toEqual(whole.rows(true));
          expect(kept.cursor()).toEqual(whole.cursor());
        }
        expect(kept.end()).toEqual(whole.end());
      },
    ),
    fuzzParameters('emulated screen: kept lines', { numRuns: 200 }),
  );
});
