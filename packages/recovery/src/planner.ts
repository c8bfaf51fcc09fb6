import { RecoveryError } from './errors.js';
import {
  assertRecoveryPolicy,
  backoffDelay,
  resolveRecoveryPolicy,
  type RecoveryPolicy,
} from './policy.js';

/** How a supervised child ended. */
export interface ChildExit {
  /** Exit code, or `null` when it was killed by a signal or never started. */
  readonly code: number | null;
  /** Signal name such as `SIGKILL`, or `null`. */
  readonly signal: string | null;
  /** What reported the end: `exit`, `error`, `start-failed`, `transport-closed`, … */
  readonly reason?: string;
  /** One more line for humans: an error message, the last stderr line. */
  readonly detail?: string;
}

/** Everything the planner remembers. Plain data: store it, log it, compare it. */
export interface RecoveryState<Target = string> {
  /** The target every recovery goes back to; `undefined` until one is known. */
  readonly target: Target | undefined;
  /** Start times of the attempts counted against the budget (the newest may be a planned time). */
  readonly attemptTimes: readonly number[];
  /** When the current child first reported ready; `undefined` while none is up. */
  readonly lastReadyAt: number | undefined;
  /** How the last child ended. */
  readonly lastExit: ChildExit | undefined;
  /** A `recover` decision was made and its attempt has not reported `started` yet. */
  readonly awaitingStart: boolean;
}

/** What happened, and when (milliseconds on the injected clock). */
export type RecoveryEvent<Target = string> =
  /** The child died: exited, was killed, failed to start, or its transport closed. */
  | { readonly type: 'exit'; readonly at: number; readonly exit: ChildExit }
  /**
   * The child is serving; `target` when it reports which target it serves. A repeated
   * ready from a child that is already up may change the target but not the uptime.
   */
  | { readonly type: 'ready'; readonly at: number; readonly target?: Target }
  /**
   * Health check: when the child has been up `healthyAfterMs` since ready, the budget is
   * re-armed; earlier it changes nothing, so no caller can shorten the budget's window.
   */
  | { readonly type: 'healthy'; readonly at: number }
  /** The user asked to recover: always allowed, resets the budget. */
  | { readonly type: 'manual'; readonly at: number }
  /** The attempt of the last `recover` decision actually started now (timers can run late). */
  | { readonly type: 'started'; readonly at: number }
  /** Recover to another target from now on. */
  | { readonly type: 'retarget'; readonly target: Target };

/** The planner's answer to an event. */
export type RecoveryDecision<Target = string> =
  | {
      readonly type: 'recover';
      /** The target to go back to: the same one, whether or not the child got to ready. */
      readonly target: Target | undefined;
      /** Wait this long, then start. */
      readonly delayMs: number;
      /** This attempt's number in the budget, from 1. */
      readonly attempt: number;
      /** The budget: attempts allowed per window. */
      readonly of: number;
      readonly trigger: 'exit' | 'manual';
    }
  | {
      readonly type: 'give-up';
      /** Still the target: a manual recover goes back to it. */
      readonly target: Target | undefined;
      readonly reason: 'budget-exhausted';
      /** Attempts already made in the current window. */
      readonly attemptsInWindow: number;
      readonly of: number;
      readonly windowMs: number;
    }
  | { readonly type: 'nothing' };

/** The planner's inputs besides state and event. */
export interface RecoveryContext {
  /** A whole policy: {@link DEFAULT_RECOVERY_POLICY}, or `resolveRecoveryPolicy(overrides)`. */
  readonly policy: RecoveryPolicy;
  /** Uniform numbers in [0, 1), for the jitter. */
  readonly random: () => number;
}

/** The state before anything happened. */
export function initialRecoveryState<Target = string>(target?: Target): RecoveryState<Target> {
  return {
    target,
    attemptTimes: [],
    lastReadyAt: undefined,
    lastExit: undefined,
    awaitingStart: false,
  };
}

const nothing: RecoveryDecision<never> = Object.freeze({ type: 'nothing' });

/** Attempts still inside the window ending at `at` (a planned future time counts). */
export function attemptsInWindow<Target = string>(
  state: RecoveryState<Target>,
  at: number,
  policy: RecoveryPolicy,
): readonly number[] {
  return state.attemptTimes.filter((time) => at - time < policy.windowMs);
}

/** Whether the current child has been up `healthyAfterMs` since its first ready, at `at`. */
export function hasBeenHealthy<Target = string>(
  state: RecoveryState<Target>,
  at: number,
  policy: RecoveryPolicy,
): boolean {
  return state.lastReadyAt !== undefined && at - state.lastReadyAt >= policy.healthyAfterMs;
}

/**
 * The recovery planner, as a pure function: the same state, event, policy and random numbers give
 * the same answer. An exit is answered with `recover` (immediately for the first attempt of a
 * window, then with exponential backoff and jitter) until `maxAttempts` attempts sit in the
 * sliding window, then with `give-up`; the target never changes on an exit. `manual` always
 * answers `recover` at once and resets the budget (it counts as attempt 1 of a fresh one).
 * Uptime of `healthyAfterMs` after ready re-arms the budget, whether checked with `healthy` or
 * noticed at the next exit; nothing shorter does.
 * @param context required: `{ policy, random }` ({@link createRecoveryPlanner} holds them for you)
 * @throws RecoveryError (`INVALID_OPTION`) without a context or its `random` function;
 *   (`INVALID_POLICY`) when its policy is not a whole policy that can work
 */
