import type { ChildExit } from './planner.js';
import type { SupervisorEvent, SupervisorState } from './supervisor.js';
import { RecoveryError } from './errors.js';

/** How a child ended, in a word or two: `SIGKILL`, `code 1`, `start-failed: spawn ENOENT`. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal) return exit.signal;
  if (exit.code !== null) return `code ${exit.code}`;
  const reason = exit.reason ?? 'unknown';
  return exit.detail ? `${reason}: ${exit.detail}` : reason;
}

/** Options of {@link describeSupervisorState}: the words a UI uses for what is supervised. */
export interface DescribeOptions {
  /**
   * What the supervised child is called, e.g. `'gateway'`.
   * @default 'child'
   */
  readonly subject?: string;
  /** What recovery goes back to, e.g. `'session'`: `recovering session… attempt 1/3`. */
  readonly targetName?: string;
  /** How to recover by hand, shown once the supervisor gave up, e.g. `'/recover'`. */
  readonly recoverCommand?: string;
}

/**
 * One status line for a UI. With the default words: `child exited (SIGKILL) — recovering… attempt
 * 1/3`, `child exited (SIGKILL) — gave up after 3 recoveries within 1 min`, `child ready`,
 * `starting child…`, `child stopped`; with `{ subject: 'gateway', targetName: 'session',
 * recoverCommand: '/recover' }`: `gateway exited (SIGKILL) — recovering session… attempt 1/3`,
 * `gateway exited (SIGKILL) — gave up after 3 recoveries within 1 min — /recover`.
 */
export function describeSupervisorState<Target = string>(
  state: SupervisorState<Target>,
  options: DescribeOptions = {},
): string {
  const given: unknown = state;
  if (
    typeof given !== 'object' ||
    given === null ||
    typeof (given as { status?: unknown }).status !== 'string'
  ) {
    throw new RecoveryError(
      'INVALID_OPTION',
      `describeSupervisorState takes a supervisor's state (supervisor.state), got ${typeof given === 'object' && given !== null ? 'an object without a status' : String(given)}`,
    );
  }
  const subject = options.subject ?? 'child';
  switch (state.status) {
    case 'idle':
      return `${subject} not started`;
    case 'starting':
      return `starting ${subject}…`;
    case 'live':
      return `${subject} ready`;
    case 'recovering': {
      const recovering =
        options.targetName === undefined ? 'recovering' : `recovering ${options.targetName}`;
      const progress = `${recovering}… attempt ${state.attempt}/${state.of}`;
      return state.lastExit && state.trigger === 'exit'
        ? `${subject} exited (${describeExit(state.lastExit)}) — ${progress}`
        : progress;
    }
    case 'gave-up': {
      // Why, in the words of the budget: the recoveries it allows were all spent within its window.
      const why = `gave up after ${state.attemptsInWindow} recoveries within ${describeWindow(state.windowMs)}`;
      const gaveUp = state.lastExit
        ? `${subject} exited (${describeExit(state.lastExit)}) — ${why}`
        : why;
      return options.recoverCommand === undefined
        ? gaveUp
        : `${gaveUp} — ${options.recoverCommand}`;
    }
    case 'stopped':
      return `${subject} stopped`;
  }
}

/** A recovery budget's window in words: `1 min`, `90s`, `2 min`. */
function describeWindow(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)}s`;
}

/** A supervisor event as a crash-log breadcrumb: an event name and flat fields. */
export interface SupervisorBreadcrumb {
  readonly event: string;
  readonly fields: Readonly<Record<string, string | number | null | undefined>>;
}

/**
 * Names and flattens a {@link SupervisorEvent} for the crash log, so every app records recovery
 * the same way: `recovery.attempt`, `recovery.give-up`, `recovery.manual`, `recovery.rearmed`,
 * `supervisor.start|ready|stop|shutdown|ignored`. (No dependency on `@lifeline/crash-log`: pass the
 * result to `logger.breadcrumb(event, fields)`.)
 */
export function supervisorEventBreadcrumb<Target extends string | number = string>(
  event: SupervisorEvent<Target>,
): SupervisorBreadcrumb {
  switch (event.type) {
    case 'start':
      return {
        event: 'supervisor.start',
        fields: {
          generation: event.generation,
          target: event.target,
          attempt: event.attempt?.attempt,
          of: event.attempt?.of,
          trigger: event.attempt?.trigger,
        },
      };
    case 'ready':
      return {
        event: 'supervisor.ready',
        fields: { generation: event.generation, target: event.target },
      };
    case 'exit': {
      const exit = {
        generation: event.generation,
        code: event.exit.code,
        signal: event.exit.signal,
        reason: event.exit.reason,
        detail: event.exit.detail,
      };
      const { decision } = event;
      return decision.type === 'recover'
        ? {
            event: 'recovery.attempt',
            fields: {
              ...exit,
              target: decision.target,
              attempt: decision.attempt,
              of: decision.of,
              delayMs: decision.delayMs,
            },
          }
        : {
            event: 'recovery.give-up',
            fields: {
              ...exit,
              target: decision.target,
              why: decision.reason,
              attemptsInWindow: decision.attemptsInWindow,
              of: decision.of,
              windowMs: decision.windowMs,
            },
          };
    }
    case 'rearmed':
      return { event: 'recovery.rearmed', fields: { generation: event.generation } };
    case 'stop':
      return {
        event: 'supervisor.stop',
        fields: { generation: event.generation, reason: event.reason },
      };
    case 'manual-recover':
      return { event: 'recovery.manual', fields: {} };
    case 'shutdown':
      return { event: 'supervisor.shutdown', fields: {} };
    case 'ignored':
      return {
        event: 'supervisor.ignored',
        fields: { report: event.report, generation: event.generation, because: event.because },
      };
  }
}
