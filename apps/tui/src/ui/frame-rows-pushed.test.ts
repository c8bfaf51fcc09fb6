import { expect, test } from 'vitest';
import { FrameRowsPushed, leadingRowsPushed } from './frame-rows-pushed.js';

test('the rows pushed that are the first shown: the last ones pushed, in order', () => {
  expect(leadingRowsPushed([], ['a', 'b'])).toBe(0);
  expect(leadingRowsPushed(['a'], ['a', 'b'])).toBe(1);
  expect(leadingRowsPushed(['x', 'a', 'b'], ['a', 'b', 'c'])).toBe(2);
  // The screen scrolled past the first of them: the rest are still at its top.
  expect(leadingRowsPushed(['a', 'b'], ['b', 'c'])).toBe(1);
  // Gone from the top, or not the last pushed: none.
  expect(leadingRowsPushed(['a', 'b'], ['c', 'd'])).toBe(0);
  expect(leadingRowsPushed(['a', 'b'], ['a', 'c'])).toBe(0);
  expect(leadingRowsPushed(['a', 'b', 'c'], ['a', 'b'])).toBe(0);
});

test("rows pushed are kept per run: another run's start forgets them", () => {
  const pushed = new FrameRowsPushed();
  pushed.add('r1', ['a']);
  pushed.add('r1', ['b', 'c']);
  expect(pushed.of('r1')).toEqual(['a', 'b', 'c']);
  expect(pushed.of('r2')).toEqual([]);
  pushed.add('r2', ['d']);
  expect(pushed.of('r1')).toEqual([]);
  expect(pushed.of('r2')).toEqual(['d']);
  // Forgotten for its own run only.
  pushed.forget('r1');
  expect(pushed.of('r2')).toEqual(['d']);
  pushed.forget('r2');
  expect(pushed.of('r2')).toEqual([]);
  // A change with no run on the screen.
  pushed.add(undefined, []);
  expect(pushed.of('r2')).toEqual([]);
});
