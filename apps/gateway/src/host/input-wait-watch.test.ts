import { describe, expect, test } from 'vitest';
import { InputWaitWatch } from './input-wait-watch.js';

/** A watch over a fake clock and a program whose waiting the test sets. */
function watched() {
  const state = { now: 1000, waiting: false, recorded: 0 };
  const watch = new InputWaitWatch({
    now: () => state.now,
    quietMs: 1000,
    waits: () => state.waiting,
    record: () => {
      state.recorded += 1;
    },
  });
  /** Looks every 250 ms for `ms`. */
  const looks = (ms: number, paused = false) => {
    for (let elapsed = 0; elapsed < ms; elapsed += 250) {
      state.now += 250;
      watch.look(paused);
    }
  };
  return { state, watch, looks };
}

describe('InputWaitWatch', () => {
  test('a wait is recorded once the run has been quiet long enough and two looks in a row found it waiting', () => {
    const { state, looks } = watched();
    state.waiting = true;
    looks(750);
    expect(state.recorded).toBe(0);
    looks(250); // quiet for 1000 ms: the first look that counts
    expect(state.recorded).toBe(0);
    looks(250); // the second
    expect(state.recorded).toBe(1);
    looks(5000);
    expect(state.recorded).toBe(1);
  });

  test('a look that finds it not waiting starts the count again', () => {
    const { state, looks } = watched();
    looks(1000);
    state.waiting = true;
    looks(250);
    state.waiting = false;
    looks(250);
    state.waiting = true;
    looks(250);
    expect(state.recorded).toBe(0);
    looks(250);
    expect(state.recorded).toBe(1);
  });

  test('typing a line makes the next wait a new one, after a new quiet spell', () => {
    const { state, watch, looks } = watched();
    state.waiting = true;
    looks(1500);
    expect(state.recorded).toBe(1);
    watch.typed('yes\r');
    looks(750);
    expect(state.recorded).toBe(1);
    looks(500);
    expect(state.recorded).toBe(2);
    // Typing between the two looks: the first one no longer counts.
    watch.typed('\r');
    looks(1000);
    watch.typed('\r');
    looks(1000);
    expect(state.recorded).toBe(2);
  });

  test('a program that waited, printed or was handed keys but no line, and waits again is found waiting at the next two looks', () => {
    const { state, watch, looks } = watched();
    state.waiting = true;
    looks(1500);
    expect(state.recorded).toBe(1);
    // It draws its screen again (as top does every few seconds) and goes back to waiting.
    watch.printed();
    looks(250);
    expect(state.recorded).toBe(1);
    looks(250);
    expect(state.recorded).toBe(2);
    // A key but no line (a pager's Space): it redraws and waits again, found at the next two looks.
    watch.typed(' ');
    looks(500);
    expect(state.recorded).toBe(3);
    // Printing and busy after it: no wait recorded while the looks find it busy.
    watch.printed();
    state.waiting = false;
    looks(3000);
    expect(state.recorded).toBe(3);
  });

  test('printing before any wait asks for a quiet spell', () => {
    const { state, watch, looks } = watched();
    state.waiting = true;
    looks(500);
    watch.printed();
    looks(750);
    expect(state.recorded).toBe(0);
    looks(500);
    expect(state.recorded).toBe(1);
  });

  test('looks while the PTY is paused do not count', () => {
    const { state, looks } = watched();
    state.waiting = true;
    looks(3000, true);
    expect(state.recorded).toBe(0);
    looks(250);
    expect(state.recorded).toBe(0);
    looks(250);
    expect(state.recorded).toBe(1);
  });
});
