// A deterministic clock and timer queue for supervisor tests: time only moves when `advance` is
// called, and due timers fire in order of due time, then of scheduling.

interface FakeTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

export interface FakeClock {
  now: () => number;
  setTimer: (callback: () => void, ms: number) => number;
  clearTimer: (handle: unknown) => void;
  /** Moves time forward by `ms`, firing every timer that falls due on the way, at its due time. */
  advance: (ms: number) => void;
  /** Due times of the timers still scheduled. */
  pending: () => number[];
}

export function createFakeClock(start = 1_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  let timers: FakeTimer[] = [];
  return {
    now: () => now,
    setTimer(callback, ms) {
      const timer = { id: nextId++, dueAt: now + Math.max(0, ms), callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimer(handle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers
          .filter((timer) => timer.dueAt <= until)
          .sort((left, right) => left.dueAt - right.dueAt || left.id - right.id)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        now = due.dueAt;
        due.callback();
      }
      now = until;
    },
    pending: () => timers.map((timer) => timer.dueAt).sort((left, right) => left - right),
  };
}