export function planRecovery<Target = string>(
  state: RecoveryState<Target>,
  event: RecoveryEvent<Target>,
  context: RecoveryContext,
): { state: RecoveryState<Target>; decision: RecoveryDecision<Target> } {
  const given = context as Partial<RecoveryContext> | undefined;
  if (typeof given?.random !== 'function') {
    throw new RecoveryError(
      'INVALID_OPTION',
      'planRecovery(state, event, context) needs its context, { policy, random }: for example { policy: DEFAULT_RECOVERY_POLICY, random: Math.random }; or let createRecoveryPlanner() hold them',
    );
  }
  assertRecoveryPolicy(
    given.policy,
    'give planRecovery a whole policy: DEFAULT_RECOVERY_POLICY or resolveRecoveryPolicy(overrides)',
  );
  const { policy } = context;
  switch (event.type) {
    case 'exit': {
      const wasHealthy = hasBeenHealthy(state, event.at, policy);
      const counted = attemptsInWindow(
        wasHealthy ? { ...state, attemptTimes: [] } : state,
        event.at,
        policy,
      );
      const base = { ...state, lastReadyAt: undefined, lastExit: event.exit };
      if (counted.length >= policy.maxAttempts) {
        return {
          state: { ...base, attemptTimes: counted, awaitingStart: false },
          decision: {
            type: 'give-up',
            target: state.target,
            reason: 'budget-exhausted',
            attemptsInWindow: counted.length,
            of: policy.maxAttempts,
            windowMs: policy.windowMs,
          },
        };
      }
      const attempt = counted.length + 1;
      const delayMs = backoffDelay(attempt, policy, context.random);
      return {
        state: { ...base, attemptTimes: [...counted, event.at + delayMs], awaitingStart: true },
        decision: {
          type: 'recover',
          target: state.target,
          delayMs,
          attempt,
          of: policy.maxAttempts,
          trigger: 'exit',
        },
      };
    }
    case 'manual':
      return {
        state: { ...state, attemptTimes: [event.at], lastReadyAt: undefined, awaitingStart: true },
        decision: {
          type: 'recover',
          target: state.target,
          delayMs: 0,
          attempt: 1,
          of: policy.maxAttempts,
          trigger: 'manual',
        },
      };
    case 'started': {
      if (!state.awaitingStart) return { state, decision: nothing };
      const times = [...state.attemptTimes];
      const planned = times.pop();
      // Count the attempt from when it really started, never earlier than planned.
      times.push(planned === undefined ? event.at : Math.max(planned, event.at));
      return { state: { ...state, attemptTimes: times, awaitingStart: false }, decision: nothing };
    }
    case 'ready':
      return {
        state: {
          ...state,
          // A child often reports ready twice (on spawn, then with its target): its uptime, and
          // so the re-arm of the budget, still counts from the first.
          lastReadyAt: state.lastReadyAt ?? event.at,
          target: event.target ?? state.target,
        },
        decision: nothing,
      };
    case 'healthy':
      return hasBeenHealthy(state, event.at, policy)
        ? { state: { ...state, attemptTimes: [] }, decision: nothing }
        : { state, decision: nothing };
    case 'retarget':
      return { state: { ...state, target: event.target }, decision: nothing };
  }
}

/** Options of {@link createRecoveryPlanner}. */
export interface RecoveryPlannerOptions<Target = string> {
  /** The target to recover to; may be learnt later from `ready(target)`. */
  readonly target?: Target;
  /** Overrides of {@link DEFAULT_RECOVERY_POLICY}. */
  readonly policy?: Partial<RecoveryPolicy>;
  /**
   * @default Date.now
   */
  readonly clock?: () => number;
  /**
   * Uniform numbers in [0, 1) for the jitter.
   * @default Math.random
   */
  readonly random?: () => number;
}

/** {@link planRecovery} with its state, clock and random source held for you. */
export interface RecoveryPlanner<Target = string> {
  readonly state: RecoveryState<Target>;
  readonly policy: RecoveryPolicy;
  exit(exit: ChildExit): RecoveryDecision<Target>;
  ready(target?: Target): RecoveryDecision<Target>;
  healthy(): RecoveryDecision<Target>;
  manual(): RecoveryDecision<Target>;
  started(): RecoveryDecision<Target>;
  retarget(target: Target): RecoveryDecision<Target>;
}

/**
 * A stateful wrapper around {@link planRecovery} that stamps events with the injected clock.
 * @throws RecoveryError (`INVALID_POLICY`) for a policy that cannot work
 */
export function createRecoveryPlanner<Target = string>(
  options: RecoveryPlannerOptions<Target> = {},
): RecoveryPlanner<Target> {
  const policy = resolveRecoveryPolicy(options.policy);
  const clock = options.clock ?? Date.now;
  const context: RecoveryContext = { policy, random: options.random ?? Math.random };
  let state = initialRecoveryState(options.target);
  const apply = (event: RecoveryEvent<Target>): RecoveryDecision<Target> => {
    const result = planRecovery(state, event, context);
    state = result.state;
    return result.decision;
  };
  return {
    get state() {
      return state;
    },
    policy,
    exit: (exit) => apply({ type: 'exit', at: clock(), exit }),
    ready: (target) =>
      apply(
        target === undefined
          ? { type: 'ready', at: clock() }
          : { type: 'ready', at: clock(), target },
      ),
    healthy: () => apply({ type: 'healthy', at: clock() }),
    manual: () => apply({ type: 'manual', at: clock() }),
    started: () => apply({ type: 'started', at: clock() }),
    retarget: (target) => apply({ type: 'retarget', target }),
  };
}
