import { describe, expect, test } from 'vitest';
import { hostileEscapes } from './__fixtures__/hostile-escapes.js';
import { escapeSequences, firstForbiddenToken } from './__fixtures__/terminal-output.js';
import { createOutputSanitizer } from './output-sanitizer.js';

const before = '\x1b[32mbefore\x1b[0m ';
// Starts with ESC, which ends an unterminated control string, as on a terminal.
const after = '\x1b[1;38;5;196mafter\x1b[0m';

function sanitize(chunks: readonly string[], options = {}): string {
  const sanitizer = createOutputSanitizer(options);
  return chunks.map((chunk) => sanitizer.write(chunk).text).join('') + sanitizer.flush().text;
}

test('the corpus holds at least 15 payloads, each described', () => {
  expect(hostileEscapes.length).toBeGreaterThanOrEqual(15);
  for (const escape of hostileEscapes) expect(escape.description.length).toBeGreaterThan(10);
});

describe.each(hostileEscapes)('$name', ({ chunks, secrets, visible, hyperlink }) => {
  test('none of it survives, while the colours around it do', () => {
    const output = sanitize([before, ...chunks, after]);
    expect(firstForbiddenToken(output)).toBeUndefined();
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output.startsWith(before)).toBe(true);
    expect(escapeSequences(output)).toEqual(['\x1b[32m', '\x1b[0m', '\x1b[1;38;5;196m', '\x1b[0m']);
  });

  test('the text a user should see is all that is left of it', () => {
    expect(sanitize([before, ...chunks, after])).toBe(before + visible + after);
  });

  test('it is removed whatever chunk boundaries cut it', () => {
    const payload = chunks.join('');
    const whole = sanitize([before, payload, after]);
    for (let cut = 0; cut <= payload.length; cut++) {
      expect(sanitize([before, payload.slice(0, cut), payload.slice(cut), after])).toBe(whole);
    }
  });

  test('with hyperlinks and line editing allowed, still nothing but what those allow', () => {
    const output = sanitize([before, ...chunks, after], {
      allowHyperlinks: true,
      allowLineEditing: true,
    });
    expect(firstForbiddenToken(output, { hyperlinks: true, lineEditing: true })).toBeUndefined();
    expect(output).toBe(before + (hyperlink ?? visible) + after);
  });
});
