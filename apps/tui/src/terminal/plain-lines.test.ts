import { describe, expect, test } from 'vitest';
import { leadingPlainLines, plainLinesStart, plainLineTexts } from './plain-lines.js';

/** The text of every line `leadingPlainLines` found, and where they end. */
function plainText(data: string, start: number, cols: number, maxLines?: number) {
  const plain = leadingPlainLines(data, start, cols, maxLines);
  const lines = plainLineTexts(data, start, plain.end);
  expect(lines).toHaveLength(plain.count);
  return { lines, end: plain.end };
}

describe('leadingPlainLines', () => {
  test('takes the printable lines ended by CR LF, as rows show them: without spaces at the end', () => {
    const data = '1\r\n2  \r\n\r\n  last\r\n';
    expect(plainText(data, 0, 80)).toEqual({ lines: ['1', '2', '', '  last'], end: data.length });
  });

  test('stops before a line that is not complete, or not ended by CR LF', () => {
    expect(plainText('a\r\nb\r\npartial', 0, 80)).toEqual({ lines: ['a', 'b'], end: 6 });
    expect(plainText('a\r\nb\nc\r\n', 0, 80)).toEqual({ lines: ['a'], end: 3 });
    expect(plainText('a\r\nb\r', 0, 80)).toEqual({ lines: ['a'], end: 3 });
  });

  test('stops before a line with an escape, a control character or anything but ASCII', () => {
    for (const line of ['\x1b[31mred', 'tab\there', 'caf\u00e9', '中文', 'bell\x07', 'back\r']) {
      const data = `plain\r\n${line}\r\nplain\r\n`;
      expect(plainText(data, 0, 80), JSON.stringify(line)).toEqual({ lines: ['plain'], end: 7 });
    }
  });

  test('stops before a line as wide as the screen: it would leave the cursor at the edge', () => {
    expect(plainText('1234\r\n12345\r\n', 0, 5)).toEqual({ lines: ['1234'], end: 6 });
  });

  test('takes as many as it is told at most', () => {
    expect(plainText('a\r\nb\r\nc\r\n', 0, 80, 2)).toEqual({ lines: ['a', 'b'], end: 6 });
  });

  test('counts any number of lines, and finds the one that stops them far down', () => {
    const lines = Array.from({ length: 200 }, (_, index) => `${index}\r\n`).join('');
    const data = `${lines}${'x'.repeat(80)}\r\nafter\r\n`;
    expect(leadingPlainLines(data, 0, 80)).toEqual({ count: 200, end: lines.length });
    expect(leadingPlainLines(data, 0, 80, 130)).toEqual({
      count: 130,
      end: lines.indexOf('130\r\n'),
    });
    // A flood of millions of lines at once.
    const flood = 'y\r\n'.repeat(3_000_000);
    expect(leadingPlainLines(`${flood}\x1b[m`, 0, 80)).toEqual({
      count: 3_000_000,
      end: flood.length,
    });
  });

  test('starts where it is told', () => {
    expect(plainText('\x1b[Hx\r\ny\r\n', 3, 80)).toEqual({ lines: ['x', 'y'], end: 9 });
  });
});

describe('plainLinesStart', () => {
  const data = '\x1b[Hone\r\n\r\nthree\r\n';
  test('finds where the last lines start, an empty one among them', () => {
    expect(data.slice(plainLinesStart(data, 3, data.length, 1))).toBe('three\r\n');
    expect(data.slice(plainLinesStart(data, 3, data.length, 2))).toBe('\r\nthree\r\n');
  });

  test('never starts before the first line, even when asked for more lines than there are', () => {
    expect(plainLinesStart(data, 3, data.length, 3)).toBe(3);
    expect(plainLinesStart(data, 3, data.length, 10)).toBe(3);
  });
});
