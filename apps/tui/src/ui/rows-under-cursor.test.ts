import xterm from '@xterm/headless';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  rowsBlankedAbove,
  rowsErased,
  controlSequence,
  unwrapped,
  wrapping,
} from '../terminal-sequences.js';
import { RowsUnderCursor } from './rows-under-cursor.js';

const columns = 20;
const rows = 10;

/** A terminal and the tracker, fed the same text; `below` is what the terminal itself says. */
function followed() {
  const terminal = new xterm.Terminal({
    cols: columns,
    rows,
    scrollback: 1000,
    allowProposedApi: true,
  });
  const tracker = new RowsUnderCursor();
  let frameLines = 0;
  const write = (text: string) => {
    tracker.wrote(text, columns, rows);
    return new Promise<void>((resolve) => terminal.write(text.replaceAll('\n', '\r\n'), resolve));
  };
  return {
    tracker,
    below: () => rows - 1 - terminal.buffer.active.cursorY,
    /** Row `row` (from 0) of the screen, without its trailing blanks. */
    text: (row: number) =>
      terminal.buffer.active.getLine(terminal.buffer.active.baseY + row)?.translateToString(true),
    /** The renderer's frame: its last one erased bottom up, then each line, wrapping off. */
    frame: (lines: string[]) => {
      const erase = `${'\x1b[2K\x1b[1A'.repeat(frameLines)}\x1b[2K\x1b[G`;
      frameLines = lines.length;
      return write(unwrapped(`${erase}${lines.map((line) => `${line}\n`).join('')}`));
    },
    /** Transcript text printed under the frame's erase, wrapping on; the frame is drawn again after. */
    print: (lines: string[]) => {
      const erase = `${'\x1b[2K\x1b[1A'.repeat(frameLines)}\x1b[2K\x1b[G`;
      frameLines = 0;
      return write(unwrapped(erase) + wrapping(lines.map((line) => `${line}\n`).join('')));
    },
    /** Rows blanked above the frame, under its erase; the frame is drawn again after. */
    blank: (count: number) => {
      const erase = `${'\x1b[2K\x1b[1A'.repeat(frameLines)}\x1b[2K\x1b[G`;
      frameLines = 0;
      return write(unwrapped(erase) + rowsBlankedAbove(count));
    },
    /** The transcript drawn again from row `from`, as after a change of width. */
    redraw: (from: number, lines: string[]) => {
      frameLines = 0;
      return write(
        wrapping(
          rowsErased(from, rows) +
            controlSequence(`${from};1`, 'H') +
            lines.map((line) => `${line}\n`).join(''),
        ),
      );
    },
    dispose: () => {
      terminal.dispose();
    },
  };
}

test('a tall frame that shrinks on a full screen leaves rows under the cursor, until lines fill them', async () => {
  const screen = followed();
  await screen.print(Array.from({ length: 12 }, (_, index) => `line ${index}`));
  await screen.frame(['header', 'prompt']);
  expect(screen.tracker.count).toBe(0);
  // A run's screen in the frame, then the run ends: the frame is two lines again.
  await screen.frame([...Array.from({ length: 7 }, (_, index) => `out ${index}`), 'header']);
  await screen.frame(['header', 'prompt']);
  expect(screen.below()).toBe(6);
  expect(screen.tracker.count).toBe(6);
  // Lines that wrap take rows of their own.
  await screen.print(['x'.repeat(45), 'y'.repeat(20)]);
  await screen.frame(['header', 'prompt']);
  expect(screen.below()).toBe(2);
  expect(screen.tracker.count).toBe(2);
  await screen.print(['z', 'z']);
  await screen.frame(['header', 'prompt']);
  expect(screen.tracker.count).toBe(0);
  expect(screen.below()).toBe(0);
  screen.dispose();
});

