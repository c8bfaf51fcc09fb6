import { expect, test } from 'vitest';
import {
  PAUSE_ABOVE_BYTES,
  RESUME_BELOW_BYTES,
  shouldPause,
  TYPING_PAUSE_ABOVE_BYTES,
} from './flow-control.js';

test('pauses when one consumer is more than 1 MiB behind, and only resumes below 256 KiB', () => {
  expect(shouldPause({ backlogs: [0, PAUSE_ABOVE_BYTES], pauseRequests: 0, paused: false })).toBe(
    false,
  );
  expect(
    shouldPause({ backlogs: [0, PAUSE_ABOVE_BYTES + 1], pauseRequests: 0, paused: false }),
  ).toBe(true);
  expect(shouldPause({ backlogs: [RESUME_BELOW_BYTES], pauseRequests: 0, paused: true })).toBe(
    true,
  );
  expect(shouldPause({ backlogs: [RESUME_BELOW_BYTES - 1], pauseRequests: 0, paused: true })).toBe(
    false,
  );
});

test('a gateway asking for a pause keeps the PTY paused whatever the backlogs', () => {
  expect(shouldPause({ backlogs: [], pauseRequests: 1, paused: false })).toBe(true);
  expect(shouldPause({ backlogs: [0], pauseRequests: 1, paused: true })).toBe(true);
});

test('while keys are being typed, only a consumer more than 16 MiB behind pauses the PTY, a gateway asking or not', () => {
  const typing = { pauseRequests: 1, paused: false, typing: true };
  expect(shouldPause({ ...typing, backlogs: [PAUSE_ABOVE_BYTES * 4] })).toBe(false);
  expect(shouldPause({ ...typing, backlogs: [TYPING_PAUSE_ABOVE_BYTES] })).toBe(false);
  expect(shouldPause({ ...typing, backlogs: [TYPING_PAUSE_ABOVE_BYTES + 1] })).toBe(true);
  // Paused, typing resumes it: the keys wait for it (see PtyInput).
  expect(shouldPause({ ...typing, paused: true, backlogs: [PAUSE_ABOVE_BYTES] })).toBe(false);
});
