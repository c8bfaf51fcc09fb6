import { describe, expect, test } from 'vitest';
import { RecoveryError } from './errors.js';
import {
  createRecoveryPlanner,
  initialRecoveryState,
  planRecovery,
  type ChildExit,
  type RecoveryContext,
} from './planner.js';
import {
  backoffDelay,
  DEFAULT_RECOVERY_POLICY,
  resolveRecoveryPolicy,
  type RecoveryPolicy,
} from './policy.js';

const target = 's_01hzy3k7m2q9v8c4x6t1b5n0rd';
const other = 's_7zzzzzzzzzzzzzzzzzzzzzzzzz';
const killed: ChildExit = { code: null, signal: 'SIGKILL' };

function plannerAt(start = 0, random = () => 0.5, policy: Partial<RecoveryPolicy> = {}) {
  let now = start;
  const planner = createRecoveryPlanner({ target, policy, clock: () => now, random });
  return { planner, at: (time: number) => (now = time) };
}

describe('defaults', () => {
  test('3 attempts per sliding 60 s, 250 ms × 2ⁿ capped at 5 s, ±20%, re-armed after 60 s', () => {
    expect(DEFAULT_RECOVERY_POLICY).toEqual({
      maxAttempts: 3,
      windowMs: 60_000,
      baseDelayMs: 250,
      maxDelayMs: 5_000,
      jitterRatio: 0.2,
      healthyAfterMs: 60_000,
    });
  });

  test('backoff: the first attempt at once, then doubling, jittered within ±20%, never past the cap', () => {
    const policy = DEFAULT_RECOVERY_POLICY;
    const middle = () => 0.5;
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelay(attempt, policy, middle)),
    ).toEqual([0, 250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(2, policy, () => 0)).toBe(200);
    expect(backoffDelay(2, policy, () => 0.999_999)).toBe(300);
    expect(backoffDelay(6, policy, () => 0.999_999)).toBe(4800);
    expect(backoffDelay(7, policy, () => 0)).toBe(4000);
    expect(backoffDelay(7, policy, () => 0.999_999)).toBe(5000);
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
  });

  test('a policy that cannot work is refused', () => {
    expect(() => resolveRecoveryPolicy({ maxAttempts: 0 })).toThrow(RecoveryError);
    expect(() => resolveRecoveryPolicy({ windowMs: -1 })).toThrow(/windowMs/);
    expect(() => resolveRecoveryPolicy({ jitterRatio: 1 })).toThrow(/jitterRatio/);
    expect(resolveRecoveryPolicy({ maxAttempts: 5 }).maxAttempts).toBe(5);
  });

  test('a window of no length is refused: it would count no attempt and restart at once forever', () => {
    expect(() => resolveRecoveryPolicy({ windowMs: 0 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_POLICY',
        message: 'invalid recovery policy: windowMs must be a finite number > 0 (got 0)',
      }) as Error,
    );
    expect(() => createRecoveryPlanner({ policy: { windowMs: 0 } })).toThrow(/windowMs/);
    expect(resolveRecoveryPolicy({ windowMs: 1 }).windowMs).toBe(1);
  });

  test('a misspelt key is refused, naming it and the keys there are', () => {
    const misspelt = { maxAttemps: 5 } as Partial<RecoveryPolicy>;
    expect(() => resolveRecoveryPolicy(misspelt)).toThrow(
      'invalid recovery policy: unknown key "maxAttemps" (the keys are maxAttempts, windowMs, baseDelayMs, maxDelayMs, jitterRatio, healthyAfterMs)',
    );
    expect(() => resolveRecoveryPolicy(3 as Partial<RecoveryPolicy>)).toThrow(
      'invalid recovery policy: expected an object, got 3',
    );
  });

  test('a number given as a string is refused, and the message shows it was a string', () => {
    const asText = (key: keyof RecoveryPolicy, value: string) =>
      ({ [key]: value }) as Partial<RecoveryPolicy>;
    expect(() => resolveRecoveryPolicy(asText('maxAttempts', '3'))).toThrow(
      'maxAttempts must be an integer ≥ 1 (got "3")',
    );
    expect(() => resolveRecoveryPolicy(asText('windowMs', '1000'))).toThrow('(got "1000")');
    expect(() => resolveRecoveryPolicy(asText('jitterRatio', '0.5'))).toThrow(
      'jitterRatio must be a number in [0, 1) (got "0.5")',
    );
  });
});

