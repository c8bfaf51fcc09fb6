import { describe, expect, test } from 'vitest';
import { hasVisibleText } from './visible-text.js';

describe('hasVisibleText', () => {
  test('a prompt shows something; mode switches, colours, titles and blanks alone do not', () => {
    expect(hasVisibleText('\x1b[?2004hada@box:~$ ')).toBe(true);
    expect(hasVisibleText('\x1b[1m\x1b[7m%\x1b[27m\x1b[1m\x1b[0m')).toBe(true);
    expect(hasVisibleText('\x1b[?2004h\x1b[0m \r\n')).toBe(false);
    expect(hasVisibleText('\x1b]0;title\x07\x1b]7;file://box/home\x1b\\')).toBe(false);
    expect(hasVisibleText('\x1bP+q544e\x1b\\\x1b=\x1b(B\t')).toBe(false);
  });

  test('output as bytes, as a host that ingests bytes has it, reads as the same text', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(hasVisibleText(bytes('\x1b[?2004hada@box:~$ '))).toBe(true);
    expect(hasVisibleText(bytes('\x1b[?2004h\x1b[0m \r\n'))).toBe(false);
    expect(hasVisibleText(bytes('日本'))).toBe(true);
  });
});
