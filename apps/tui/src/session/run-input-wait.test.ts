import { expect, test } from 'vitest';
import { RunInputWait } from './run-input-wait.js';

test('a wait lasts while a line is typed and echoed, and ends with its Enter or with other output', () => {
  const wait = new RunInputWait();
  wait.typed('x');
  wait.printed('x');
  expect(wait.waits).toBe(false);
  wait.began();
  // Typed and echoed, in pieces of any size: still waiting for the rest of the line.
  wait.typed('ab');
  wait.printed('a');
  wait.typed('c');
  wait.printed('bc');
  expect(wait.waits).toBe(true);
  // Typed without an echo (`read -s`): still waiting.
  wait.typed('secret');
  expect(wait.waits).toBe(true);
  wait.typed('\r');
  expect(wait.waits).toBe(false);
  // The program printed something else: it runs.
  wait.began();
  wait.typed('a');
  wait.printed('a');
  wait.printed('hello\r\n');
  expect(wait.waits).toBe(false);
  // A control key (Backspace, an arrow, Ctrl+D) hands the program something: it runs.
  for (const key of ['\x7f', '\x1b[A', '\x04']) {
    wait.began();
    wait.typed(key);
    expect(wait.waits).toBe(false);
  }
  // Nothing printed is no output.
  wait.began();
  wait.printed('');
  expect(wait.waits).toBe(true);
});
