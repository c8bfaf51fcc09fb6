import { expect, test } from 'vitest';
import { shellExitStatus } from './shell-exit-status.js';

test("a run that ended with its shell reports the shell's code, else its signal's, else 1", () => {
  expect(shellExitStatus(5, null)).toBe(5);
  expect(shellExitStatus(null, 'SIGKILL')).toBe(137);
  expect(shellExitStatus(null, 'SIGHUP')).toBe(129);
  expect(shellExitStatus(null, null)).toBe(1);
});
