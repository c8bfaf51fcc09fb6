import { expect, test } from 'vitest';
import { AttachProgress, MANY_EVENTS } from './attach-progress.js';

test('a session shown afresh is not caught up until everything up to the seq its attach named is applied', () => {
  const progress = new AttachProgress();
  expect(progress.isCaughtUp(-1)).toBe(false);
  progress.begin();
  expect(progress.isCaughtUp(-1)).toBe(false);
  expect(progress.answered(-1, 41)).toBe(false);
  progress.end();
  expect(progress.isCaughtUp(40)).toBe(false);
  expect(progress.isCaughtUp(41)).toBe(true);
  expect(progress.isCaughtUp(45)).toBe(true);
});

test('an attach that brings nothing new is caught up at once', () => {
  const progress = new AttachProgress();
  progress.begin();
  expect(progress.answered(-1, -1)).toBe(true);
  progress.end();
  expect(progress.isCaughtUp(-1)).toBe(true);
});

test('while an attach is on its way the session is not caught up, whatever the last one said', () => {
  const progress = new AttachProgress();
  progress.begin();
  progress.answered(-1, 3);
  progress.end();
  expect(progress.isCaughtUp(3)).toBe(true);
  progress.begin();
  expect(progress.isCaughtUp(3)).toBe(false);
  expect(progress.answered(3, 9)).toBe(false);
  expect(progress.isCaughtUp(9)).toBe(false);
  progress.end();
  expect(progress.isCaughtUp(8)).toBe(false);
  expect(progress.isCaughtUp(9)).toBe(true);
});

test('the history is what the first attach of a session named; a re-attach after a recovery adds none', () => {
  const progress = new AttachProgress();
  progress.begin();
  progress.answered(-1, 5);
  progress.end();
  expect(progress.isHistory(5)).toBe(true);
  expect(progress.isHistory(6)).toBe(false);
  expect(progress.endsHistory(5)).toBe(true);
  expect(progress.endsHistory(4)).toBe(false);
  progress.begin();
  progress.answered(5, 12);
  progress.end();
  expect(progress.isHistory(12)).toBe(false);
  expect(progress.endsHistory(5)).toBe(true);
});

test("a session shown anew from its log's last stretch has its history from there", () => {
  const progress = new AttachProgress();
  progress.begin();
  progress.answered(4000, 9000, true);
  progress.end();
  expect(progress.isHistory(9000)).toBe(true);
  expect(progress.endsHistory(9000)).toBe(true);
  expect(progress.isHistory(9001)).toBe(false);
});

test('another session shown has no history until its own first attach answers', () => {
  const progress = new AttachProgress();
  progress.begin();
  progress.answered(-1, 5);
  progress.end();
  progress.forgetHistory();
  expect(progress.isHistory(0)).toBe(false);
  expect(progress.endsHistory(-1)).toBe(true);
  progress.begin();
  progress.answered(-1, 2);
  progress.end();
  expect(progress.isHistory(2)).toBe(true);
  expect(progress.isHistory(3)).toBe(false);
});

test('the history may be printed once all of it is applied, or all of it there is: the rest of the log is unreadable', () => {
  const progress = new AttachProgress();
  progress.begin();
  progress.answered(-1, 90);
  progress.end();
  expect(progress.isHistoryApplied(40)).toBe(false);
  expect(progress.shownAfterSeq).toBe(90);
  expect(progress.unreadable).toBeUndefined();
  progress.cutShort('event log damaged at seq 41');
  expect(progress.isHistoryApplied(40)).toBe(true);
  expect(progress.unreadable).toBe('event log damaged at seq 41');
  // Still not caught up: keys are not routed to a session whose later events are unknown.
  expect(progress.isCaughtUp(40)).toBe(false);
  // A new attach brings history again.
  progress.begin();
  expect(progress.isHistoryApplied(40)).toBe(false);
  expect(progress.unreadable).toBeUndefined();
  expect(progress.shownAfterSeq).toBe(Number.POSITIVE_INFINITY);
});

test('how much of a long log is shown goes from 0 to 1 as it is applied; a short one says nothing', () => {
  const progress = new AttachProgress();
  progress.begin();
  expect(progress.shownFraction(-1)).toBeUndefined();
  progress.answered(999, 999 + 4 * MANY_EVENTS);
  expect(progress.shownFraction(999)).toBe(0);
  expect(progress.shownFraction(999 + MANY_EVENTS)).toBe(0.25);
  expect(progress.shownFraction(999 + 4 * MANY_EVENTS)).toBe(1);
  progress.end();
  // Another attach: nothing known until it is answered, and a short one is shown at once.
  progress.begin();
  expect(progress.shownFraction(999 + MANY_EVENTS)).toBeUndefined();
  progress.answered(5000, 5000 + MANY_EVENTS - 1);
  expect(progress.shownFraction(5000)).toBeUndefined();
});
