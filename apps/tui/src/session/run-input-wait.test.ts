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

test('a wait ended without a line typed (the program printing, a key but no Enter) is told apart from one ended by a line', () => {
  const wait = new RunInputWait();
  expect(wait.endedWithoutLine).toBeUndefined();
  wait.began();
  expect(wait.endedWithoutLine).toBeUndefined();
  // top draws its screen again while it waits for keys.
  wait.printed('\x1b[H top - 10:00:03');
  const first = wait.endedWithoutLine;
  expect(first).toBeDefined();
  // More of the same redraw: the same end.
  wait.printed('Tasks: 90 total');
  expect(wait.endedWithoutLine).toBe(first);
  // Waiting again, then another redraw: another end.
  wait.began();
  expect(wait.endedWithoutLine).toBeUndefined();
  wait.printed('\x1b[H top - 10:00:06');
  expect(wait.endedWithoutLine).toBeDefined();
  expect(wait.endedWithoutLine).not.toBe(first);
  // A pager's Space (typed, not echoed, the page drawn) and an arrow: ended without a line too.
  wait.began();
  wait.typed(' ');
  wait.printed('\x1b[Hnext page');
  expect(wait.waits).toBe(false);
  expect(wait.endedWithoutLine).toBeDefined();
  wait.began();
  wait.typed('\x1b[B');
  expect(wait.waits).toBe(false);
  expect(wait.endedWithoutLine).toBeDefined();
  // A line ends it: what the program does next is the line's doing.
  wait.began();
  wait.typed('ada\r');
  expect(wait.endedWithoutLine).toBeUndefined();
  // A line typed after such an end ends that too.
  wait.began();
  wait.printed('redraw');
  wait.typed('\r');
  expect(wait.endedWithoutLine).toBeUndefined();
});
