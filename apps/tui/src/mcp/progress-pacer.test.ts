import { expect, test } from 'vitest';
import { ProgressPacer } from './progress-pacer.js';

/** A pacer on a fake clock whose timers run when the test moves the clock. */
function pacer(maxCharacters = 1000) {
  let now = 0;
  let timers: { at: number; callback: () => void }[] = [];
  const sent: string[] = [];
  const paced = new ProgressPacer({
    send: (message) => sent.push(message),
    intervalMs: 250,
    heartbeatMs: 10_000,
    maxCharacters,
    now: () => now,
    after: (ms, callback) => {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((due) => due.at <= now)) {
      timers = timers.filter((other) => other !== timer);
      timer.callback();
    }
  };
  return { paced, sent, advance };
}

test('lines that come slowly go out one by one, as they come', () => {
  const { paced, sent, advance } = pacer();
  paced.push('first\n');
  advance(1000);
  paced.push('second\n');
  expect(sent).toEqual(['first\n', 'second\n']);
});

test('a flood becomes one message per interval, of its newest lines, counting those left out', () => {
  const { paced, sent, advance } = pacer(20);
  paced.push('1\n');
  for (let line = 2; line <= 1000; line += 1) paced.push(`${line}\n`);
  expect(sent).toEqual(['1\n']);
  advance(250);
  expect(sent).toEqual(['1\n', '[995 earlier lines left out]\n997\n998\n999\n1000\n']);
  // Nothing waits: no message.
  advance(1000);
  expect(sent).toHaveLength(2);
});

test('what waits goes out when the call answers, not after it', () => {
  const { paced, sent, advance } = pacer();
  paced.push('a\n');
  paced.push('b\n');
  paced.finish();
  expect(sent).toEqual(['a\n', 'b\n']);
  advance(60_000);
  expect(sent).toEqual(['a\n', 'b\n']);
});

test('what waits when the call is cancelled is not sent, then or later', () => {
  const { paced, sent, advance } = pacer();
  paced.push('a\n');
  paced.push('b\n');
  paced.drop();
  advance(60_000);
  expect(sent).toEqual(['a\n']);
});

test('a quiet call gets a message every ten seconds without one, saying it still runs', () => {
  const { paced, sent, advance } = pacer();
  advance(10_000);
  expect(sent).toEqual(['still running after 10 s']);
  advance(5_000);
  paced.push('out\n');
  advance(9_000);
  expect(sent).toEqual(['still running after 10 s', 'out\n']);
  advance(1_000);
  expect(sent).toEqual(['still running after 10 s', 'out\n', 'still running after 25 s']);
});
