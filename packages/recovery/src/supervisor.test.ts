import { describe, expect, test, vi } from 'vitest';
import { createFakeClock } from './__fixtures__/fake-clock.js';
import type { ChildExit } from './planner.js';
import {
  createRecoverySupervisor,
  type RecoverySupervisorOptions,
  type SupervisedChild,
  type SupervisorEvent,
  type SupervisorState,
} from './supervisor.js';

const target = 's_01hzy3k7m2q9v8c4x6t1b5n0rd';
const killed: ChildExit = { code: null, signal: 'SIGKILL', reason: 'exit' };

function setup(
  overrides: Partial<RecoverySupervisorOptions> = {},
  without: ReadonlyArray<'stop' | 'target'> = [],
) {
  const clock = createFakeClock();
  const children: SupervisedChild[] = [];
  const targets: Array<string | undefined> = [];
  const states: SupervisorState[] = [];
  const events: SupervisorEvent[] = [];
  const stopped: Array<[number, string]> = [];
  const options: RecoverySupervisorOptions = {
    target,
    start: (startTarget, child) => {
      targets.push(startTarget);
      children.push(child);
    },
    stop: (child, reason) => {
      stopped.push([child.generation, reason]);
    },
    clock: clock.now,
    random: () => 0.5,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    onState: (state) => states.push(state),
    onEvent: (event) => events.push(event),
    ...overrides,
  };
  const { stop, target: initialTarget, ...rest } = options;
  const supervisor = createRecoverySupervisor({
    ...rest,
    ...(without.includes('stop') || !stop ? {} : { stop }),
    ...(without.includes('target') || !initialTarget ? {} : { target: initialTarget }),
  });
  const latest = () => children.at(-1)!;
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { clock, children, targets, states, events, stopped, supervisor, latest, flush };
}

