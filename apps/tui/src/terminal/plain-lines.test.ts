import { describe, expect, test } from 'vitest';
import { leadingPlainLines } from './plain-lines.js';

describe('leadingPlainLines', () => {
  test('takes the printable lines ended by CR LF', () => {
    const data = '1\r\n2  \r\n\r\nlast\r\n';
    expect(leadingPlainLines(data, 0, 80)).toEqual({
      lines: ['1', '2  ', '', 'last'],
      end: data.length,
    });
  });

  test('stops before a line that is not complete, or not ended by CR LF', () => {
    expect(leadingPlainLines('a\r\nb\r\npartial', 0, 80)).toEqual({ lines: ['a', 'b'], end: 6 });
    expect(leadingPlainLines('a\r\nb\nc\r\n', 0, 80)).toEqual({ lines: ['a'], end: 3 });
    expect(leadingPlainLines('a\r\nb\r', 0, 80)).toEqual({ lines: ['a'], end: 3 });
  });

  test('stops before a line with an escape, a control character or anything but ASCII', () => {
    for (const line of ['\x1b[31mred', 'tab\there', 'caf\u00e9', '中文', 'bell\x07', 'back\r']) {
      const data = `plain\r\n${line}\r\nplain\r\n`;
      expect(leadingPlainLines(data, 0, 80), JSON.stringify(line)).toEqual({
        lines: ['plain'],
        end: 7,
      });
    }
  });

  test('stops before a line as wide as the screen: it would leave the cursor at the edge', () => {
    expect(leadingPlainLines('1234\r\n12345\r\n', 0, 5)).toEqual({ lines: ['1234'], end: 6 });
  });

  test('takes as many as it is told at most', () => {
    expect(leadingPlainLines('a\r\nb\r\nc\r\n', 0, 80, 2)).toEqual({ lines: ['a', 'b'], end: 6 });
  });

  test('starts where it is told', () => {
    expect(leadingPlainLines('\x1b[Hx\r\ny\r\n', 3, 80)).toEqual({ lines: ['x', 'y'], end: 9 });
  });
});
