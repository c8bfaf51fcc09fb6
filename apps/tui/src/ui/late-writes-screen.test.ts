import { expect, test } from 'vitest';
import { autowrapOff, autowrapOn } from '../terminal-sequences.js';
import { screenAfterLateWrites, type WriteSeen } from './late-writes-screen.js';

/** How the renderer erases `count` rows, bottom up. */
const erased = (count: number) => `${'\x1b[2K\x1b[1A'.repeat(count - 1)}\x1b[2K\x1b[G`;

/**
 * A frame 10 columns wide: three lines of a command's screen that its terminal wrapped (20
 * characters each, drawn as one line over two rows) and the run's row. Seven rows at 10 columns,
 * four at 20.
 */
const frame = [
  `${autowrapOn}0123456789abcdefghij${autowrapOff}`,
  `${autowrapOn}klmnopqrstuvwxyz0123${autowrapOff}`,
  `${autowrapOn}456789abcdefghijklmn${autowrapOff}`,
  '⠋ make',
];

/** The writes of one frame drawn again under a line of the transcript, at 10 columns. */
function frameUnderLine(line: string): WriteSeen[] {
  return [
    {
      text: erased(8),
      transcript: false,
      columns: 10,
      rows: 12,
      frameBefore: frame,
      startsAtRest: true,
    },
    {
      text: `${line}\n`,
      transcript: true,
      columns: 10,
      rows: 12,
      frameBefore: frame,
      startsAtRest: false,
    },
    {
      text: `${frame.join('\n')}\n`,
      transcript: false,
      columns: 10,
      rows: 12,
      frameBefore: [],
      startsAtRest: false,
    },
  ];
}

test('a terminal made wider before it read a frame drawn again: the rows its erase took above the frame are counted off the scrollback', () => {
  // Twelve rows at 20 columns: the frame wrapped again takes four at the bottom, the cursor the
  // last, and the terminal pulled seven of the transcript's rows back out of its scrollback above
  // it. The erase, eight rows up from the last, takes the three lowest of those with the frame;
  // the line goes on the fifth row, the frame under it: the cursor ends on the tenth.
  const screen = screenAfterLateWrites(frameUnderLine('line'), 10, 20, 12);
  expect(screen?.cursorRow).toBe(10);
  // The seven pulled back (three of them erased) and the line: none of them in the scrollback.
  expect(screen?.transcriptRowsOffScrollback).toBe(8);
});

test('made wider while the system handed a frame on in pieces: a change at a line end inside it is found by the row the terminal says', () => {
  // The erase and the line read at 10 columns (the frame gone, the line on rows 5 and 6), then
  // the change: the cursor stays on row 7, the line takes one row above it and the transcript the
  // five above that; the frame's four rows follow, the cursor on the eleventh.
  const screen = screenAfterLateWrites(frameUnderLine('0123456789abcde'), 11, 20, 12);
  expect(screen?.cursorRow).toBe(11);
  // Nothing erased: the rows above the cursor at the change, the line's with them, are all that
  // is off the scrollback.
  expect(screen?.transcriptRowsOffScrollback).toBe(6);
});

test('an answer no moment of the change explains leaves the screen unknown', () => {
  expect(screenAfterLateWrites(frameUnderLine('line'), 1, 20, 12)).toBeUndefined();
});
