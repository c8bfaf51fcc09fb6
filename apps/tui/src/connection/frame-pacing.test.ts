import { describe, expect, it } from 'vitest';
import {
  FLOOD_CHARS_PER_FRAME,
  FLOOD_FRAME_INTERVAL_MS,
  FRAME_INTERVAL_MS,
  KEY_ECHO_CHARS,
  KEY_ECHO_WINDOW_MS,
  frameIntervalMs,
} from './frame-pacing.js';

describe('frameIntervalMs', () => {
  it('draws 30 frames a second while a program redraws a progress bar or a screen like top', () => {
    // A three-line progress display redrawn 30 times in a frame, and a 120×35 screen of top.
    expect(
      frameIntervalMs({ outputWaiting: 0, outputSinceFrame: 30 * 3 * 130, runEnded: false }),
    ).toBe(FRAME_INTERVAL_MS);
    expect(
      frameIntervalMs({ outputWaiting: 0, outputSinceFrame: 120 * 35 + 500, runEnded: false }),
    ).toBe(FRAME_INTERVAL_MS);
  });

  it('draws fewer frames while a program floods the screen', () => {
    expect(
      frameIntervalMs({
        outputWaiting: 0,
        outputSinceFrame: FLOOD_CHARS_PER_FRAME + 1,
        runEnded: false,
      }),
    ).toBe(FLOOD_FRAME_INTERVAL_MS);
    expect(FLOOD_FRAME_INTERVAL_MS).toBeGreaterThan(FRAME_INTERVAL_MS);
  });

  it('draws fewer frames while output waits to be applied', () => {
    expect(frameIntervalMs({ outputWaiting: 1, outputSinceFrame: 0, runEnded: false })).toBe(
      FLOOD_FRAME_INTERVAL_MS,
    );
  });

  it('draws the end of a run at once once its output is applied, even after a flood', () => {
    expect(
      frameIntervalMs({
        outputWaiting: 0,
        outputSinceFrame: FLOOD_CHARS_PER_FRAME * 10,
        runEnded: true,
      }),
    ).toBe(0);
    expect(frameIntervalMs({ outputWaiting: 0, outputSinceFrame: 10, runEnded: true })).toBe(0);
  });

  it('does not hurry the end of a run while its output still waits to be applied', () => {
    expect(frameIntervalMs({ outputWaiting: 1, outputSinceFrame: 0, runEnded: true })).toBe(
      FLOOD_FRAME_INTERVAL_MS,
    );
  });

  it('draws the echo of keys typed a moment ago at once, however soon after the last frame', () => {
    // The shell echoed the first of two keys sent in one write, drawn; then the second.
    expect(
      frameIntervalMs({ outputWaiting: 0, outputSinceFrame: 1, runEnded: false, sinceKeysMs: 16 }),
    ).toBe(0);
    // The line editor drawing the line again (a completion, a history search) is an answer too.
    expect(
      frameIntervalMs({
        outputWaiting: 0,
        outputSinceFrame: KEY_ECHO_CHARS,
        runEnded: false,
        sinceKeysMs: 1,
      }),
    ).toBe(0);
  });

  it('paces output as usual when it is more than an echo, waits, or comes long after the keys', () => {
    expect(
      frameIntervalMs({
        outputWaiting: 0,
        outputSinceFrame: KEY_ECHO_CHARS + 1,
        runEnded: false,
        sinceKeysMs: 1,
      }),
    ).toBe(FRAME_INTERVAL_MS);
    expect(
      frameIntervalMs({ outputWaiting: 1, outputSinceFrame: 1, runEnded: false, sinceKeysMs: 1 }),
    ).toBe(FLOOD_FRAME_INTERVAL_MS);
    expect(
      frameIntervalMs({
        outputWaiting: 0,
        outputSinceFrame: 1,
        runEnded: false,
        sinceKeysMs: KEY_ECHO_WINDOW_MS,
      }),
    ).toBe(FRAME_INTERVAL_MS);
    // A progress bar's step with no key typed.
    expect(frameIntervalMs({ outputWaiting: 0, outputSinceFrame: 1, runEnded: false })).toBe(
      FRAME_INTERVAL_MS,
    );
  });
});
