import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { settleWhileRunning } from './output-settling.js';
import { RunOutput } from './run-output.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a line followed by a wait is handed out within two intervals, and nothing is looked at once the run is quiet', () => {
  const output = new RunOutput({ runId: 'r', startSeq: 0, command: 'serve', format: 'plain' });
  const written: string[] = [];
  const settle = vi.spyOn(output, 'settle');
  const settling = settleWhileRunning(output, (text) => written.push(text), 500);
  output.apply({ type: 'output', data: 'serve\r\nlistening on 8080\r\n', seq: 1, time: 0 });
  settling.printed();
  vi.advanceTimersByTime(500);
  // Drawn on since the last look: held for one more interval.
  expect(written).toEqual([]);
  vi.advanceTimersByTime(500);
  expect(written).toEqual(['listening on 8080\n']);
  const looks = settle.mock.calls.length;
  vi.advanceTimersByTime(5000);
  expect(settle.mock.calls.length).toBe(looks);
  expect(vi.getTimerCount()).toBe(0);
});

test('while the run keeps printing below them, the lines above are handed out every interval; stop ends it', () => {
  const output = new RunOutput({ runId: 'r', startSeq: 0, command: 'spin', format: 'plain' });
  const written: string[] = [];
  const settling = settleWhileRunning(output, (text) => written.push(text), 500);
  let seq = 1;
  const print = (data: string) => {
    output.apply({ type: 'output', data, seq: seq++, time: 0 });
    settling.printed();
  };
  print('spin\r\nlog 1\r\n|');
  for (let tick = 0; tick < 10; tick += 1) {
    vi.advanceTimersByTime(100);
    print(tick % 2 === 0 ? '\r/' : '\r|');
  }
  expect(written).toEqual(['log 1\n']);
  settling.stop();
  expect(vi.getTimerCount()).toBe(0);
});
