import type { IBuffer, Terminal } from '@xterm/headless';
import xterm from '@xterm/headless';
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

test.each(['bottom', 'top'] as const)(
  'the rest of a frame line cut at the top of the screen (anchored at the %s) is left there, and the transcript drawn under it',
  (anchor) => {
    const erased = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => `\x1b[${from + index};1H\x1b[2K`).join(
        '',
      );
    // The frame takes all but the screen's first row, which holds the last row of a line whose
    // first ones went into the scrollback: nothing of the transcript fits, and that row stays.
    const redraw = screenRedraw('one\ntwo\n', {
      columns: 20,
      rows: 8,
      frameRows: 7,
      anchor,
      ...(anchor === 'bottom' ? { transcriptRows: 0 } : { transcriptEndRow: 0 }),
      frameRowsAtTop: 1,
    });
    expect(redraw.text).toBe(`${erased(2, 8)}\x1b[2;1H`);
    expect(redraw.rowsAbove).toBe(1);
  },
);

/** Every line a headless terminal holds, its scrollback first, with the rows it wrapped each into joined again. */
function joinedLines(terminal: { buffer: { active: IBuffer } }): string[] {
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let row = 0; row < buffer.length; row += 1) {
    const line = buffer.getLine(row);
    const text = line?.translateToString(true) ?? '';
    if (line?.isWrapped && lines.length > 0) lines.push(`${lines.pop() ?? ''}${text}`);
    else lines.push(text);
  }
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

/** What a renderer writes for its frame: erases the lines of the one before, then each line and a line end. */
function frameWrite(lines: string[], linesBefore: number): string {
  const erase = linesBefore === 0 ? '' : `${'\x1b[2K\x1b[1A'.repeat(linesBefore)}\x1b[2K\x1b[G`;
  return `${erase}${lines.join('\n')}\n`;
}

// A line the terminal wraps at 20 columns into more rows than its columns fill: a wide character
// that does not fit in a row's last column starts the next row.
const wide = `a${'中'.repeat(19)}b`;

test.each([
  ['wide characters', wide],
  ['one column a character', 'x'.repeat(50)],
])(
  'on a screen the transcript has not filled, narrower then wider again, with a line of %s the screen starts in the middle of: every line once, whole',
  async (_kind, long) => {
    const lines = ['one', long, 'three', 'four', 'five'];
    // The header wraps at the new width: the rows it grows by push the first rows off the top.
    const oldHeader = 'h'.repeat(30);
    const { terminal, write } = await terminalWith([], lines, [oldHeader, '']);
    terminal.resize(20, 8);
    // The terminal says where its cursor is; the transcript ends above the old frame's rows.
    const transcriptEndRow = terminal.buffer.active.cursorY + 1 - 2 - 1;
    await write(frameWrite(['h'.repeat(15)], 1));
    await write(
      screenRedraw(`${lines.join('\n')}\n`, {
        columns: 20,
        rows: 8,
        frameRows: 2,
        anchor: 'top',
        transcriptEndRow,
      }).text,
    );
    await write(`${'h'.repeat(15)}\n`);
    expectEachLineOnceWhole(terminal, lines, long);
    terminal.dispose();
  },
);