describe('createRecoverySupervisor', () => {
  test('starts, goes live, recovers a killed child at once and goes live again', () => {
    const run = setup();
    expect(run.supervisor.state).toEqual({ status: 'idle', target });
    expect(run.supervisor.start()).toBe(true);
    expect(run.supervisor.start()).toBe(false);
    expect(run.supervisor.state).toEqual({ status: 'starting', target, generation: 1 });
    run.latest().ready();
    expect(run.supervisor.state).toEqual({ status: 'live', target, generation: 1 });

    run.latest().exited(killed);
    expect(run.supervisor.state).toEqual({
      status: 'recovering',
      target,
      attempt: 1,
      of: 3,
      delayMs: 0,
      trigger: 'exit',
      lastExit: killed,
      phase: 'waiting',
    });
    expect(run.children).toHaveLength(1);
    run.clock.advance(0);
    expect(run.children).toHaveLength(2);
    expect(run.latest().attempt).toEqual({ attempt: 1, of: 3, trigger: 'exit' });
    expect(run.supervisor.state).toMatchObject({ status: 'recovering', phase: 'starting' });
    run.latest().ready();
    expect(run.supervisor.state).toEqual({ status: 'live', target, generation: 2 });
    expect(run.targets).toEqual([target, target]);
  });

  test('exit and error reported together, twice over, start exactly one replacement', () => {
    const run = setup();
    run.supervisor.start();
    const first = run.latest();
    first.ready();
    expect(first.exited(killed)).toBe(true);
    expect(first.exited({ code: null, signal: null, reason: 'error', detail: 'EPIPE' })).toBe(
      false,
    );
    expect(run.supervisor.exited({ code: null, signal: null, reason: 'transport-closed' })).toBe(
      false,
    );
    run.clock.advance(10_000);
    expect(run.children).toHaveLength(2);
    // A late `close` of the first child after the replacement started is not the new child's death.
    expect(first.exited({ code: 0, signal: null, reason: 'close' })).toBe(false);
    expect(first.current).toBe(false);
    expect(run.latest().current).toBe(true);
    run.clock.advance(10_000);
    expect(run.children).toHaveLength(2);
    expect(run.events.filter((event) => event.type === 'ignored')).toHaveLength(3);
  });

  test('crashes before ready keep the target, back off, then give up with the target kept', () => {
    const run = setup();
    run.supervisor.start();
    const delays: number[] = [];
    for (let crash = 0; crash < 3; crash += 1) {
      run.latest().exited({ code: 1, signal: null });
      const state = run.supervisor.state;
      if (state.status === 'recovering') delays.push(state.delayMs);
      run.clock.advance(state.status === 'recovering' ? state.delayMs : 0);
    }
    expect(delays).toEqual([0, 250, 500]);
    run.latest().exited({ code: 1, signal: null });
    expect(run.supervisor.state).toEqual({
      status: 'gave-up',
      target,
      reason: 'budget-exhausted',
      attemptsInWindow: 3,
      of: 3,
      windowMs: 60_000,
      lastExit: { code: 1, signal: null },
    });
    run.clock.advance(600_000);
    expect(run.children).toHaveLength(4);
    expect(run.targets.every((startTarget) => startTarget === target)).toBe(true);
  });

  test('a manual recover after giving up starts at once with a fresh budget', () => {
    const run = setup();
    run.supervisor.start();
    for (let crash = 0; crash < 4; crash += 1) {
      run.latest().exited(killed);
      run.clock.advance(1000);
    }
    expect(run.supervisor.state.status).toBe('gave-up');
    expect(run.supervisor.recoverNow()).toBe(true);
    expect(run.children).toHaveLength(5);
    expect(run.latest().attempt).toEqual({ attempt: 1, of: 3, trigger: 'manual' });
    run.latest().exited(killed);
    expect(run.supervisor.state).toMatchObject({ status: 'recovering', attempt: 2, delayMs: 250 });
  });

  test('a manual recover of a live child stops it first, then starts one replacement', async () => {
    const run = setup();
    run.supervisor.start();
    run.latest().ready();
    expect(run.supervisor.recoverNow()).toBe(true);
    expect(run.supervisor.recoverNow()).toBe(true);
    expect(run.supervisor.state).toMatchObject({
      status: 'recovering',
      phase: 'stopping',
      trigger: 'manual',
      lastExit: undefined,
    });
    expect(run.stopped).toEqual([[1, 'manual-recover']]);
    expect(run.children).toHaveLength(1);
    await run.flush();
    expect(run.children).toHaveLength(2);
    // The stopped child's own exit report arrives late and changes nothing.
    expect(run.children[0]!.exited({ code: null, signal: 'SIGTERM' })).toBe(false);
    expect(run.supervisor.state).toMatchObject({ status: 'recovering', phase: 'starting' });
  });

  test('without stop, a manual recover of a live child is refused', () => {
    const run = setup({}, ['stop']);
    run.supervisor.start();
    run.latest().ready();
    expect(run.supervisor.recoverNow()).toBe(false);
    expect(run.events.at(-1)).toEqual({
      type: 'ignored',
      report: 'recover',
      generation: 1,
      because: 'no-stop',
    });
  });

  test('nothing starts once shutdown began: not a pending recovery, not an exit, not a manual recover', async () => {
    const run = setup();
    run.supervisor.start();
    run.latest().exited(killed);
    run.clock.advance(0);
    run.latest().exited(killed);
    expect(run.supervisor.state).toMatchObject({
      status: 'recovering',
      phase: 'waiting',
      delayMs: 250,
    });
    const done = run.supervisor.shutdown();
    expect(run.supervisor.shutdown()).toBe(done);
    await done;
    run.clock.advance(60_000);
    expect(run.supervisor.recoverNow()).toBe(false);
    expect(run.supervisor.exited(killed)).toBe(false);
    expect(run.children).toHaveLength(2);
    expect(run.supervisor.state).toEqual({ status: 'stopped', target, lastExit: killed });
    expect(run.clock.pending()).toEqual([]);
  });

  test('shutdown stops a live child', async () => {
    const run = setup();
    run.supervisor.start();
    run.latest().ready();
    await run.supervisor.shutdown();
    expect(run.stopped).toEqual([[1, 'shutdown']]);
    expect(run.latest().current).toBe(false);
    expect(run.latest().ready()).toBe(false);
  });

  test('60 s of healthy uptime re-arms the budget through the built-in timer', () => {
    const run = setup();
    run.supervisor.start();
    run.latest().exited(killed);
    run.clock.advance(0);
    run.latest().exited(killed);
    run.clock.advance(250);
    run.latest().ready();
    expect(run.supervisor.healthy()).toBe(false);
    expect(run.events.at(-1)).toMatchObject({ type: 'ignored', because: 'too-early' });
    run.clock.advance(60_000);
    expect(run.events.at(-1)).toEqual({ type: 'rearmed', generation: 3 });
    run.latest().exited(killed);
    expect(run.supervisor.state).toMatchObject({ status: 'recovering', attempt: 1, delayMs: 0 });
  });

  test('a second ready from the live child keeps its uptime: the budget re-arms on time, the new target is kept', () => {
    const created = 's_7zzzzzzzzzzzzzzzzzzzzzzzzz';
    const run = setup({ policy: { healthyAfterMs: 10_000 } }, ['target']);
    run.supervisor.start();
    for (let crash = 0; crash < 3; crash += 1) {
      run.latest().exited(killed);
      run.clock.advance(1000);
    }
    // The fourth child reports ready on spawn, then again once it knows its session.
    run.latest().ready();
    run.clock.advance(2000);
    expect(run.latest().ready(created)).toBe(true);
    run.clock.advance(8000); // 10 s since the first ready
    expect(run.events.at(-1)).toEqual({ type: 'rearmed', generation: 4 });
    run.clock.advance(1000);
    run.latest().exited(killed);
    expect(run.supervisor.state).toMatchObject({
      status: 'recovering',
      target: created,
      attempt: 1,
      delayMs: 0,
    });
    run.clock.advance(0);
    expect(run.targets.at(-1)).toBe(created);
  });

  test('a start that throws or rejects counts as an exit', async () => {
    let mode: 'throw' | 'reject' | 'ok' = 'throw';
    const run = setup({
      start: () => {
        if (mode === 'throw') throw new Error('spawn ENOENT');
        if (mode === 'reject') return Promise.reject(new Error('handshake timed out'));
        return undefined;
      },
    });
    run.supervisor.start();
    expect(run.supervisor.state).toMatchObject({
      status: 'recovering',
      attempt: 1,
      lastExit: { code: null, signal: null, reason: 'start-failed', detail: 'Error: spawn ENOENT' },
    });
    mode = 'reject';
    run.clock.advance(0);
    await run.flush();
    expect(run.supervisor.state).toMatchObject({
      status: 'recovering',
      attempt: 2,
      lastExit: { reason: 'start-failed', detail: 'Error: handshake timed out' },
    });
    mode = 'ok';
    run.clock.advance(1000);
    expect(run.supervisor.state).toMatchObject({ status: 'recovering', phase: 'starting' });
  });

  test('ready(target) learns the session a first start created; retarget switches it', () => {
    const created = 's_7zzzzzzzzzzzzzzzzzzzzzzzzz';
    const run = setup({}, ['target']);
    run.supervisor.start();
    expect(run.targets).toEqual([undefined]);
    run.latest().ready(created);
    expect(run.supervisor.target).toBe(created);
    run.latest().exited(killed);
    run.clock.advance(0);
    expect(run.targets).toEqual([undefined, created]);
    run.supervisor.retarget(target);
    expect(run.supervisor.state.target).toBe(target);
  });

  test('subscribers see every state; the state object is stable between changes', () => {
    const run = setup();
    const seen: string[] = [];
    const unsubscribe = run.supervisor.subscribe((state) => seen.push(state.status));
    run.supervisor.start();
    const snapshot = run.supervisor.state;
    expect(run.supervisor.state).toBe(snapshot);
    run.latest().ready();
    unsubscribe();
    run.latest().exited(killed);
    expect(seen).toEqual(['starting', 'live']);
    expect(run.states.map((state) => state.status)).toEqual(['starting', 'live', 'recovering']);
  });

  test('options that could only fail later are refused at creation, saying what to give', () => {
    const withoutStart = { target } as RecoverySupervisorOptions;
    expect(() => createRecoverySupervisor(withoutStart)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message:
          'createRecoverySupervisor needs a start(target, child) function that spawns or attaches the child (got undefined)',
      }) as Error,
    );
    const stopNotAFunction = {
      start: () => undefined,
      stop: true,
    } as unknown as RecoverySupervisorOptions;
    expect(() => createRecoverySupervisor(stopNotAFunction)).toThrow(
      'createRecoverySupervisor option stop must be a function when given (got true)',
    );
    expect(() =>
      createRecoverySupervisor({ start: () => undefined, policy: { windowMs: 0 } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_POLICY' }) as Error);
  });

  test('works on the real timers by default', async () => {
    const starts: SupervisedChild[] = [];
    const supervisor = createRecoverySupervisor({
      target,
      start: (_target, child) => void starts.push(child),
    });
    supervisor.start();
    starts[0]!.ready();
    starts[0]!.exited(killed);
    await vi.waitFor(() => expect(starts).toHaveLength(2));
    await supervisor.shutdown();
  });
});
