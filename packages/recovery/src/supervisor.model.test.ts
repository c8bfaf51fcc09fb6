// Model-based test of the supervisor: fast-check drives random sequences of exits (single,
// duplicated, through the handle or the supervisor, spurious, stale), readies, health reports,
// timer ticks, manual recovers, failing starts and shutdowns against a fake clock, and checks
// after every step that the supervisor never exceeds its budget in any window, never has two
// children at once, never starts after shutdown, never loses the target, and never stalls.
import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { expect, test } from 'vitest';
import { createFakeClock, type FakeClock } from './__fixtures__/fake-clock.js';
import type { RecoveryPolicy } from './policy.js';
import {
  createRecoverySupervisor,
  type RecoverySupervisor,
  type SupervisedChild,
} from './supervisor.js';

const target = 's_01hzy3k7m2q9v8c4x6t1b5n0rd';

interface HarnessChild {
  readonly handle: SupervisedChild;
  /** The simulated process is running (started, not exited, not stopped). */
  alive: boolean;
}

interface Spawn {
  readonly at: number;
  readonly epoch: number;
  readonly recovery: boolean;
}

interface Real {
  readonly supervisor: RecoverySupervisor;
  readonly clock: FakeClock;
  readonly policy: RecoveryPolicy;
  readonly children: HarnessChild[];
  readonly spawns: Spawn[];
  /** Incremented on each manual recover the supervisor accepted: the budget restarts. */
  epoch: number;
  shutDown: boolean;
  nextStart: 'ok' | 'throw' | 'reject';
  violations: string[];
}

type Model = Record<string, never>;

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function aliveChildren(real: Real): HarnessChild[] {
  return real.children.filter((child) => child.alive);
}

function setup(policy: RecoveryPolicy, seed: number): Real {
  const clock = createFakeClock();
  // A small deterministic generator for the jitter, seeded by fast-check.
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const real = {
    clock,
    policy,
    children: [],
    spawns: [],
    epoch: 0,
    shutDown: false,
    nextStart: 'ok',
    violations: [],
  } as unknown as Real & { supervisor: RecoverySupervisor };
  const violation = (message: string) => real.violations.push(`${message} (t=${clock.now()})`);
  (real as { supervisor: RecoverySupervisor }).supervisor = createRecoverySupervisor({
    target,
    policy,
    clock: clock.now,
    random,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    onEvent: (event) => {
      if (event.type === 'manual-recover') real.epoch += 1;
    },
    start: (startTarget, handle) => {
      if (real.shutDown) violation('started after shutdown');
      if (aliveChildren(real).length > 0) violation('double spawn: a child is still running');
      if (startTarget !== target) violation(`lost the target: started ${String(startTarget)}`);
      const child: HarnessChild = { handle, alive: true };
      real.children.push(child);
      const spawn = { at: clock.now(), epoch: real.epoch, recovery: handle.attempt !== undefined };
      real.spawns.push(spawn);
      if (handle.attempt) {
        if (handle.attempt.attempt > handle.attempt.of) violation('attempt beyond the budget');
        // Budget: recovery starts since the last manual reset, inside any window ending now.
        const inWindow = real.spawns.filter(
          (other) =>
            other.recovery && other.epoch === spawn.epoch && spawn.at - other.at < policy.windowMs,
        ).length;
        if (inWindow > policy.maxAttempts) {
          violation(`${inWindow} recovery starts within ${policy.windowMs} ms`);
        }
      }
      const mode = real.nextStart;
      real.nextStart = 'ok';
      if (mode === 'throw') {
        child.alive = false;
        throw new Error('spawn ENOENT');
      }
      if (mode === 'reject') {
        return Promise.resolve().then(() => {
          child.alive = false;
          throw new Error('handshake failed');
        });
      }
      return undefined;
    },
    stop: async (handle) => {
      await Promise.resolve();
      const child = real.children.find((candidate) => candidate.handle === handle);
      if (child) child.alive = false;
    },
  });
  return real;
}

/** Invariants that hold between any two steps. */
function checkInvariants(real: Real): void {
  const { supervisor, clock, policy } = real;
  const state = supervisor.state;
  const alive = aliveChildren(real);
  expect(real.violations).toEqual([]);
  expect(alive.length).toBeLessThanOrEqual(1);
  expect(state.target).toBe(target);
  if (real.shutDown) {
    expect(state.status).toBe('stopped');
    return;
  }
  switch (state.status) {
    case 'live':
      expect(alive).toHaveLength(1);
      expect(alive[0]!.handle.current).toBe(true);
      break;
    case 'starting':
      expect(alive).toHaveLength(1);
      expect(alive[0]!.handle.current).toBe(true);
      break;
    case 'recovering':
      expect(state.attempt).toBeLessThanOrEqual(state.of);
      if (state.phase === 'starting') expect(alive).toHaveLength(1);
      if (state.phase === 'waiting') {
        // Never stalls: the next start is scheduled within the longest delay.
        expect(alive).toHaveLength(0);
        expect(clock.pending().some((dueAt) => dueAt <= clock.now() + policy.maxDelayMs)).toBe(
          true,
        );
      }
      break;
    case 'gave-up': {
      expect(alive).toHaveLength(0);
      // Gave up only with the whole budget spent inside the window; nothing left scheduled.
      expect(state.attemptsInWindow).toBe(policy.maxAttempts);
      expect(clock.pending()).toEqual([]);
      break;
    }
    case 'idle':
    case 'stopped':
      break;
  }
}

