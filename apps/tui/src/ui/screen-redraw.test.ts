import { expect, test } from 'vitest';
import { terminalWith } from '../test-utils/headless-terminal.js';
import { screenRedraw } from './screen-redraw.js';

test('at a new width, the rows above the frame are drawn again in place: the scrollback and what came before stay, nothing twice', async () => {
  const before = ['before-1', 'before-2', 'before-3', 'before-4', 'before-5'];
  const lines = ['one', 'x'.repeat(30), 'three'];
  const { terminal, write, everything } = await terminalWith(before, lines, ['frame', '']);
  terminal.resize(20, 8);
  // The transcript as printed, at the new width the 30-column line takes two rows.
  await write(
    screenRedraw(`${lines.join('\n')}\n`, { columns: 20, rows: 8, frameRows: 2, anchor: 'bottom' })
      .text,
  );
  await write('frame');
  const rows = everything();
  for (const line of before) expect(rows.filter((row) => row === line)).toHaveLength(1);
  expect(rows.filter((row) => row === 'one')).toHaveLength(1);
  expect(rows.filter((row) => row === 'three')).toHaveLength(1);
  expect(rows.filter((row) => row === 'x'.repeat(20))).toHaveLength(1);
  expect(rows.filter((row) => row === 'frame')).toHaveLength(1);
  expect(rows.slice(rows.indexOf('one'))).toEqual([
    'one',
    'x'.repeat(20),
    'x'.repeat(10),
    'three',
    'frame',
    '',
  ]);
  terminal.dispose();
});

test('a transcript longer than the screen: its last lines fill the rows above the frame', () => {
  const printed = `${Array.from({ length: 20 }, (_, index) => `line-${index}`).join('\n')}\n`;
  const { text } = screenRedraw(printed, { columns: 20, rows: 8, frameRows: 3, anchor: 'bottom' });
  // Five rows above the frame: every row of the screen is erased, the last five lines written.
  expect(text).toBe(
    `${Array.from({ length: 8 }, (_, index) => `\x1b[${index + 1};1H\x1b[2K`).join('')}\x1b[1;1H` +
      'line-15\nline-16\nline-17\nline-18\nline-19\n',
  );
});

test('a transcript that has not filled the screen ends where the terminal has its last row: the rows above are left as they are', () => {
  const erased = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, index) => `\x1b[${from + index};1H\x1b[2K`).join('');
  // Two rows of the user's above the transcript, which ends on row 4.
  const redraw = screenRedraw('one\ntwo\n', {
    columns: 20,
    rows: 8,
    frameRows: 2,
    anchor: 'top',
    transcriptEndRow: 4,
  });
  expect(redraw.text).toBe(`${erased(3, 8)}\x1b[3;1Hone\ntwo\n`);
  expect(redraw.rowsAbove).toBe(2);
  // Its first rows went into the scrollback as the terminal wrapped lines again: the rest ends on
  // the row reported, and the rows of the line cut at the top are left as the terminal wrapped them.
  const pushed = screenRedraw(`one\n${'x'.repeat(30)}\nthree\n`, {
    columns: 20,
    rows: 8,
    frameRows: 2,
    anchor: 'top',
    transcriptEndRow: 2,
  });
  expect(pushed.text).toBe(`${erased(2, 8)}\x1b[2;1Hthree\n`);
  expect(pushed.rowsAbove).toBe(1);
});
