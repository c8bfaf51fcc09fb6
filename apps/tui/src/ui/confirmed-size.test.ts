import { EventEmitter } from 'node:events';
import { expect, test } from 'vitest';
import type { CursorRowAnswer } from './cursor-row-probe.js';
import { ConfirmedSize } from './confirmed-size.js';

/** A terminal told of sizes by hand, asked its width or height by hand, on a fake clock. */
function terminal(options: { confirms?: boolean } = {}) {
  const stream = Object.assign(new EventEmitter(), { columns: 100, rows: 30 });
  const questions: ((answer: CursorRowAnswer | undefined) => void)[] = [];
  const heightQuestions: ((rows: number | undefined) => void)[] = [];
  const timers = new Map<number, () => void>();
  const calls: string[] = [];
  let nextTimer = 0;
  const size = new ConfirmedSize({
    stream: stream as unknown as NodeJS.WriteStream,
    askWidth: (answer) => questions.push(answer),
    askHeight: (answer) => heightQuestions.push(answer),
    answerWaitMs: 400,
    confirms: () => options.confirms ?? true,
    waiting: () => calls.push('waiting'),
    unchanged: () => calls.push('unchanged'),
    setTimer: (callback) => {
      nextTimer += 1;
      timers.set(nextTimer, callback);
      return nextTimer;
    },
    clearTimer: (timer) => timers.delete(timer as number),
  });
  size.on(() => calls.push(`resize ${size.columns}x${size.rows}`));
  const tell = (columns: number, rows = 30) => {
    stream.columns = columns;
    stream.rows = rows;
    stream.emit('resize');
  };
  const answer = (columns: number | undefined) =>
    questions.shift()?.(columns === undefined ? undefined : { row: 30, columns });
  const answerHeight = (rows: number | undefined) => heightQuestions.shift()?.(rows);
  const fireTimers = () => {
    for (const [timer, callback] of [...timers]) {
      timers.delete(timer);
      callback();
    }
  };
  return { size, tell, answer, answerHeight, calls, fireTimers };
}

test('a new width counts once the terminal says it has it; until then the old one does', () => {
  const { size, tell, answer, calls } = terminal();
  tell(90);
  expect(calls).toEqual(['waiting']);
  expect(size.columns).toBe(100);
  answer(90);
  expect(calls).toEqual(['waiting', 'resize 90x30']);
  expect(size.columns).toBe(90);
  // The answer that confirmed it says where the terminal's cursor was (see DrawnFrame).
  expect(size.answer).toEqual({ row: 30, columns: 90 });
});

test('a new height alone counts once the terminal says it has it, asked for its height (no cursor row to hand on)', () => {
  const { size, tell, answer, answerHeight, calls } = terminal();
  tell(100, 24);
  expect(calls).toEqual(['waiting']);
  expect(size.rows).toBe(30);
  // Asked for its height, not for its width.
  answer(100);
  expect(size.rows).toBe(30);
  answerHeight(24);
  expect(calls).toEqual(['waiting', 'resize 100x24']);
  expect(size.answer).toBeUndefined();
});

test('told of a height the terminal no longer has (made lower and as tall again at once): nothing changes once it is told of the height it has', () => {
  const { size, tell, answerHeight, calls, fireTimers } = terminal();
  tell(100, 21);
  answerHeight(30);
  expect(size.rows).toBe(30);
  tell(100, 30);
  expect(calls).toEqual(['waiting', 'unchanged']);
  fireTimers();
  expect(calls).toEqual(['waiting', 'unchanged']);
  // Never told of the height it said it has: the one told of counts a while later all the same.
  tell(100, 21);
  answerHeight(30);
  expect(size.rows).toBe(30);
  fireTimers();
  expect(size.rows).toBe(21);
  // One that does not say counts at once.
  tell(100, 25);
  answerHeight(undefined);
  expect(size.rows).toBe(25);
});

test('told of a width the terminal no longer has: the width it has counts once it is told of, with no change in between', () => {
  const { size, tell, answer, calls } = terminal();
  tell(68);
  answer(72);
  expect(size.columns).toBe(100);
  tell(72);
  answer(72);
  expect(calls).toEqual(['waiting', 'waiting', 'resize 72x30']);
  // Back where it was before it is confirmed: nothing changes, and what waited goes on.
  tell(60);
  tell(72);
  expect(calls.slice(3)).toEqual(['waiting', 'unchanged']);
  answer(60);
  expect(size.columns).toBe(72);
});

test('an answer to an earlier change is not waited for; a terminal that does not answer, or never tells of the width it has, is taken at its word', () => {
  const { size, tell, answer, calls, fireTimers } = terminal();
  tell(90);
  tell(80);
  answer(80);
  expect(size.columns).toBe(100);
  answer(80);
  expect(size.columns).toBe(80);
  tell(70);
  answer(undefined);
  expect(size.columns).toBe(70);
  tell(60);
  answer(64);
  expect(size.columns).toBe(70);
  fireTimers();
  expect(size.columns).toBe(60);
  expect(calls.filter((call) => call.startsWith('resize'))).toEqual([
    'resize 80x30',
    'resize 70x30',
    'resize 60x30',
  ]);
});

test('any change while a program has the whole terminal counts at once', () => {
  const program = terminal({ confirms: false });
  program.tell(80, 20);
  expect(program.calls).toEqual(['resize 80x20']);
});
