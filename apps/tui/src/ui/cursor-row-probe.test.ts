import { expect, test } from 'vitest';
import { CursorRowProbe } from './cursor-row-probe.js';

/** A probe on a fake clock, and what it wrote to the terminal. */
function probe() {
  const written: string[] = [];
  const timers = new Map<number, () => void>();
  /** How long each timer set was for, in order. */
  const timerMs: number[] = [];
  let nextTimer = 0;
  const cursorRowProbe = new CursorRowProbe({
    write: (text) => written.push(text),
    setTimer: (callback, ms) => {
      nextTimer += 1;
      timers.set(nextTimer, callback);
      timerMs.push(ms);
      return nextTimer;
    },
    clearTimer: (timer) => timers.delete(timer as number),
  });
  const fireTimers = () => {
    for (const [timer, callback] of [...timers]) {
      timers.delete(timer);
      callback();
    }
  };
  return { cursorRowProbe, written, fireTimers, timerMs };
}

test('asks the terminal where its cursor is and how wide it is, and gives the answer to the one waiting', () => {
  const { cursorRowProbe, written } = probe();
  const answers: unknown[] = [];
  cursorRowProbe.ask();
  // Asked with the cursor at the row's end, put back after: the column it reports is the width.
  expect(written).toEqual(['\x1b7\x1b[999C\x1b[6n\x1b8']);
  cursorRowProbe.whenAnswered((answer) => answers.push(answer?.row, answer));
  expect(cursorRowProbe.heard('\x1b[12;72R')).toBe(true);
  expect(answers).toEqual([12, { row: 12, columns: 72 }]);
  // Asked for again once answered: given at once.
  cursorRowProbe.whenAnswered((answer) => answers.push(answer?.row));
  expect(answers.at(-1)).toBe(12);
});

test('a key of the same form is a key when no answer is awaited (Shift+F3 is CSI 1;2R)', () => {
  const { cursorRowProbe } = probe();
  expect(cursorRowProbe.heard('\x1b[1;2R')).toBe(false);
  cursorRowProbe.ask();
  expect(cursorRowProbe.heard('\x1b[A')).toBe(false);
  expect(cursorRowProbe.heard('\x1b[3;1R')).toBe(true);
  expect(cursorRowProbe.heard('\x1b[1;2R')).toBe(false);
});

test('answers come in the order asked: only the last question has someone waiting', () => {
  const { cursorRowProbe } = probe();
  const rows: (number | undefined)[] = [];
  cursorRowProbe.ask();
  cursorRowProbe.whenAnswered((answer) => rows.push(answer?.row));
  cursorRowProbe.ask();
  cursorRowProbe.whenAnswered((answer) => rows.push(-(answer?.row ?? 0)));
  cursorRowProbe.heard('\x1b[5;1R');
  cursorRowProbe.heard('\x1b[7;1R');
  expect(rows).toEqual([5, -7]);
});

test('a terminal that does not answer in time: undefined, and its late answer is still not taken for a key', () => {
  const { cursorRowProbe, fireTimers } = probe();
  const rows: (number | undefined)[] = [];
  cursorRowProbe.ask();
  cursorRowProbe.whenAnswered((answer) => rows.push(answer?.row));
  fireTimers();
  expect(rows).toEqual([undefined]);
  expect(cursorRowProbe.heard('\x1b[9;1R')).toBe(true);
  expect(rows).toEqual([undefined]);
  // Given up on for good after a while longer: a key of that form is a key again.
  cursorRowProbe.ask();
  fireTimers();
  fireTimers();
  expect(cursorRowProbe.heard('\x1b[1;2R')).toBe(false);
});

test('a terminal that never answered is silent once a question goes unanswered; one that answered once is not', () => {
  const quiet = probe();
  quiet.cursorRowProbe.ask();
  expect(quiet.cursorRowProbe.silent).toBe(false);
  quiet.fireTimers();
  expect(quiet.cursorRowProbe.silent).toBe(true);
  const slow = probe();
  slow.cursorRowProbe.ask();
  slow.cursorRowProbe.heard('\x1b[3;80R');
  slow.cursorRowProbe.ask();
  slow.fireTimers();
  expect(slow.cursorRowProbe.silent).toBe(false);
});

test('nothing asked: whoever waits hears undefined at once', () => {
  const { cursorRowProbe } = probe();
  const rows: (number | undefined)[] = [];
  cursorRowProbe.whenAnswered((answer) => rows.push(answer?.row));
  expect(rows).toEqual([undefined]);
});

test('answers awaited are taken out of what goes to a program that has the terminal, its keys kept', () => {
  const { cursorRowProbe } = probe();
  const rows: (number | undefined)[] = [];
  expect(cursorRowProbe.withoutAnswers('a\x1b[4;1Rb')).toBe('a\x1b[4;1Rb');
  cursorRowProbe.ask();
  cursorRowProbe.whenAnswered((answer) => rows.push(answer?.row));
  expect(cursorRowProbe.withoutAnswers('a\x1b[4;1Rb\x1b[1;2R')).toBe('ab\x1b[1;2R');
  expect(rows).toEqual([4]);
});

test('a terminal that answered before is waited for longer: a busy machine delays its answer', () => {
  const { cursorRowProbe, fireTimers, timerMs } = probe();
  const rows: (number | undefined)[] = [];
  cursorRowProbe.ask();
  expect(timerMs.at(-1)).toBe(400);
  cursorRowProbe.heard('\x1b[5;1R');
  cursorRowProbe.ask();
  expect(timerMs.at(-1)).toBe(2000);
  cursorRowProbe.whenAnswered((answer) => rows.push(answer?.row));
  cursorRowProbe.heard('\x1b[9;1R');
  // Given up on, it is still told apart from a key for ten times as long.
  cursorRowProbe.ask();
  cursorRowProbe.whenAnswered((answer) => rows.push(answer?.row));
  fireTimers();
  expect(timerMs.at(-1)).toBe(20_000);
  expect(rows).toEqual([9, undefined]);
  expect(cursorRowProbe.heard('\x1b[3;1R')).toBe(true);
});