test.each([
  // Forty columns wide, the line of wide characters takes one row at first; the other, two.
  ['wide characters', wide, ['one', 'two', wide, 'three', 'four', 'five']],
  ['one column a character', 'x'.repeat(50), ['one', 'x'.repeat(50), 'three', 'four', 'five']],
])(
  'on a screen the transcript filled, narrower then wider again, the rows the old frame was wrapped into left empty under the new one, with a line of %s the screen starts in the middle of: every line once, whole, no empty row among them',
  async (_kind, long, lines) => {
    // Six rows at 40 columns, and the frame's two: the screen is filled.
    const oldHeader = 'h'.repeat(30);
    const { terminal, write } = await terminalWith([], lines, [oldHeader, '']);
    terminal.resize(20, 8);
    // The old frame's line takes two rows now; the new frame one, and the row the cursor rests on.
    await write(frameWrite(['h'.repeat(15)], 1));
    const redraw = screenRedraw(`${lines.join('\n')}\n`, {
      columns: 20,
      rows: 8,
      frameRows: 2,
      transcriptRows: 8 - 2 - 1,
      anchor: 'bottom',
    });
    expect(redraw.fromTop).toBe(true);
    await write(redraw.text);
    await write(`${'h'.repeat(15)}\n`);
    expectEachLineOnceWhole(terminal, lines, long);
    // Pushed into the scrollback by lines printed after, the lines are as they were: no row left
    // empty among them.
    await write('six\nseven\neight\nnine\nten\n');
    const shown = joinedLines(terminal);
    expect(shown.slice(shown.indexOf('one'), shown.indexOf('ten') + 1)).not.toContain('');
    terminal.dispose();
  },
);

/** At 20 columns, then at 40 again: each of `lines` shows once, and no row of `long` apart from it. */
function expectEachLineOnceWhole(terminal: Terminal, lines: readonly string[], long: string): void {
  for (const columns of [20, 40]) {
    terminal.resize(columns, 8);
    const shown = joinedLines(terminal);
    for (const line of lines)
      expect(
        shown.filter((text) => text === line),
        `${columns}: ${line}`,
      ).toHaveLength(1);
    expect(
      shown.filter((text) => text !== long && long.includes(text) && text !== ''),
      `${columns}`,
    ).toEqual([]);
  }
}

test('wider, under a frame drawn as tall as before: the transcript rows the terminal pulled back out of its scrollback are drawn again, each once, in order', async () => {
  const terminal = new xterm.Terminal({
    cols: 30,
    rows: 10,
    scrollback: 100,
    allowProposedApi: true,
  });
  const write = (data: string) =>
    new Promise<void>((resolve) => terminal.write(data.replaceAll('\n', '\r\n'), resolve));
  const transcript = Array.from({ length: 12 }, (_, index) => `t-${index + 1}`);
  // A running command's screen of lines wider than the terminal: each takes two rows.
  const wide = ['a', 'b', 'c'].map((letter) => `${letter}-${letter.repeat(43)}`);
  const eraseFrame = (rows: number) => `${'\x1b[2K\x1b[1A'.repeat(rows - 1)}\x1b[2K\x1b[G`;
  await write(`${transcript.join('\n')}\n${wide.join('\n')}\nstatus\n`);
  // Wider: the terminal wraps the frame's lines into one row each and pulls rows of its
  // scrollback back onto the screen above them.
  terminal.resize(50, 10);
  // The renderer erases the seven rows it drew, plus the cursor's, and draws the frame again as the
  // command's screen still has it (its rows as they were: seven).
  const rowsNow = wide.flatMap((line) => [line.slice(0, 30), line.slice(30)]);
  const frame = `${[...rowsNow, 'status'].join('\n')}\n`;
  await write(eraseFrame(8) + frame);
  // The transcript is drawn again above it (the renderer erases its frame, the text, the frame).
  const transcriptRows = 10 - 4 - 1;
  const redraw = screenRedraw(`${transcript.join('\n')}\n`, {
    columns: 50,
    rows: 10,
    frameRows: rowsNow.length + 2,
    transcriptRows,
    anchor: 'bottom',
  });
  await write(eraseFrame(8) + redraw.text + frame);
  const buffer = terminal.buffer.active;
  const rows: string[] = [];
  for (let row = 0; row < buffer.length; row += 1)
    rows.push(buffer.getLine(row)?.translateToString(true) ?? '');
  expect(rows.filter((row) => row.startsWith('t-'))).toEqual(transcript);
  expect(rows.slice(rows.indexOf('t-12'))).toEqual(['t-12', ...rowsNow, 'status', '']);
  expect(redraw.fromTop).toBe(false);
  terminal.dispose();
});