type Command = fc.AsyncCommand<Model, Real>;

const command = (label: string, run: (real: Real) => void | Promise<void>): Command => ({
  check: () => true,
  async run(_model, real) {
    await run(real);
    await flush();
    checkInvariants(real);
  },
  toString: () => label,
});

const exitInfo = fc.constantFrom(
  { code: null, signal: 'SIGKILL', reason: 'exit' },
  { code: 1, signal: null, reason: 'exit' },
  { code: null, signal: null, reason: 'error', detail: 'EPIPE' },
  { code: null, signal: null, reason: 'transport-closed' },
);

const commands = [
  // The running child dies; the death is reported 1–3 times, through the handle or the supervisor.
  fc
    .tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom('handle', 'supervisor', 'mixed'),
      exitInfo,
    )
    .map(([reports, via, exit]) =>
      command(`exit ×${reports} via ${via} (${exit.reason})`, (real) => {
        const running = aliveChildren(real)[0];
        if (!running) {
          // A spurious report with no child running (e.g. during a pending recovery).
          expect(real.supervisor.exited(exit)).toBe(false);
          return;
        }
        running.alive = false;
        const accepted: boolean[] = [];
        for (let index = 0; index < reports; index += 1) {
          const throughHandle = via === 'handle' || (via === 'mixed' && index % 2 === 0);
          accepted.push(throughHandle ? running.handle.exited(exit) : real.supervisor.exited(exit));
        }
        expect(accepted.filter(Boolean).length).toBeLessThanOrEqual(1);
      }),
    ),
  // A report from a child that is long gone.
  fc.nat().map((pick) =>
    command(`stale report from child #${pick}`, (real) => {
      const gone = real.children.filter((child) => !child.alive && !child.handle.current);
      const child = gone[pick % Math.max(gone.length, 1)];
      if (!child) return;
      expect(child.handle.exited({ code: 0, signal: null, reason: 'close' })).toBe(false);
      expect(child.handle.ready()).toBe(false);
    }),
  ),
  fc.constantFrom('handle', 'supervisor').map((via) =>
    command(`ready via ${via}`, (real) => {
      const running = aliveChildren(real)[0];
      if (!running) return;
      if (via === 'handle') running.handle.ready();
      else real.supervisor.ready();
    }),
  ),
  fc.constant(command('healthy', (real) => void real.supervisor.healthy())),
  fc
    .oneof(
      fc.constantFrom(0, 1, 199, 250, 300, 1000, 5000, 30_000, 59_999, 60_000, 61_000),
      fc.integer({ min: 0, max: 70_000 }),
    )
    .map((ms) => command(`advance ${ms} ms`, (real) => real.clock.advance(ms))),
  fc.constant(command('recoverNow', (real) => void real.supervisor.recoverNow())),
  fc.constantFrom('throw', 'reject').map((mode) =>
    command(`next start will ${mode}`, (real) => {
      real.nextStart = mode;
    }),
  ),
];

const rareShutdown = fc.constant(
  command('shutdown', async (real) => {
    const done = real.supervisor.shutdown();
    real.shutDown = true;
    await done;
  }),
);

const policy: fc.Arbitrary<RecoveryPolicy> = fc
  .record({
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    windowMs: fc.constantFrom(1000, 10_000, 60_000),
    baseDelayMs: fc.constantFrom(0, 100, 250),
    maxDelayMs: fc.constantFrom(1000, 5000),
    jitterRatio: fc.constantFrom(0, 0.2),
    extraHealthyMs: fc.constantFrom(0, 1000, 30_000),
  })
  // Health re-arms only once every earlier attempt has left the window, as with the defaults.
  .map(({ extraHealthyMs, ...rest }) => ({
    ...rest,
    healthyAfterMs: rest.windowMs + extraHealthyMs,
  }));

test('random exits, readies, ticks and manual recovers never break the budget, double-spawn or lose the target', async () => {
  await fc.assert(
    fc.asyncProperty(
      policy,
      fc.integer(),
      fc.commands([...commands, ...commands, rareShutdown], { maxCommands: 60 }),
      async (recoveryPolicy, seed, steps) => {
        const real = setup(recoveryPolicy, seed);
        real.supervisor.start();
        checkInvariants(real);
        await fc.asyncModelRun(() => ({ model: {}, real }), steps);
        // Whatever happened, after shutdown nothing ever starts again.
        const startsBefore = real.spawns.length;
        await real.supervisor.shutdown();
        real.shutDown = true;
        real.clock.advance(10 * 60_000);
        real.supervisor.recoverNow();
        await flush();
        expect(real.spawns.length).toBe(startsBefore);
        expect(real.violations).toEqual([]);
      },
    ),
    fuzzParameters('recovery supervisor: model-based'),
  );
});
