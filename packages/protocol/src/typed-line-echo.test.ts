import { expect, test } from 'vitest';
import { TypedLineEcho } from './typed-line-echo.js';

test('plain text typed is expected back as its echo, in pieces of any size; anything else ends the expectation', () => {
  const echo = new TypedLineEcho();
  expect(echo.typed('ab')).toBe(true);
  expect(echo.echoed('a')).toBe(true);
  expect(echo.typed('c')).toBe(true);
  expect(echo.echoed('bc')).toBe(true);
  // Nothing is left to be echoed: the next output is the program's own.
  expect(echo.echoed('c')).toBe(false);
  // Output other than the echo: nothing typed before it is expected any more.
  echo.typed('xy');
  expect(echo.echoed('hello')).toBe(false);
  expect(echo.echoed('xy')).toBe(false);
  // A line end, a control key, an escape sequence hand the program something.
  for (const key of ['\r', 'yes\r', '\x7f', '\x1b[A', '\x04']) {
    echo.typed('ab');
    expect(echo.typed(key)).toBe(false);
    expect(echo.echoed('ab')).toBe(false);
  }
  // Typed without an echo (`read -s`), then reset: nothing expected.
  echo.typed('secret');
  echo.reset();
  expect(echo.echoed('secret')).toBe(false);
  // Nothing printed is no output, and no echo either.
  echo.typed('a');
  expect(echo.echoed('')).toBe(false);
});