test('rows blanked above a frame near the top of the screen leave the frame where it was', async () => {
  const screen = followed();
  await screen.print(['x'.repeat(30)]);
  await screen.frame(['out 1', 'out 2', 'header']);
  // More rows than lie above the frame (the old frame wrapped again went partly off the top).
  await screen.blank(6);
  await screen.frame(['out 1', 'out 2', 'header']);
  // Blank (a blank written in their first column keeps them the rest of a line wrapped above).
  expect(screen.text(0)).toBe(' ');
  expect(screen.text(1)).toBe(' ');
  expect(screen.text(2)).toBe('out 1');
  expect(screen.below()).toBe(rows - 6);
  expect(screen.tracker.count).toBe(screen.below());
  screen.dispose();
});

test('before a screen of rows is written, the cursor may be on any row: it is not taken for the last', async () => {
  const screen = followed();
  expect(screen.tracker.count).toBe(Number.POSITIVE_INFINITY);
  await screen.frame(['header', 'prompt']);
  expect(screen.tracker.count).toBeGreaterThan(0);
  screen.dispose();
});

test('whatever is printed, framed and drawn again, the rows under the cursor are those the terminal has', async () => {
  // Up to three rows long, as often one that wraps as one that does not.
  const line = fc
    .integer({ min: 0, max: 3 * columns })
    .map((length) => 'ab '.repeat(columns).slice(0, length));
  const step = fc.oneof(
    fc.record({ kind: fc.constant('print' as const), lines: fc.array(line, { maxLength: 6 }) }),
    fc.record({
      kind: fc.constant('frame' as const),
      lines: fc.array(line, { minLength: 1, maxLength: rows - 1 }),
    }),
    fc.record({
      kind: fc.constant('blank' as const),
      count: fc.integer({ min: 0, max: rows + 2 }),
    }),
    fc.record({
      kind: fc.constant('redraw' as const),
      from: fc.integer({ min: 1, max: rows }),
      lines: fc.array(line, { maxLength: 3 }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const screen = followed();
      await screen.print(Array.from({ length: rows }, () => ''));
      for (const next of steps) {
        if (next.kind === 'print') await screen.print(next.lines);
        else if (next.kind === 'frame') await screen.frame(next.lines);
        else if (next.kind === 'blank') await screen.blank(next.count);
        else await screen.redraw(next.from, next.lines);
        expect(screen.tracker.count).toBe(screen.below());
      }
      screen.dispose();
    }),
    fuzzParameters('rows under the cursor', { numRuns: 200 }),
  );
});

test('the count is a guess until the cursor has reached the last row or been put on a row by number, and again once the size changes with rows under the cursor', () => {
  const tracker = new RowsUnderCursor();
  // Lines that were there before Lifeline may have put the cursor anywhere.
  tracker.wrote('one\ntwo\n', columns, rows);
  expect(tracker.knownAt(columns, rows)).toBe(false);
  tracker.wrote('three\n'.repeat(rows), columns, rows);
  expect(tracker.count).toBe(0);
  expect(tracker.knownAt(columns, rows)).toBe(true);
  // On the last row, the rows above the cursor are at most the screen's less one, at any size.
  expect(tracker.knownAt(columns - 7, rows - 3)).toBe(true);
  tracker.wrote(`${controlSequence('', 'A')}x`, columns, rows - 3);
  expect(tracker.count).toBe(1);
  expect(tracker.knownAt(columns, rows - 3)).toBe(true);
  // With a row under it, a change of height may have taken that row, or added more; a change of
  // width wraps the lines above the cursor again, and moves it.
  expect(tracker.knownAt(columns, rows)).toBe(false);
  expect(tracker.knownAt(columns - 7, rows - 3)).toBe(false);
  tracker.wrote('y', columns, rows);
  expect(tracker.knownAt(columns, rows)).toBe(false);
  tracker.wrote(controlSequence(`${rows - 2};1`, 'H'), columns, rows);
  expect(tracker.count).toBe(2);
  expect(tracker.knownAt(columns, rows)).toBe(true);
  tracker.wrote('z', columns - 7, rows);
  expect(tracker.knownAt(columns - 7, rows)).toBe(false);
  expect(tracker.knownAt(columns, rows)).toBe(false);
});
