import { RecoveryError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import {
  createRecoveryPlanner,
  hasBeenHealthy,
  type ChildExit,
  type RecoveryDecision,
} from './planner.js';
import type { RecoveryPolicy } from './policy.js';

/** An opaque timer handle, as returned by the injected `setTimer`. */
export type TimerHandle = unknown;

/** Which recovery attempt a start is, when it is one. */
export interface RecoveryAttempt {
  /** Attempt number in the current budget, from 1. */
  readonly attempt: number;
  /** Attempts allowed per window. */
  readonly of: number;
  /** `exit`: automatic after a death; `manual`: `recoverNow()`. */
  readonly trigger: 'exit' | 'manual';
}

/**
 * One started child, as the `start` function sees it. Report through this handle rather than
 * through the supervisor when you can: a report from a child that is no longer the current one
 * (a late `close` after its `exit`, an `error` after a replacement started) is ignored by
 * generation instead of being taken for the new child's.
 */
export interface SupervisedChild<Target = string> {
  /** 1 for the first start, +1 for each start after. */
  readonly generation: number;
  /** The target this start should serve (`undefined`: none known yet, start a new one). */
  readonly target: Target | undefined;
  /** `undefined` for the first start, else which recovery attempt this is. */
  readonly attempt: RecoveryAttempt | undefined;
  /** Whether this child is still the supervised one (not exited, stopped or replaced). */
  readonly current: boolean;
  /** The child is serving; pass the target it serves if the start created one. */
  ready(target?: Target): boolean;
  /** The child is gone. Call it for every signal of death you have: only the first one counts. */
  exited(exit: ChildExit): boolean;
  /**
   * Re-arms the budget if the child has been up `healthyAfterMs` since ready (the supervisor's
   * own timer does this too); `false` and nothing changes when it has not.
   */
  healthy(): boolean;
}

/** What the supervisor publishes for a UI. Every state carries the target. */
export type SupervisorState<Target = string> =
  | { readonly status: 'idle'; readonly target: Target | undefined }
  | {
      readonly status: 'starting';
      readonly target: Target | undefined;
      readonly generation: number;
    }
  | {
      readonly status: 'live';
      readonly target: Target | undefined;
      readonly generation: number;
    }
  | {
      readonly status: 'recovering';
      readonly target: Target | undefined;
      readonly attempt: number;
      readonly of: number;
      /** Delay chosen before this attempt. */
      readonly delayMs: number;
      readonly trigger: 'exit' | 'manual';
      /** How the previous child ended (`undefined` for a manual recover of a live child). */
      readonly lastExit: ChildExit | undefined;
      /** `stopping` the old child, `waiting` out the delay, or `starting` the new one. */
      readonly phase: 'stopping' | 'waiting' | 'starting';
    }
  | {
      readonly status: 'gave-up';
      readonly target: Target | undefined;
      readonly reason: 'budget-exhausted';
      readonly attemptsInWindow: number;
      readonly of: number;
      readonly windowMs: number;
      readonly lastExit: ChildExit | undefined;
    }
  | {
      readonly status: 'stopped';
      readonly target: Target | undefined;
      readonly lastExit: ChildExit | undefined;
    };

/** Why something the supervisor was told was not acted on. */
export type IgnoredBecause = 'stale' | 'shutdown' | 'not-started' | 'no-stop' | 'too-early';

/** A log of what the supervisor did, for crash-log breadcrumbs. */
export type SupervisorEvent<Target = string> =
  | {
      readonly type: 'start';
      readonly generation: number;
      readonly target: Target | undefined;
      readonly attempt: RecoveryAttempt | undefined;
    }
  | {
      readonly type: 'ready';
      readonly generation: number;
      readonly target: Target | undefined;
    }
  | {
      readonly type: 'exit';
      readonly generation: number;
      readonly exit: ChildExit;
      /** `recover` (with delay and attempt) or `give-up`. */
      readonly decision: Exclude<RecoveryDecision<Target>, { type: 'nothing' }>;
    }
  | { readonly type: 'rearmed'; readonly generation: number }
  | {
      readonly type: 'stop';
      readonly generation: number;
      readonly reason: 'manual-recover' | 'shutdown';
    }
  | { readonly type: 'manual-recover' }
  | { readonly type: 'shutdown' }
  | {
      readonly type: 'ignored';
      readonly report: 'exit' | 'ready' | 'healthy' | 'recover' | 'start';
      readonly generation: number | undefined;
      readonly because: IgnoredBecause;
    };

/** Options of {@link createRecoverySupervisor}. */
export interface RecoverySupervisorOptions<Target = string> {
  /** The target to serve and recover to; may be learnt from `ready(target)` instead. */
  readonly target?: Target;
  /**
   * Spawns or attaches the child for `target` and wires its reports to `child`
   * (`child.ready()`, `child.exited()`). `target` is `undefined` while none is known (no `target`
   * option, and no `ready(target)` yet): start a new one then. A throw or a rejection counts as an
   * exit (`reason: 'start-failed'`). Required.
   */
  readonly start: (
    target: Target | undefined,
    child: SupervisedChild<Target>,
  ) => void | Promise<void>;
  /**
   * Ends a child: for a manual recover of a live child, and at shutdown. The supervisor waits for
   * it to settle before starting a replacement. Without it, `recoverNow()` on a live child is
   * refused.
   */
  readonly stop?: (
    child: SupervisedChild<Target>,
    reason: 'manual-recover' | 'shutdown',
  ) => void | Promise<void>;
  /** Overrides of `DEFAULT_RECOVERY_POLICY`. */
  readonly policy?: Partial<RecoveryPolicy>;
  /** @default Date.now */
  readonly clock?: () => number;
  /**
   * Uniform numbers in [0, 1), for the jitter.
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * Schedules a callback.
   * @default setTimeout (the healthy timer is unref'd; the recovery timer is not)
   */
  readonly setTimer?: (callback: () => void, ms: number) => TimerHandle;
  /** @default clearTimeout */
  readonly clearTimer?: (handle: TimerHandle) => void;
  /**
   * Arm a timer at ready that calls `healthy()` after `healthyAfterMs`. Turn it off to check
   * health yourself (calling `healthy()` from your own timer or health probe).
   * @default true
   */
  readonly healthyTimer?: boolean;
  /** Called with every new state (also available through `subscribe`). */
  readonly onState?: (state: SupervisorState<Target>) => void;
  /** Called with every action and every ignored report, for breadcrumbs. */
  readonly onEvent?: (event: SupervisorEvent<Target>) => void;
}

/** Applies the recovery planner to one child. */
export interface RecoverySupervisor<Target = string> {
  /** The current state; the same object until it changes (fit for `useSyncExternalStore`). */
  readonly state: SupervisorState<Target>;
  /** The durable target. */
  readonly target: Target | undefined;
  /** First start. `false` if already started or shut down. */
  start(): boolean;
  /** The current child is serving. Prefer `child.ready()` from `start`. */
  ready(target?: Target): boolean;
  /** The current child is gone. Prefer `child.exited()` from `start`. */
  exited(exit: ChildExit): boolean;
  /** Re-arms the budget if the current child has been up `healthyAfterMs` since ready. */
  healthy(): boolean;
  /**
   * Manual recover: resets the budget and starts at once, stopping a live child
   * first. Always allowed except after shutdown (or on a live child without `stop`).
   */
  recoverNow(): boolean;
  /** Recover to another target from now on. */
  retarget(target: Target): void;
  /** Stops for good: cancels every timer, stops the child, and never starts another. */
  shutdown(): Promise<void>;
  /** Listens to state changes; returns the unsubscribe function. */
  subscribe(listener: (state: SupervisorState<Target>) => void): () => void;
}

interface ChildRecord<Target> {
  readonly generation: number;
  alive: boolean;
  readonly handle: SupervisedChild<Target>;
}

type PendingRecovery<Target> = Extract<RecoveryDecision<Target>, { type: 'recover' }> & {
  readonly lastExit: ChildExit | undefined;
};

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function errorMessage(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return text.split(/\r?\n/, 1)[0] ?? '';
  } catch {
    return 'unprintable error';
  }
}

