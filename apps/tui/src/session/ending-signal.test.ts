import { constants } from 'node:os';
import { expect, test } from 'vitest';
import { endingSignalOf } from './ending-signal.js';

test('statuses 129 to 159 name signals 1 to 31 as Linux numbers them', () => {
  expect(endingSignalOf(130)).toBe('SIGINT');
  expect(endingSignalOf(137)).toBe('SIGKILL');
  expect(endingSignalOf(141)).toBe('SIGPIPE');
  for (const status of [0, 1, 2, 126, 127, 128, 160, 255, -1, 130.5]) {
    expect(endingSignalOf(status)).toBeNull();
  }
});

test.runIf(process.platform === 'linux')('the names are the ones Node gives on Linux', () => {
  for (let signal = 1; signal <= 31; signal += 1) {
    const name = endingSignalOf(128 + signal);
    expect(name).not.toBeNull();
    expect(constants.signals[name as NodeJS.Signals]).toBe(signal);
  }
});
