import type { SessionEvent } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { OutputWindow } from './output-window.js';

const output = (seq: number, length: number): SessionEvent => ({
  seq,
  time: 0,
  type: 'output',
  data: 'x'.repeat(length),
});

test('the window fills with output sent and empties as far as the client reports', () => {
  const window = new OutputWindow(140);
  window.sent(output(0, 40));
  window.sent({ seq: 1, time: 0, type: 'run_start', runId: 'r1', command: 'ls' });
  expect(window.isFull).toBe(false);
  window.sent(output(2, 40));
  expect(window.inFlight).toBe(40 + 64 + 40);
  expect(window.isFull).toBe(true);
  window.consumed(0);
  expect(window.inFlight).toBe(64 + 40);
  window.consumed(0);
  expect(window.inFlight).toBe(64 + 40);
  window.consumed(2);
  expect(window.inFlight).toBe(0);
  expect(window.isFull).toBe(false);
});

test('a report past everything sent empties it; many events keep it exact', () => {
  const window = new OutputWindow(10);
  for (let seq = 0; seq < 5000; seq += 1) window.sent(output(seq, 3));
  window.consumed(2999);
  expect(window.inFlight).toBe(2000 * 3);
  window.consumed(10_000);
  expect(window.inFlight).toBe(0);
});
