import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { CursorRowProbe } from './cursor-row-probe.js';
import { FrameHold } from './frame-hold.js';
import { sizeConfirmedByProbe } from './size-confirmed-by-probe.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A terminal 90 columns wide that has answered a question before (so it is waited for as long as
 * the probe waits), its frames held as the TUI holds them; `held` says, each time the size counts,
 * whether frames were still held then.
 */
function terminal() {
  const stream = Object.assign(new EventEmitter(), { columns: 90, rows: 30 });
  const written: string[] = [];
  const probe = new CursorRowProbe({ write: (text) => written.push(text) });
  const hold = new FrameHold();
  const size = sizeConfirmedByProbe(
    stream as unknown as NodeJS.WriteStream,
    probe,
    hold,
    () => true,
  );
  const held: boolean[] = [];
  size.on(() => held.push(hold.holding));
  probe.ask();
  probe.heard('\x1b[30;90R');
  const tell = (columns: number, rows = 30) => {
    stream.columns = columns;
    stream.rows = rows;
    stream.emit('resize');
  };
  return { size, probe, hold, held, tell, written };
}

test('frames wait as long as a new width does: a terminal that answers late, or says it has another width, keeps them waiting until the width counts', () => {
  const late = terminal();
  late.tell(200);
  vi.advanceTimersByTime(late.probe.longestWaitMs - 100);
  // A busy machine: the answer comes just before it is given up on.
  expect(late.hold.holding).toBe(true);
  late.probe.heard('\x1b[30;200R');
  expect(late.size.columns).toBe(200);
  expect(late.held).toEqual([true]);

  const other = terminal();
  other.tell(200);
  vi.advanceTimersByTime(other.probe.longestWaitMs - 100);
  other.probe.heard('\x1b[30;180R');
  // Told of 200, it has 180 already, and says so: 180 is waited for, 200 counts if it is not told of.
  vi.advanceTimersByTime(400);
  expect(other.hold.holding).toBe(true);
  expect(other.size.columns).toBe(90);
  vi.advanceTimersByTime(200);
  expect(other.size.columns).toBe(200);
  expect(other.held).toEqual([true]);
});

test('a terminal that no longer answers: the new width counts when the answer is given up on, frames held until then', () => {
  const { size, held, tell } = terminal();
  tell(200);
  vi.advanceTimersByTime(10_000);
  expect(size.columns).toBe(200);
  expect(held).toEqual([true]);
});

test('a new height alone asks the terminal for its height (the cursor at the last row and column): the row it answers is the height', () => {
  const { size, probe, held, tell, written } = terminal();
  tell(90, 21);
  expect(written.at(-1)).toBe('\x1b7\x1b[999B\x1b[999C\x1b[6n\x1b8');
  // Back at 30 rows already (tmux tells of the first of two changes): 21 does not count.
  probe.heard('\x1b[30;90R');
  expect(size.rows).toBe(30);
  tell(90, 24);
  probe.heard('\x1b[24;90R');
  expect(size.rows).toBe(24);
  expect(held).toEqual([true]);
});