const optionalCallbacks = [
  'stop',
  'clock',
  'random',
  'setTimer',
  'clearTimer',
  'onState',
  'onEvent',
] as const;

/** Refuses options that could only fail later, inside a start or a timer, where no caller sees it. */
function checkSupervisorOptions(options: unknown): void {
  const given = options as Partial<Record<keyof RecoverySupervisorOptions, unknown>> | undefined;
  if (typeof given?.start !== 'function') {
    throw new RecoveryError(
      'INVALID_OPTION',
      `createRecoverySupervisor needs a start(target, child) function that spawns or attaches the child (got ${describeValue(given?.start)})`,
    );
  }
  for (const name of optionalCallbacks) {
    const value = given[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new RecoveryError(
        'INVALID_OPTION',
        `createRecoverySupervisor option ${name} must be a function when given (got ${describeValue(value)})`,
      );
    }
  }
}

/**
 * Creates the single recovery owner of one connection. It starts the child through `start`,
 * learns of its death through `exited` (any number of times: only the first report of the current
 * child counts), asks the planner what to do and does it: one timer, one start, never two children
 * at once, nothing after `shutdown()`.
 * @throws RecoveryError (`INVALID_OPTION`) without a `start` function, or for a callback option
 *   that is not a function; (`INVALID_POLICY`) for a policy that cannot work
 */
