import { describe, expect, test } from 'vitest';
import {
  APPLY_BUDGET_MS,
  MAX_OUTPUT_WINDOW,
  MIN_OUTPUT_WINDOW,
  OutputWindowSizer,
} from './output-window-sizer.js';

/** Applies `chars` per millisecond for `ms` milliseconds, a millisecond at a time. */
function applyAt(sizer: OutputWindowSizer, charsPerMs: number, ms: number): void {
  for (let elapsed = 0; elapsed < ms; elapsed += 1) sizer.applied(charsPerMs, 1);
}

describe('OutputWindowSizer', () => {
  test('starts at the smallest window', () => {
    expect(new OutputWindowSizer().window).toBe(MIN_OUTPUT_WINDOW);
  });

  test('grows towards what is applied in the budget while output is applied fast', () => {
    const sizer = new OutputWindowSizer();
    const fast = 30_000;
    applyAt(sizer, fast, 20);
    const afterOne = sizer.window;
    expect(afterOne).toBeGreaterThan(MIN_OUTPUT_WINDOW);
    expect(afterOne).toBeLessThan(fast * APPLY_BUDGET_MS);
    applyAt(sizer, fast, 400);
    expect(sizer.window).toBeGreaterThan(0.95 * fast * APPLY_BUDGET_MS);
    expect(sizer.window).toBeLessThanOrEqual(fast * APPLY_BUDGET_MS);
  });

  test('shrinks at once when output gets slow to apply, never below the smallest window', () => {
    const sizer = new OutputWindowSizer();
    applyAt(sizer, 30_000, 400);
    applyAt(sizer, 8_000, 20);
    expect(sizer.window).toBe(8_000 * APPLY_BUDGET_MS);
    applyAt(sizer, 100, 20);
    expect(sizer.window).toBe(MIN_OUTPUT_WINDOW);
  });

  test('never asks for more than the largest window', () => {
    const sizer = new OutputWindowSizer();
    applyAt(sizer, 10_000_000, 400);
    expect(sizer.window).toBe(MAX_OUTPUT_WINDOW);
  });

  test('a measure takes in enough applying to mean something', () => {
    const sizer = new OutputWindowSizer();
    // One quick event after a quiet spell changes nothing.
    sizer.applied(60_000, 0.5);
    expect(sizer.window).toBe(MIN_OUTPUT_WINDOW);
  });
});
