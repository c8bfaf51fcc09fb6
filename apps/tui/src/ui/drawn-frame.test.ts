import xterm from '@xterm/headless';
import { expect, test } from 'vitest';
import {
  frameLinesAboveLowerScreen,
  frameLinesAboveScreen,
  DrawnFrame,
  frameLinesInScrollback,
  transcriptEndRowAfterResize,
  transcriptRowsAfterResize,
  type FrameAtResize,
} from './drawn-frame.js';
import { wrapping } from '../terminal-sequences.js';

/** What a renderer writes for a frame: erase the lines of the last one, then each line and a line end. */
function frameWrite(lines: string[], linesBefore: number): string {
  const erase = linesBefore === 0 ? '' : `${'\x1b[2K\x1b[1A'.repeat(linesBefore)}\x1b[2K\x1b[G`;
  return `${erase}${lines.join('\n')}\n`;
}

/** A headless terminal with a scrollback, and a write that resolves once it is applied. */
function xtermOf(cols: number, rows: number) {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  const write = (data: string) =>
    new Promise<void>((resolve) => terminal.write(data.replaceAll('\n', '\r\n'), resolve));
  return { terminal, write };
}

/**
 * Draws a frame at `from` columns, makes the terminal `to` columns wide, writes what the frame says
 * to write first and draws the frame again, as the TUI and its renderer do, and returns the frame as
 * it was at the change.
 */
async function narrowedUnderFrame(
  { terminal, write }: ReturnType<typeof xtermOf>,
  frame: DrawnFrame,
  drawFrame: (columns: number, linesBefore: number) => Promise<number>,
  from: number,
  to: number,
): Promise<FrameAtResize> {
  const linesBefore = await drawFrame(from, 0);
  terminal.resize(to, terminal.rows);
  await write(frame.terminalResized(to, terminal.rows, true));
  await drawFrame(to, linesBefore);
  const atResize = frame.takeResize(to);
  if (!atResize) throw new Error('no frame at the resize');
  return atResize;
}

/** A line of `text` cut into rows of `columns`, as a renderer wraps it. */
function wrapped(text: string, columns: number): string[] {
  const rows: string[] = [];
  for (let start = 0; start < text.length; start += columns)
    rows.push(text.slice(start, start + columns));
  return rows;
}

test('the frame is the last write with line ends; erases and escape sequences count no columns', () => {
  const frame = new DrawnFrame();
  frame.wrote(frameWrite(['\x1b[1mheader\x1b[22m · ready', 'prompt$ '], 0), 20, 10);
  // A cursor hidden, a clear of the frame: no line ends, not a frame.
  frame.wrote('\x1b[?25l', 20, 10);
  frame.wrote('\x1b[2K\x1b[1A\x1b[2K\x1b[G', 20, 10);
  frame.terminalResized(8, 10, true);
  expect(frame.takeResize(8)).toMatchObject({
    rowsDrawn: 2,
    rewrappedRows: 2 + 1,
    rowsNow: 2,
    texts: ['header · ready', 'prompt$'],
  });
  // Taken once: a change of height alone brings nothing more.
  expect(frame.takeResize(8)).toBeUndefined();
});

test.each([
  [60, 30],
  [60, 20],
  [30, 60],
  [45, 20],
])(
  'from %i columns to %i: the transcript keeps the rows a terminal shows above the frame',
  async (from, to) => {
    const rows = 10;
    const { terminal, write } = xtermOf(from, rows);
    const transcript = Array.from({ length: 30 }, (_, index) => `line-${index}`);
    const header = 'lifeline · work s_01m87s933e7m… · /tmp/work · ● ready';
    const frame = new DrawnFrame();
    // The renderer draws its frame, erasing the lines of the one before.
    const drawFrame = async (columns: number, linesBefore: number) => {
      const lines = [...wrapped(header, columns), 'root@vm:~# '];
      const text = frameWrite(lines, linesBefore);
      frame.wrote(text, columns, rows);
      await write(text);
      return lines.length;
    };
    await write(transcript.map((line) => `${line}\n`).join(''));
    const atResize = await narrowedUnderFrame({ terminal, write }, frame, drawFrame, from, to);
    const kept = transcriptRowsAfterResize(rows, atResize);
    // The row the terminal shows at the top of its screen, and the last row of its scrollback.
    const buffer = terminal.buffer.active;
    expect(buffer.getLine(buffer.viewportY)?.translateToString(true)).toBe(transcript.at(-kept));
    expect(buffer.getLine(buffer.viewportY - 1)?.translateToString(true)).toBe(
      transcript.at(-kept - 1),
    );
    terminal.dispose();
  },
);