export function createRecoverySupervisor<Target = string>(
  options: RecoverySupervisorOptions<Target>,
): RecoverySupervisor<Target> {
  checkSupervisorOptions(options);
  const clock = options.clock ?? Date.now;
  const planner = createRecoveryPlanner<Target>({
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    clock,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const customTimers = options.setTimer !== undefined;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer =
    options.clearTimer ?? ((handle: TimerHandle) => clearTimeout(handle as NodeJS.Timeout));
  const listeners = new Set<(state: SupervisorState<Target>) => void>();

  let state: SupervisorState<Target> = { status: 'idle', target: options.target };
  let generation = 0;
  let child: ChildRecord<Target> | undefined;
  let pending: PendingRecovery<Target> | undefined;
  // Boxed: a timer handle may be any value, `undefined` and `0` included.
  let recoveryTimer: { readonly handle: TimerHandle } | undefined;
  let healthyTimer: { readonly handle: TimerHandle } | undefined;
  let stopping: Promise<void> | undefined;
  let shutdownPromise: Promise<void> | undefined;
  let shuttingDown = false;

  const emit = (event: SupervisorEvent<Target>): void => {
    options.onEvent?.(event);
  };

  const publish = (next: SupervisorState<Target>): void => {
    state = next;
    for (const listener of [...(options.onState ? [options.onState] : []), ...listeners]) {
      try {
        listener(next);
      } catch (error) {
        // A broken listener must not leave the supervisor half-way through a transition.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  const cancelRecoveryTimer = (): void => {
    if (recoveryTimer === undefined) return;
    clearTimer(recoveryTimer.handle);
    recoveryTimer = undefined;
  };

  const cancelHealthyTimer = (): void => {
    if (healthyTimer === undefined) return;
    clearTimer(healthyTimer.handle);
    healthyTimer = undefined;
  };

  const recoveringState = (
    recovery: PendingRecovery<Target>,
    phase: 'stopping' | 'waiting' | 'starting',
  ): SupervisorState<Target> => ({
    status: 'recovering',
    target: planner.state.target,
    attempt: recovery.attempt,
    of: recovery.of,
    delayMs: recovery.delayMs,
    trigger: recovery.trigger,
    lastExit: recovery.lastExit,
    phase,
  });

  const ignored = (
    report: Extract<SupervisorEvent<Target>, { type: 'ignored' }>['report'],
    record: ChildRecord<Target> | undefined,
    because: IgnoredBecause,
  ): false => {
    emit({ type: 'ignored', report, generation: record?.generation, because });
    return false;
  };

  const spawn = (recovery: PendingRecovery<Target> | undefined): void => {
    generation += 1;
    const target = planner.state.target;
    const attempt: RecoveryAttempt | undefined = recovery && {
      attempt: recovery.attempt,
      of: recovery.of,
      trigger: recovery.trigger,
    };
    const handle: SupervisedChild<Target> = {
      generation,
      target,
      attempt,
      get current() {
        return child === record && record.alive && !shuttingDown;
      },
      ready: (readyTarget) => readyFor(record, readyTarget),
      exited: (exit) => exitedFor(record, exit),
      healthy: () => healthyFor(record),
    };
    const record: ChildRecord<Target> = { generation, alive: true, handle };
    child = record;
    if (recovery) planner.started();
    publish(
      recovery ? recoveringState(recovery, 'starting') : { status: 'starting', target, generation },
    );
    emit({ type: 'start', generation, target, attempt });
    // A listener may have reacted to the new state by stopping or replacing this child already.
    if (child !== record || !record.alive || shuttingDown) return;
    const failed = (error: unknown): void => {
      exitedFor(record, {
        code: null,
        signal: null,
        reason: 'start-failed',
        detail: errorMessage(error),
      });
    };
    try {
      const result = options.start(target, record.handle);
      if (isThenable(result)) result.then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  };

  const follow = (decision: RecoveryDecision<Target>, lastExit: ChildExit | undefined): void => {
    if (decision.type === 'recover') {
      const recovery: PendingRecovery<Target> = { ...decision, lastExit };
      pending = recovery;
      publish(recoveringState(recovery, 'waiting'));
      // Even a zero delay goes through the timer: every other report of the same death that
      // arrives in this tick meets a supervisor with no current child, and is ignored.
      const handle = setTimer(() => {
        recoveryTimer = undefined;
        if (shuttingDown || pending !== recovery) return;
        spawn(recovery);
      }, decision.delayMs);
      // A listener may have started a manual recover meanwhile: then this timer is moot.
      if (pending === recovery) recoveryTimer = { handle };
      else clearTimer(handle);
    } else if (decision.type === 'give-up') {
      pending = undefined;
      publish({
        status: 'gave-up',
        target: decision.target,
        reason: decision.reason,
        attemptsInWindow: decision.attemptsInWindow,
        of: decision.of,
        windowMs: decision.windowMs,
        lastExit,
      });
    }
  };

  function exitedFor(record: ChildRecord<Target>, exit: ChildExit): boolean {
    if (shuttingDown) return ignored('exit', record, 'shutdown');
    if (record !== child || !record.alive) return ignored('exit', record, 'stale');
    record.alive = false;
    cancelHealthyTimer();
    const decision = planner.exit(exit);
    if (decision.type !== 'nothing') {
      emit({ type: 'exit', generation: record.generation, exit, decision });
    }
    follow(decision, exit);
    return true;
  }

  function readyFor(record: ChildRecord<Target>, target: Target | undefined): boolean {
    if (shuttingDown) return ignored('ready', record, 'shutdown');
    if (record !== child || !record.alive) return ignored('ready', record, 'stale');
    planner.ready(target);
    if (state.status === 'live') {
      // Already serving: only the target can change.
      if (state.target !== planner.state.target) {
        publish({ ...state, target: planner.state.target });
      }
      return true;
    }
    pending = undefined;
    publish({ status: 'live', target: planner.state.target, generation: record.generation });
    emit({ type: 'ready', generation: record.generation, target: planner.state.target });
    if (options.healthyTimer !== false) {
      cancelHealthyTimer();
      const handle = setTimer(() => {
        healthyTimer = undefined;
        healthyFor(record);
      }, planner.policy.healthyAfterMs);
      healthyTimer = { handle };
      // The default timer must not keep a process alive just to re-arm a budget.
      if (!customTimers) (handle as NodeJS.Timeout).unref();
    }
    return true;
  }

  function healthyFor(record: ChildRecord<Target>): boolean {
    if (shuttingDown) return ignored('healthy', record, 'shutdown');
    if (record !== child || !record.alive || state.status !== 'live') {
      return ignored('healthy', record, 'stale');
    }
    if (!hasBeenHealthy(planner.state, clock(), planner.policy)) {
      return ignored('healthy', record, 'too-early');
    }
    cancelHealthyTimer();
    planner.healthy();
    emit({ type: 'rearmed', generation: record.generation });
    return true;
  }

  const recoverNow = (): boolean => {
    if (shuttingDown) return ignored('recover', child, 'shutdown');
    // A manual recover is already stopping the old child; its start follows.
    if (stopping) return true;
    const live = child?.alive ? child : undefined;
    if (live && !options.stop) return ignored('recover', live, 'no-stop');
    cancelRecoveryTimer();
    emit({ type: 'manual-recover' });
    const decision = planner.manual();
    if (decision.type !== 'recover') return false;
    if (!live) {
      const recovery: PendingRecovery<Target> = { ...decision, lastExit: planner.state.lastExit };
      pending = recovery;
      spawn(recovery);
      return true;
    }
    live.alive = false;
    cancelHealthyTimer();
    const recovery: PendingRecovery<Target> = { ...decision, lastExit: undefined };
    pending = recovery;
    publish(recoveringState(recovery, 'stopping'));
    emit({ type: 'stop', generation: live.generation, reason: 'manual-recover' });
    const stop = options.stop;
    const stopped = (async () => {
      try {
        await stop?.(live.handle, 'manual-recover');
      } catch {
        // The child is being replaced either way.
      }
    })();
    stopping = stopped;
    void stopped.then(() => {
      stopping = undefined;
      if (shuttingDown || pending !== recovery) return;
      spawn(recovery);
    });
    return true;
  };

  const shutdown = (): Promise<void> => {
    if (shutdownPromise) return shutdownPromise;
    shuttingDown = true;
    cancelRecoveryTimer();
    cancelHealthyTimer();
    pending = undefined;
    const live = child?.alive ? child : undefined;
    if (live) live.alive = false;
    const inFlight = stopping;
    shutdownPromise = (async () => {
      if (live && options.stop) {
        emit({ type: 'stop', generation: live.generation, reason: 'shutdown' });
        try {
          await options.stop(live.handle, 'shutdown');
        } catch {
          // Shutting down regardless.
        }
      }
      if (inFlight) await inFlight;
    })();
    emit({ type: 'shutdown' });
    publish({ status: 'stopped', target: planner.state.target, lastExit: planner.state.lastExit });
    return shutdownPromise;
  };

  return {
    get state() {
      return state;
    },
    get target() {
      return planner.state.target;
    },
    start() {
      if (shuttingDown) return ignored('start', undefined, 'shutdown');
      if (state.status !== 'idle') return false;
      spawn(undefined);
      return true;
    },
    ready: (target) =>
      child ? readyFor(child, target) : ignored('ready', undefined, 'not-started'),
    exited: (exit) => (child ? exitedFor(child, exit) : ignored('exit', undefined, 'not-started')),
    healthy: () => (child ? healthyFor(child) : ignored('healthy', undefined, 'not-started')),
    recoverNow,
    retarget(target) {
      planner.retarget(target);
      if (state.target !== target) publish({ ...state, target });
    },
    shutdown,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
