import { expect, test } from 'vitest';
import { describeExit, describeSupervisorState, supervisorEventBreadcrumb } from './describe.js';

const target = 's_01hzy3k7m2q9v8c4x6t1b5n0rd';

const killedWhileServing = {
  status: 'recovering',
  target,
  attempt: 1,
  of: 3,
  delayMs: 0,
  trigger: 'exit',
  lastExit: { code: null, signal: 'SIGKILL' },
  phase: 'waiting',
} as const;
const gaveUp = {
  status: 'gave-up',
  target,
  reason: 'budget-exhausted',
  attemptsInWindow: 3,
  of: 3,
  windowMs: 60_000,
  lastExit: { code: 1, signal: null },
} as const;

test('status lines a UI can show as they are, in its own words', () => {
  const words = { subject: 'gateway', targetName: 'session', recoverCommand: '/recover' };
  expect(describeSupervisorState(killedWhileServing, words)).toBe(
    'gateway exited (SIGKILL) — recovering session… attempt 1/3',
  );
  // Why it gave up: the recoveries its budget allows were all spent within its window.
  expect(describeSupervisorState(gaveUp, words)).toBe(
    'gateway exited (code 1) — gave up after 3 recoveries within 1 min — /recover',
  );
  expect(describeSupervisorState({ ...gaveUp, windowMs: 90_000, lastExit: undefined }, words)).toBe(
    'gave up after 3 recoveries within 90s — /recover',
  );
  expect(describeSupervisorState({ status: 'live', target, generation: 2 }, words)).toBe(
    'gateway ready',
  );
  expect(
    describeSupervisorState({ status: 'starting', target, generation: 1 }, { subject: 'host' }),
  ).toBe('starting host…');
  expect(
    describeSupervisorState(
      {
        status: 'recovering',
        target,
        attempt: 1,
        of: 3,
        delayMs: 0,
        trigger: 'manual',
        lastExit: undefined,
        phase: 'stopping',
      },
      words,
    ),
  ).toBe('recovering session… attempt 1/3');
});

test('status lines name nothing the caller did not name', () => {
  expect(describeSupervisorState(killedWhileServing)).toBe(
    'child exited (SIGKILL) — recovering… attempt 1/3',
  );
  expect(describeSupervisorState(gaveUp)).toBe(
    'child exited (code 1) — gave up after 3 recoveries within 1 min',
  );
  expect(describeSupervisorState({ status: 'stopped', target, lastExit: undefined })).toBe(
    'child stopped',
  );
});

test("anything but a supervisor's state is refused, saying what it takes", () => {
  for (const given of [undefined, null, {}]) {
    expect(() => describeSupervisorState(given as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringContaining(
          "describeSupervisorState takes a supervisor's state (supervisor.state)",
        ) as unknown,
      }),
    );
  }
});

test('exits in a word or two', () => {
  expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('SIGKILL');
  expect(describeExit({ code: 1, signal: null })).toBe('code 1');
  expect(
    describeExit({
      code: null,
      signal: null,
      reason: 'start-failed',
      detail: 'Error: spawn ENOENT',
    }),
  ).toBe('start-failed: Error: spawn ENOENT');
});

test('supervisor events become flat breadcrumbs', () => {
  expect(
    supervisorEventBreadcrumb({
      type: 'exit',
      generation: 2,
      exit: { code: null, signal: 'SIGKILL', reason: 'exit' },
      decision: { type: 'recover', target, delayMs: 250, attempt: 2, of: 3, trigger: 'exit' },
    }),
  ).toEqual({
    event: 'recovery.attempt',
    fields: {
      generation: 2,
      code: null,
      signal: 'SIGKILL',
      reason: 'exit',
      detail: undefined,
      target,
      attempt: 2,
      of: 3,
      delayMs: 250,
    },
  });
  expect(
    supervisorEventBreadcrumb({
      type: 'exit',
      generation: 4,
      exit: { code: 1, signal: null },
      decision: {
        type: 'give-up',
        target,
        reason: 'budget-exhausted',
        attemptsInWindow: 3,
        of: 3,
        windowMs: 60_000,
      },
    }).event,
  ).toBe('recovery.give-up');
  expect(
    supervisorEventBreadcrumb({ type: 'ignored', report: 'exit', generation: 1, because: 'stale' }),
  ).toEqual({
    event: 'supervisor.ignored',
    fields: { report: 'exit', generation: 1, because: 'stale' },
  });
});
