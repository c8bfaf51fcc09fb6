import xterm from '@xterm/headless';
import { expect, test } from 'vitest';
import { autowrapOff, autowrapOn } from '../terminal-sequences.js';
import { joinContinuedRows } from './continued-frame-rows.js';

const erase = '\x1b[2K\x1b[1A\x1b[2K\x1b[G';

test('a line that fills the row and goes on is drawn with the next as one wrapped line', () => {
  const frame = `${erase}0123456789\nabc\n${'x'.repeat(10)}\nend\n`;
  expect(joinContinuedRows(frame, new Set([0]), 10)).toBe(
    `${erase}${autowrapOn}0123456789abc${autowrapOff}\n${'x'.repeat(10)}\nend\n`,
  );
  // Rows across three: one line.
  expect(joinContinuedRows('0123456789\nabcdefghij\nk\n', new Set([0, 1]), 10)).toBe(
    `${autowrapOn}0123456789abcdefghijk${autowrapOff}\n`,
  );
  // A line that does not fill its row, or the frame's last line, is drawn as it was.
  expect(joinContinuedRows('01234\nabc\n', new Set([0]), 10)).toBe('01234\nabc\n');
  expect(joinContinuedRows('0123456789\n', new Set([0]), 10)).toBe('0123456789\n');
  // A wide character that did not fit in the last column starts the next row.
  expect(joinContinuedRows('012345678\n中文\n', new Set([0]), 10)).toBe(
    `${autowrapOn}012345678中文${autowrapOff}\n`,
  );
});

test('drawn so, the terminal shows the same rows, and holds them as one line that a narrower width wraps again', async () => {
  const terminal = new xterm.Terminal({ cols: 10, rows: 6, allowProposedApi: true });
  const write = (data: string) =>
    new Promise<void>((resolve) => terminal.write(data.replaceAll('\n', '\r\n'), resolve));
  await write(autowrapOff);
  await write(joinContinuedRows('0123456789\nabc\nnext\n', new Set([0]), 10));
  const row = (index: number) =>
    terminal.buffer.active.getLine(index)?.translateToString(true) ?? '';
  expect([row(0), row(1), row(2)]).toEqual(['0123456789', 'abc', 'next']);
  expect(terminal.buffer.active.getLine(1)?.isWrapped).toBe(true);
  expect(terminal.buffer.active.getLine(2)?.isWrapped).toBe(false);
  terminal.resize(7, 6);
  expect([row(0), row(1), row(2)]).toEqual(['0123456', '789abc', 'next']);
  terminal.dispose();
});