test.each([
  [60, 20, 0],
  [60, 20, 3],
  [60, 30, 1],
  [80, 24, 0],
])(
  'from %i columns to %i, a frame filling the screen under transcript rows (%i): the lines said to be in the scrollback are, and no others',
  async (from, to, above) => {
    const rows = 12;
    const { terminal, write } = xtermOf(from, rows);
    const liveRows = Array.from({ length: rows - 4 - above }, (_, index) => `row-${index}`);
    const runLine = `⠋ for i in $(seq 1 150); do echo line $i; sleep 0.02; done · 1.2s`.slice(
      0,
      from - 1,
    );
    const header = 'lifeline · work s_01m87s933e7m… · /tmp/work · ● ready';
    const frame = new DrawnFrame();
    const drawFrame = async (columns: number, linesBefore: number) => {
      // The run's line is cut to the width; the header wraps.
      const lines = [...liveRows, runLine.slice(0, columns - 1), ...wrapped(header, columns), '> '];
      const text = frameWrite(lines, linesBefore);
      frame.wrote(text, columns, rows);
      await write(text);
      return lines.length;
    };
    await write(Array.from({ length: 20 + above }, (_, index) => `before-${index}\n`).join(''));
    const atResize = await narrowedUnderFrame({ terminal, write }, frame, drawFrame, from, to);
    const { lines: pushed } = frameLinesInScrollback(rows, atResize);
    expect(pushed.length).toBeGreaterThan(0);
    const buffer = terminal.buffer.active;
    const scrollback = Array.from({ length: buffer.viewportY }, (_, index) =>
      buffer.getLine(index)?.translateToString(true),
    );
    for (const row of liveRows) expect(scrollback.includes(row), row).toBe(pushed.includes(row));
    terminal.dispose();
  },
);

