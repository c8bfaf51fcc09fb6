import xterm from '@xterm/headless';
import { describe, expect, test } from 'vitest';
import type { TranscriptBlock, TranscriptSnapshot } from '../session/transcript-fold.js';
import { screenRedraw } from './screen-redraw.js';
import { TranscriptPrinter } from './transcript-text.js';

/** A terminal that was 40 columns wide, holding `before` then the printed `lines` and a frame. */
async function terminalWith(before: string[], lines: string[], frame: string[]) {
  const terminal = new xterm.Terminal({
    cols: 40,
    rows: 8,
    scrollback: 100,
    allowProposedApi: true,
  });
  const write = (data: string) => new Promise<void>((resolve) => terminal.write(data, resolve));
  await write([...before, ...lines, ...frame].join('\r\n'));
  const everything = () => {
    const buffer = terminal.buffer.active;
    const rows: string[] = [];
    for (let row = 0; row < buffer.length; row += 1)
      rows.push(buffer.getLine(row)?.translateToString(true) ?? '');
    return rows;
  };
  return { terminal, write: (data: string) => write(data.replaceAll('\n', '\r\n')), everything };
}

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

describe('the transcript printer at a new width', () => {
  const run = (id: number, word: string): TranscriptBlock[] => [
    { id, kind: 'command', runId: word, command: `echo ${word}` },
    { id: id + 1, kind: 'output', runId: word, lines: [word], hidden: 0 },
  ];
  const snapshot = (blocks: TranscriptBlock[]): TranscriptSnapshot => ({
    version: 1,
    sid: 's_01m80d15c72eqxhs3a122mbhfd',
    lastSeq: 0,
    blocks,
    droppedBlocks: 0,
    live: undefined,
    hostLive: true,
    cwd: '/',
    history: [],
    shellEditsLines: undefined,
    prompt: undefined,
    diskFull: false,
  });
  const plain = (row: string) => row.replace(/\x1b\[[0-9;]*m/g, '');

  /** A terminal 40×8, the printer's text written into it with a one-row frame under it. */
  async function printed(blocks: TranscriptBlock[]) {
    const { terminal, write, everything } = await terminalWith([], [], []);
    const printer = new TranscriptPrinter();
    const frame = async () => write('frame\r');
    await write(printer.take(snapshot(blocks), Number.POSITIVE_INFINITY, false));
    await frame();
    return {
      terminal,
      rows: () => everything().map(plain),
      printMore: async (more: TranscriptBlock[], historyThroughSeq = -1) => {
        await write(`\x1b[2K${printer.take(snapshot(more), historyThroughSeq, false)}`);
        await frame();
      },
      resize: async (all: TranscriptBlock[], columns: number) => {
        terminal.resize(columns, 8);
        printer.redrawScreen(snapshot(all), { columns, rows: 8, frameRows: 1 });
        await write(`\x1b[2K${printer.take(undefined)}`);
        await frame();
      },
    };
  }

  test('a transcript that began at the top of an empty screen is drawn from there, once', async () => {
    const blocks = run(0, 'a1');
    const screen = await printed(blocks);
    await screen.resize(blocks, 20);
    expect(screen.rows().filter((row) => row !== '')).toEqual(['$ echo a1', 'a1', 'frame']);
    screen.terminal.dispose();
  });

  test('after a clear, only what came since is drawn again, from the top of the screen', async () => {
    const before = run(0, 'h1');
    const screen = await printed(before);
    const all: TranscriptBlock[] = [
      ...before,
      { id: 2, kind: 'clear', clear: 'screen', seq: 5 },
      ...run(3, 'h4'),
    ];
    await screen.printMore(all);
    await screen.resize(all, 20);
    const rows = screen.rows();
    // The terminal's clear kept nothing of `h1` on the screen; the redraw brings none of it back.
    expect(rows.filter((row) => row === 'h1')).toHaveLength(0);
    expect(rows.filter((row) => row !== '')).toEqual(['$ echo h4', 'h4', 'frame']);
    screen.terminal.dispose();
  });
});
