import { describe, expect, test } from 'vitest';
import { IdleCollection, type IdleCollectionClock } from './idle-collection.js';

/** A clock the test moves by hand, with the timers due by then run in order. */
function fakeClock(): IdleCollectionClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((timer) => timer !== handle);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        now = due.at;
        due.callback();
      }
      now = until;
    },
    pending: () => timers.length,
  };
}

/** A collection after 2 s idle and every 10 s busy, on a fake clock, counting its collections. */
function collectingEvery2sIdle10sBusy() {
  const clock = fakeClock();
  let count = 0;
  const idle = new IdleCollection({ idleMs: 2000, busyMs: 10_000 }, () => (count += 1), clock);
  /** Something happens every 500 ms, `times` times. */
  const busy = (times: number) => {
    for (let step = 0; step < times; step += 1) {
      idle.activity();
      clock.advance(500);
    }
  };
  return { clock, idle, busy, collections: () => count };
}

describe('IdleCollection', () => {
  test('collects once a session has been idle for the delay after activity, once per idle spell', () => {
    const { clock, idle, busy, collections } = collectingEvery2sIdle10sBusy();
    clock.advance(10_000);
    expect(collections()).toBe(0);
    // A burst of events, each less than the delay after the one before: no collection meanwhile.
    busy(10);
    expect(collections()).toBe(0);
    clock.advance(1499);
    expect(collections()).toBe(0);
    clock.advance(1);
    expect(collections()).toBe(1);
    // Idle on: nothing more, and no timer left running.
    clock.advance(60_000);
    expect(collections()).toBe(1);
    expect(clock.pending()).toBe(0);
    idle.activity();
    clock.advance(2000);
    expect(collections()).toBe(2);
  });

  test('while things keep happening, it collects every busy interval', () => {
    const { clock, busy, collections } = collectingEvery2sIdle10sBusy();
    busy(60);
    // 30 s of activity, looked at each time it might have gone idle: a collection once 10 s have
    // passed since the spell began (at 11 s) and since the last one (at 21.5 s); then one more once
    // it is idle.
    expect(collections()).toBe(2);
    clock.advance(2000);
    expect(collections()).toBe(3);
  });

  test('closed, it collects no more', () => {
    const { clock, idle, collections } = collectingEvery2sIdle10sBusy();
    idle.activity();
    idle.close();
    clock.advance(5000);
    idle.activity();
    clock.advance(5000);
    expect(collections()).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