describe('planRecovery needs its context', () => {
  const state = initialRecoveryState(target);
  const event = { type: 'exit', at: 10, exit: killed } as const;

  test('without it, the error says what to pass', () => {
    const call = () => planRecovery(state, event, undefined as unknown as RecoveryContext);
    expect(call).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringContaining(
          'planRecovery(state, event, context) needs its context, { policy, random }',
        ) as string,
      }) as Error,
    );
  });

  test('a policy that is not whole, or cannot work, is refused rather than planned with', () => {
    const partial = { maxAttempts: 3 } as RecoveryPolicy;
    expect(() => planRecovery(state, event, { policy: partial, random: () => 0.5 })).toThrow(
      /windowMs must be a finite number > 0 \(got undefined\).*resolveRecoveryPolicy\(overrides\)/,
    );
    const zeroWindow = { ...DEFAULT_RECOVERY_POLICY, windowMs: 0 };
    expect(() => planRecovery(state, event, { policy: zeroWindow, random: () => 0.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_POLICY' }) as Error,
    );
  });
});

describe('planRecovery', () => {
  test('recovers at once, then with backoff, then gives up with the target kept', () => {
    const { planner, at } = plannerAt();
    expect(planner.exit(killed)).toEqual({
      type: 'recover',
      target,
      delayMs: 0,
      attempt: 1,
      of: 3,
      trigger: 'exit',
    });
    planner.started();
    at(100);
    expect(planner.exit(killed)).toMatchObject({ type: 'recover', delayMs: 250, attempt: 2 });
    at(350);
    planner.started();
    at(400);
    expect(planner.exit(killed)).toMatchObject({ type: 'recover', delayMs: 500, attempt: 3 });
    at(900);
    planner.started();
    at(1000);
    expect(planner.exit({ code: 1, signal: null })).toEqual({
      type: 'give-up',
      target,
      reason: 'budget-exhausted',
      attemptsInWindow: 3,
      of: 3,
      windowMs: 60_000,
    });
    expect(planner.state.target).toBe(target);
    expect(planner.state.lastExit).toEqual({ code: 1, signal: null });
  });

  test('the window slides: an attempt older than 60 s no longer counts', () => {
    const { planner, at } = plannerAt();
    planner.exit(killed); // attempt at 0
    planner.started();
    at(30_000);
    planner.exit(killed); // attempt at ≈30 250
    planner.started();
    at(59_000);
    planner.exit(killed); // attempt at ≈59 500
    planner.started();
    at(60_100);
    // The attempt at 0 left the window: two remain, so this is attempt 3.
    expect(planner.exit(killed)).toMatchObject({ type: 'recover', attempt: 3 });
  });

  test('a crash before ready keeps the same target and counts against the budget', () => {
    const { planner } = plannerAt();
    planner.exit(killed);
    planner.started();
    expect(planner.exit({ code: 1, signal: null, reason: 'start-failed' })).toMatchObject({
      type: 'recover',
      target,
      attempt: 2,
    });
    expect(planner.state.target).toBe(target);
  });

  test('60 s of healthy uptime re-arms the budget, reported or noticed at the next exit', () => {
    const reported = plannerAt();
    reported.planner.exit(killed);
    reported.planner.started();
    reported.planner.exit(killed);
    reported.planner.started();
    reported.planner.ready();
    reported.at(59_999);
    reported.planner.healthy(); // too early: nothing shorter than healthyAfterMs re-arms
    expect(reported.planner.state.attemptTimes).toHaveLength(2);
    reported.at(60_000);
    reported.planner.healthy();
    expect(reported.planner.state.attemptTimes).toEqual([]);
    expect(reported.planner.exit(killed)).toMatchObject({ attempt: 1, delayMs: 0 });

    const noticed = plannerAt();
    noticed.planner.exit(killed);
    noticed.planner.started();
    noticed.at(1000);
    noticed.planner.ready();
    noticed.at(30_000);
    noticed.planner.exit(killed);
    noticed.planner.started();
    noticed.at(30_500);
    noticed.planner.ready();
    noticed.at(90_500);
    expect(noticed.planner.exit(killed)).toMatchObject({ attempt: 1, delayMs: 0 });
  });

  test('a repeated ready keeps the uptime from the first one and takes its target', () => {
    const { planner, at } = plannerAt(0, () => 0.5, { healthyAfterMs: 10_000 });
    planner.exit(killed);
    planner.started();
    at(1000);
    planner.exit(killed);
    at(1250);
    planner.started();
    at(2000);
    planner.exit(killed);
    at(2500);
    planner.started();
    at(3000);
    planner.ready();
    at(5000);
    planner.ready(other); // the same child, now reporting the session it serves
    at(14_000); // 11 s since the child's first ready, 9 s since the second
    expect(planner.exit(killed)).toEqual({
      type: 'recover',
      target: other,
      delayMs: 0,
      attempt: 1,
      of: 3,
      trigger: 'exit',
    });
  });

  test('a manual recover is always allowed, at once, and resets the budget', () => {
    const { planner } = plannerAt();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      planner.exit(killed);
      planner.started();
    }
    expect(planner.exit(killed).type).toBe('give-up');
    expect(planner.manual()).toEqual({
      type: 'recover',
      target,
      delayMs: 0,
      attempt: 1,
      of: 3,
      trigger: 'manual',
    });
    planner.started();
    expect(planner.exit(killed)).toMatchObject({ type: 'recover', attempt: 2 });
  });

  test('an attempt counts from when it really started, never earlier than planned', () => {
    const { planner, at } = plannerAt();
    planner.exit(killed);
    at(5);
    planner.started();
    expect(planner.state.attemptTimes).toEqual([5]);
    at(10);
    planner.exit(killed); // planned for 10 + 250
    at(200);
    planner.started();
    expect(planner.state.attemptTimes).toEqual([5, 260]);
    planner.started(); // nothing awaited: no change
    expect(planner.state.attemptTimes).toEqual([5, 260]);
  });

  test('the target changes only on ready(target) or retarget', () => {
    const { planner } = plannerAt();
    planner.ready(other);
    expect(planner.state.target).toBe(other);
    planner.retarget(target);
    expect(planner.exit(killed)).toMatchObject({ target });
  });

  test('is pure: same inputs, same outputs, input state untouched', () => {
    const state = initialRecoveryState(target);
    const context = { policy: DEFAULT_RECOVERY_POLICY, random: () => 0.25 };
    const event = { type: 'exit', at: 10, exit: killed } as const;
    const first = planRecovery(state, event, context);
    expect(planRecovery(state, event, context)).toEqual(first);
    expect(state).toEqual(initialRecoveryState(target));
    expect(planRecovery(first.state, { type: 'healthy', at: 20 }, context)).toEqual({
      state: first.state,
      decision: { type: 'nothing' },
    });
  });
});

test('recovers to whatever the caller supervises, as it was given', () => {
  const worker = { queue: 'emails', shard: 3 };
  const planner = createRecoveryPlanner({ target: worker, clock: () => 0, random: () => 0.5 });
  planner.ready();
  const decision = planner.exit(killed);
  expect(decision.type).toBe('recover');
  expect(decision.type === 'recover' && decision.target).toBe(worker);
});
