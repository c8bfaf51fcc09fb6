import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { wrapping } from '../terminal-sequences.js';
import { FrameHold, settleMs } from './frame-hold.js';

/** How the renderer erases `count` rows, bottom up, before it draws its next frame. */
const erased = (count: number) => `${'\x1b[2K\x1b[1A'.repeat(count - 1)}\x1b[2K\x1b[G`;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A hold whose frames drawn at its end are collected. */
function hold() {
  const frames = new FrameHold();
  const drawn: string[] = [];
  frames.writesTo((text) => drawn.push(text));
  return { frames, drawn };
}

test('frames drawn while holding wait; the last is drawn once the hold ends, over the frame on the screen', () => {
  const { frames, drawn } = hold();
  expect(frames.take('a\nb\n')).toBe('a\nb\n');
  frames.start();
  expect(frames.holding).toBe(true);
  expect(frames.take(`${erased(3)}c\nd\n`)).toBeUndefined();
  expect(frames.take(`${erased(3)}e\nf\ng\n`)).toBeUndefined();
  // Not a frame: the cursor shown or hidden, a synchronized update begun.
  expect(frames.take('\x1b[?2026h')).toBe('\x1b[?2026h');
  const released = vi.fn();
  frames.onRelease(released);
  vi.advanceTimersByTime(settleMs);
  expect(frames.holding).toBe(false);
  // The frame on the screen took three rows (its two lines and the cursor's).
  expect(drawn).toEqual([`${erased(3)}e\nf\ng\n`]);
  expect(released).toHaveBeenCalledOnce();
  // The renderer counts the frame it drew last, which is now the one on the screen.
  expect(frames.take(`${erased(4)}h\n`)).toBe(`${erased(4)}h\n`);
});

test('a new size stops the hold: the frame held is never drawn, and the next erase takes off the one on the screen', () => {
  const { frames, drawn } = hold();
  frames.take('a\nb\n');
  frames.start();
  frames.take(`${erased(3)}c\nd\ne\nf\n`);
  frames.stop();
  vi.advanceTimersByTime(settleMs);
  expect(drawn).toEqual([]);
  // The renderer erases the five rows of the frame it held; the screen shows the one of three.
  expect(frames.take(`${erased(5)}g\n`)).toBe(`${erased(3)}g\n`);
  expect(frames.take(`${erased(2)}h\n`)).toBe(`${erased(2)}h\n`);
});

test('text printed through the renderer while holding ends the hold, with the frame on the screen erased first', () => {
  const { frames, drawn } = hold();
  frames.take('a\nb\n');
  frames.start();
  // The renderer erases its frame, writes the text, and draws its frame again under it.
  expect(frames.take(erased(3))).toBeUndefined();
  expect(frames.take(wrapping('line\n'))).toBe(erased(3) + wrapping('line\n'));
  expect(frames.holding).toBe(false);
  expect(frames.take('a\nb\n')).toBe('a\nb\n');
  vi.advanceTimersByTime(settleMs);
  expect(drawn).toEqual([]);
});

test('leaving while holding draws the frame held at once, over the frame on the screen', () => {
  const { frames, drawn } = hold();
  frames.take('a\nb\n');
  frames.start();
  frames.take(`${erased(3)}detached\n`);
  frames.flush();
  expect(frames.holding).toBe(false);
  expect(drawn).toEqual([`${erased(3)}detached\n`]);
  vi.advanceTimersByTime(settleMs);
  expect(drawn).toHaveLength(1);
});

test('text waiting for the hold to end is printed as it ends, the frame on the screen erased first, and the latest frame after it: the frame held is never drawn alone', () => {
  const { frames, drawn } = hold();
  frames.take('a\nb\n');
  frames.start();
  expect(frames.take(`${erased(3)}c\nd\ne\n`)).toBeUndefined();
  // The transcript's text waits for the hold to end; printed then through the renderer, which
  // erases its frame (the one it drew last: four rows), writes the text and draws its frame again.
  const written: string[] = [];
  frames.printsWaitingText(() => {
    for (const text of [erased(4), wrapping('line\n'), 'c\nd\ne\n'])
      written.push(frames.take(text) ?? '');
    return true;
  });
  vi.advanceTimersByTime(settleMs);
  expect(drawn).toEqual([]);
  expect(written).toEqual([erased(3), wrapping('line\n'), 'c\nd\ne\n']);
  expect(frames.take(`${erased(4)}f\n`)).toBe(`${erased(4)}f\n`);
});

test('with no text waiting as the hold ends, the frame held is drawn', () => {
  const { frames, drawn } = hold();
  frames.take('a\nb\n');
  frames.start();
  frames.take(`${erased(3)}c\n`);
  frames.printsWaitingText(() => false);
  vi.advanceTimersByTime(settleMs);
  expect(drawn).toEqual([`${erased(3)}c\n`]);
  expect(frames.take(`${erased(2)}d\n`)).toBe(`${erased(2)}d\n`);
});

test('while the terminal has a size the TUI has not heard of, the transcript waits and so do frames, until the news comes', () => {
  const frames = new FrameHold();
  const drawn: string[] = [];
  let unheard = false;
  frames.writesTo(
    (text) => drawn.push(text),
    () => unheard,
  );
  frames.take('a\nb\n');
  expect(frames.mayPrint()).toBe(true);
  // The terminal took a new width: it wrapped its lines again, the frame on the screen with them.
  unheard = true;
  expect(frames.mayPrint()).toBe(false);
  expect(frames.holding).toBe(true);
  expect(frames.take(`${erased(3)}c\nd\n`)).toBeUndefined();
  // The news is late: the hold goes on, nothing is drawn for the old width.
  vi.advanceTimersByTime(settleMs * 3);
  expect(frames.holding).toBe(true);
  expect(drawn).toEqual([]);
  // Heard of (the app draws at the new width from there), the hold ends of itself as before.
  unheard = false;
  vi.advanceTimersByTime(settleMs);
  expect(frames.holding).toBe(false);
  expect(drawn).toEqual([`${erased(3)}c\nd\n`]);
});
