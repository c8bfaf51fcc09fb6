import { describe, expect, test } from 'vitest';
import {
  APPLY_BUDGET_MS,
  MAX_OUTPUT_WINDOW,
  MEASURED_EVENT_CHARS,
  MIN_OUTPUT_WINDOW,
  OutputWindowSizer,
} from './output-window-sizer.js';

/** Applies `chars` per millisecond for `ms` milliseconds (a multiple of 10), in events of 10 ms. */
function applyAt(sizer: OutputWindowSizer, charsPerMs: number, ms: number): void {
  for (let elapsed = 0; elapsed < ms; elapsed += 10) sizer.applied(10 * charsPerMs, 10);
}

describe('OutputWindowSizer', () => {
  test('starts at the smallest window', () => {
    expect(new OutputWindowSizer().window).toBe(MIN_OUTPUT_WINDOW);
  });

  test('is what is applied in the budget once output has been applied fast for a while', () => {
    const sizer = new OutputWindowSizer();
    const fast = 30_000;
    applyAt(sizer, fast, 10);
    expect(sizer.window).toBe(MIN_OUTPUT_WINDOW);
    applyAt(sizer, fast, 10);
    expect(sizer.window).toBe(fast * APPLY_BUDGET_MS);
  });

  test('shrinks as soon as output gets slow to apply, never below the smallest window', () => {
    const sizer = new OutputWindowSizer();
    applyAt(sizer, 30_000, 400);
    applyAt(sizer, 8_000, 20);
    expect(sizer.window).toBe(8_000 * APPLY_BUDGET_MS);
    applyAt(sizer, 1_000, 20);
    expect(sizer.window).toBe(MIN_OUTPUT_WINDOW);
  });

  test('never asks for more than the largest window', () => {
    const sizer = new OutputWindowSizer();
    applyAt(sizer, 10_000_000, 400);
    expect(sizer.window).toBeLessThanOrEqual(MAX_OUTPUT_WINDOW);
    expect(sizer.window).toBeGreaterThan(0.99 * MAX_OUTPUT_WINDOW);
  });

  test('small events, typed or redrawn at a prompt, leave the window a flood measured', () => {
    const sizer = new OutputWindowSizer();
    applyAt(sizer, 30_000, 400);
    const flood = sizer.window;
    for (let event = 0; event < 1000; event += 1) sizer.applied(MEASURED_EVENT_CHARS - 1, 0.3);
    expect(sizer.window).toBe(flood);
  });

  test('a measure takes in enough applying to mean something', () => {
    const sizer = new OutputWindowSizer();
    // One quick event after a quiet spell changes nothing.
    sizer.applied(60_000, 0.5);
    expect(sizer.window).toBe(MIN_OUTPUT_WINDOW);
  });
});