test('on a screen not filled, the frame lines above the row the terminal reports under them went into the scrollback, the last maybe cut', () => {
  const frame = new DrawnFrame();
  // A command's screen of three 30-column rows, and the header, drawn 40 wide; now 20 wide.
  frame.wrote(`${'a'.repeat(30)}\n${'b'.repeat(30)}\n${'c'.repeat(30)}\nheader\n`, 40, 9);
  frame.terminalResized(20, 9, true);
  const resized = frame.takeResize(20);
  if (!resized) throw new Error('no frame');
  // Seven rows now: the cursor kept on row 5 pushed three off the top, the first row of `b` among
  // them; its second row is the screen's first.
  expect(frameLinesAboveScreen(resized, 5, 9)).toMatchObject({
    lines: ['a'.repeat(30), 'b'.repeat(30)],
    restOnScreen: 1,
  });
  // Two rows off the top: `a` whole, nothing of `b`.
  expect(frameLinesAboveScreen(resized, 6, 9)).toEqual({
    lines: ['a'.repeat(30)],
    restOnScreen: 0,
    after: ['b'.repeat(30), 'c'.repeat(30), 'header'],
  });
  // Room for them all: none went.
  expect(frameLinesAboveScreen(resized, 9, 9)).toMatchObject({ lines: [], restOnScreen: 0 });
  // The cursor on the first row: every row of it went.
  expect(frameLinesAboveScreen(resized, 1, 9)).toEqual({
    lines: ['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(30), 'header'],
    restOnScreen: 0,
    after: [],
  });
});

test('on a screen not filled, a taller frame drawn at the new width scrolls more of the old one off the top', () => {
  const frame = new DrawnFrame();
  frame.wrote(`${'a'.repeat(30)}\n${'b'.repeat(30)}\n${'c'.repeat(30)}\nheader\n`, 40, 9);
  frame.terminalResized(20, 9, true);
  // Drawn again at 20 columns with two lines more: from row 4 (four rows up from row 8), down to
  // row 10 on a screen of 9, one row under the last.
  frame.wrote(`${'\x1b[2K\x1b[1A'.repeat(4)}\x1b[2K\x1b[G${'x\n'.repeat(6)}`, 20, 9);
  const resized = frame.takeResize(20);
  if (!resized) throw new Error('no frame');
  // Seven rows wrapped again above row 8: none went off the top, but the new frame scrolled one.
  expect(frameLinesAboveScreen(resized, 8, 9)).toMatchObject({
    lines: ['a'.repeat(30)],
    restOnScreen: 1,
  });
});

test.each([11, 12])(
  'a frame filling a screen %i high, narrowed so that each line takes two rows: the lines said to be in the scrollback are there whole, a cut last one too',
  async (rows) => {
    const { terminal, write } = xtermOf(40, rows);
    const liveRows = Array.from(
      { length: rows - 3 },
      (_, index) => `row-${index} ${'y'.repeat(25)}`,
    );
    const frame = new DrawnFrame();
    const drawFrame = async (columns: number, linesBefore: number) => {
      const lines = [...liveRows.map((row) => row.slice(0, columns)), 'header', '> '];
      const text = frameWrite(lines, linesBefore);
      frame.wrote(text, columns, rows);
      await write(text);
      return lines.length;
    };
    const atResize = await narrowedUnderFrame({ terminal, write }, frame, drawFrame, 40, 20);
    const { lines: pushed, restOnScreen } = frameLinesInScrollback(rows, atResize);
    const buffer = terminal.buffer.active;
    const text = (index: number) => buffer.getLine(index)?.translateToString(true) ?? '';
    const scrollback = Array.from({ length: buffer.viewportY }, (_, index) => text(index));
    // Each line pushed is whole in the scrollback, its rows one after the other: the one the
    // terminal cut at the top of the screen (at an even height) too, its rest scrolled off after
    // it before the renderer erased its frame.
    expect(pushed.length).toBeGreaterThan(0);
    expect(restOnScreen).toBe(0);
    for (const row of liveRows)
      expect(scrollback.join('\n').includes(`${row.slice(0, 20)}\n${row.slice(20)}`), row).toBe(
        pushed.includes(row),
      );
    expect(atResize.rowsScrolledOff).toBe(rows % 2 === 0 ? 1 : 0);
    terminal.dispose();
  },
);

test('a terminal made lower takes off the top only the frame lines that no longer fit above the cursor', () => {
  const frame = new DrawnFrame();
  // A command's screen of four rows and the header, the cursor under them, on a screen 30 high.
  frame.wrote('one\ntwo\nthree\nfour\nheader\n', 100, 30);
  frame.terminalResized(100, 30, true);
  const resized = frame.takeResize(100);
  if (!resized) throw new Error('no frame');
  // Four rows high: the cursor on the last, three rows above it for five lines.
  expect(frameLinesAboveLowerScreen(4, resized).lines).toEqual(['one', 'two']);
  // Room for the frame and the cursor's row: none went, whatever stood above it.
  expect(frameLinesAboveLowerScreen(6, resized).lines).toEqual([]);
  expect(frameLinesAboveLowerScreen(20, resized).lines).toEqual([]);
});

test('the frame lines the terminal pushed off the top as it wrapped them again are known before the renderer draws', () => {
  const frame = new DrawnFrame();
  // A command's screen of three rows and the run's row, 18 columns wide, filling a screen 5 high
  // with the cursor's row under them.
  frame.wrote('one\ntwo\nthree\n⠋ make · 1s · runs\n', 20, 5);
  // Narrower than the run's row: it takes two rows, and the first row goes off the top.
  frame.terminalResized(16, 5, true);
  expect(frame.topRowsPushed).toEqual(['one']);
  // Wide enough for every line: none.
  frame.terminalResized(20, 5, true);
  expect(frame.topRowsPushed).toEqual([]);
  // Lower as well: one row more off the top.
  frame.terminalResized(16, 4, true);
  expect(frame.topRowsPushed).toEqual(['one', 'two']);
  // Not shown (a program had the terminal): none.
  frame.terminalResized(16, 5, false);
  expect(frame.topRowsPushed).toEqual([]);
});

test('a line drawn across rows the command wrapped counts its rows as drawn, and is wrapped again as one', () => {
  const frame = new DrawnFrame();
  // A command's line wrapped over two rows 10 wide, drawn as one, then a short row and the run's,
  // filling a screen 5 high with the cursor's row.
  frame.wrote('0123456789abcdefg\nok\n⠋ make\n', 10, 5);
  frame.terminalResized(8, 5, true);
  // Narrower: the long line takes three rows, and went off the top whole (its rest scrolled
  // off after it), as drawn (10 columns a row).
  expect(frame.topRowsPushed).toEqual(['0123456789', 'abcdefg']);
  // Four rows as drawn (what the renderer erases); at 8 columns the long line takes three.
  expect(frame.takeResize(8)).toMatchObject({
    rowsDrawn: 4,
    rewrappedRows: 5,
    lineRows: [3, 1, 1],
  });
});

test.each([
  [6, 3],
  [9, 0],
  [3, 4],
])(
  "the transcript's text written last, its frame not drawn again yet, then narrower and lower: the frame of %i lines drawn at the new size goes right under the text (its last row then on row %i)",
  async (newFrameLines, endRow) => {
    // The renderer erased its frame and wrote the text above where it goes, and the terminal
    // changed its size before the frame came (a frame drawn as the terminal changes is held).
    const { terminal, write } = xtermOf(40, 12);
    const frame = new DrawnFrame();
    await write(Array.from({ length: 20 }, (_, index) => `before-${index}\n`).join(''));
    const oldFrame = frameWrite(
      Array.from({ length: 11 }, (_, index) => `row-${index}`),
      0,
    );
    frame.wrote(oldFrame, 40, 12);
    await write(oldFrame);
    const erase = `${'\x1b[2K\x1b[1A'.repeat(11)}\x1b[2K\x1b[G`;
    frame.wrote(erase, 40, 12);
    const text = wrapping(
      ['text-1', 'text-2', 'text-3', 'text-4'].map((line) => `${line}\n`).join(''),
    );
    frame.wrote(text, 40, 12, true);
    await write(erase + text);
    terminal.resize(30, 10);
    await write(frame.terminalResized(30, 10, true));
    // Where the terminal says its cursor is, before the frame is drawn at the new size.
    const cursorRow = terminal.buffer.active.cursorY + 1;
    const newFrame = frameWrite(
      Array.from({ length: newFrameLines }, (_, index) => `new-${index}`),
      0,
    );
    frame.wrote(newFrame, 30, 10);
    await write(newFrame);
    const atResize = frame.takeResize(30);
    if (!atResize) throw new Error('no frame at the resize');
    expect(atResize).toMatchObject({ rowsDrawn: 0, texts: [] });
    const end = transcriptEndRowAfterResize(atResize, cursorRow, 10);
    expect(end).toBe(endRow);
    const buffer = terminal.buffer.active;
    const rowText = (row: number) =>
      buffer.getLine(buffer.viewportY + row - 1)?.translateToString(true);
    if (end > 0) expect(rowText(end)).toBe('text-4');
    else expect(rowText(1)).not.toMatch(/^text-/);
    expect(rowText(end + 1)).toBe('new-0');
    terminal.dispose();
  },
);

test('made wider under a frame it wraps into fewer rows, the rest of the transcript line cut at the top is scrolled off before the renderer erases, and no longer counted on the screen', () => {
  const rows = 10;
  const frame = new DrawnFrame();
  // Transcript lines of 25 columns: two rows each at 20 columns.
  frame.wrote(
    wrapping(Array.from({ length: 6 }, (_, index) => `${String(index).repeat(25)}\n`).join('')),
    10,
    rows,
    true,
  );
  // A frame of three such lines: nine rows at 10 columns, six at 20.
  frame.wrote(frameWrite(['x'.repeat(25), 'y'.repeat(25), 'z'.repeat(25)], 0), 10, rows);
  // Three transcript rows above the frame at 20 columns: the last line's two, and the last row of
  // the one before, whose first row stays in the scrollback.
  expect(frame.terminalResized(20, rows, true)).toBe('\n');
  const atResize = frame.takeResize(20);
  expect(atResize?.transcriptRowsScrolledOff).toBe(1);
  if (atResize) expect(transcriptRowsAfterResize(rows, atResize)).toBe(2);
  // Made narrower, nothing of the transcript is scrolled for it.
  frame.wrote(frameWrite(['x'.repeat(25), 'y'.repeat(25), 'z'.repeat(25)], 3), 20, rows);
  frame.terminalResized(10, rows, true);
  expect(frame.takeResize(10)?.transcriptRowsScrolledOff).toBe(0);
});

/**
 * A command's screen of three lines its terminal wrapped (each drawn as one over two rows of 10
 * columns) and the run's row: seven rows at 10 columns, four at 20.
 */
const wrappedRunFrame = `${[
  ...['0123456789abcdefghij', 'klmnopqrstuvwxyz0123', '456789abcdefghijklmn'].map(
    (line) => `\x1b[?7h${line}\x1b[?7l`,
  ),
  '⠋ make',
].join('\n')}\n`;

/**
 * A frame that followed that frame, drawn again under a line of the transcript (erased, eight rows;
 * the line; the frame), at 10 columns on a screen `rows` high the transcript filled, the terminal
 * then asked where its cursor is.
 */
function frameDrawnAgainUnderLine(rows: number): DrawnFrame {
  const frame = new DrawnFrame();
  frame.wrote(wrapping('x\n'.repeat(rows)), 10, rows, true);
  frame.wrote(wrappedRunFrame, 10, rows);
  frame.wrote('\x1b[2K\x1b[1A'.repeat(7) + '\x1b[2K\x1b[G', 10, rows);
  frame.wrote(wrapping('line\n'), 10, rows, true);
  frame.wrote(wrappedRunFrame, 10, rows);
  frame.questionAsked();
  return frame;
}

test('a terminal that read the last frame after it got wider: the screen is erased from the top, and the transcript rows its erase took are counted off the scrollback', () => {
  const frame = frameDrawnAgainUnderLine(12);
  // Read at 20 columns, the erase went through three of the rows the terminal had pulled back out
  // of its scrollback, and the frame ended above the last row: the terminal says the tenth.
  const first = frame.terminalResized(20, 12, true, 10);
  expect(first.startsWith('\x1b[1;1H\x1b[2K')).toBe(true);
  expect(first.endsWith('\x1b[12;1H\x1b[2K\x1b[1;1H')).toBe(true);
  frame.wrote(wrappedRunFrame, 20, 12);
  // The seven rows pulled back and the line: all to be drawn again from the top.
  expect(frame.takeResize(20)?.transcriptRowsOffScrollback).toBe(8);
});

test('a terminal that read everything before it changed its width: nothing is erased, nothing counted anew', () => {
  const frame = new DrawnFrame();
  frame.wrote(wrapping('x\n'.repeat(12)), 10, 12, true);
  frame.wrote('header\nprompt$\n', 10, 12);
  frame.questionAsked();
  expect(frame.terminalResized(20, 12, true, 12)).toBe('');
  expect(frame.takeResize(20)?.transcriptRowsOffScrollback).toBeUndefined();
});

test('a terminal made lower or taller as well moves its rows itself: its answer is not taken for late writes', () => {
  // The frame of the test above, on a screen 14 high.
  const frame = frameDrawnAgainUnderLine(14);
  // Made 12 high and wider: the row tmux says is where it kept the cursor as it took rows off,
  // the one late writes would have left it on at that height too. Nothing is erased for it.
  expect(frame.terminalResized(20, 12, true, 10)).toBe('');
  expect(frame.takeResize(20)?.transcriptRowsOffScrollback).toBeUndefined();
});
