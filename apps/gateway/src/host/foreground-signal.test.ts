import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { foregroundProcessGroup, planSignalDelivery } from './foreground-signal.js';

test('interrupt, quit and suspend are typed as their keys, like a person at the terminal', () => {
  expect(planSignalDelivery('SIGINT', 1)).toEqual({ kind: 'key', key: '\x03' });
  expect(planSignalDelivery('SIGQUIT', 1)).toEqual({ kind: 'key', key: '\x1c' });
  expect(planSignalDelivery('SIGTSTP', 1)).toEqual({ kind: 'key', key: '\x1a' });
});

test('other signals go to the foreground process group named in /proc', () => {
  const stat = '4242 (my (odd) cmd) S 1 4242 4242 34816 5151 4194560 0 0';
  expect(foregroundProcessGroup(4242, () => stat)).toBe(5151);
  expect(planSignalDelivery('SIGTERM', 4242, () => stat)).toEqual({ kind: 'kill', pid: -5151 });
});

test('without a terminal the signal goes to the shell itself', () => {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  try {
    const pid = child.pid ?? 0;
    expect(foregroundProcessGroup(pid)).toBeUndefined();
    expect(planSignalDelivery('SIGTERM', pid)).toEqual({ kind: 'kill', pid });
  } finally {
    child.kill('SIGKILL');
  }
});
