import type { ChildExit } from './planner.js';
import type { SupervisorEvent, SupervisorState } from './supervisor.js';

/** How a child ended, in a word or two: `SIGKILL`, `code 1`, `start-failed: spawn ENOENT`. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal) return exit.signal;
  if (exit.code !== null) return `code ${exit.code}`;
  const reason = exit.reason ?? 'unknown';
  return exit.detail ? `${reason}: ${exit.detail}` : reason;
}

/** Options of {@link describeSupervisorState}. */
export interface DescribeOptions {
  /**
   * What the supervised child is called.
   * @default 'gateway'
   */
  readonly subject?: string;
  /**
   * The command that recovers by hand, shown once the supervisor gave up.
   * @default '/recover'
   */
  readonly recoverCommand?: string;
}

/**
 * One status line for a UI:
 * `gateway exited (SIGKILL) — recovering session… attempt 1/3`, `gave up — /recover`,
 * `gateway ready`, `starting gateway…`, `gateway stopped`.
 */
export function describeSupervisorState(
  state: SupervisorState,
  options: DescribeOptions = {},
): string {
  const subject = options.subject ?? 'gateway';
  switch (state.status) {
    case 'idle':
      return `${subject} not started`;
    case 'starting':
      return `starting ${subject}…`;
    case 'live':
      return `${subject} ready`;
    case 'recovering': {
      const progress = `recovering session… attempt ${state.attempt}/${state.of}`;
      return state.lastExit && state.trigger === 'exit'
        ? `${subject} exited (${describeExit(state.lastExit)}) — ${progress}`
        : progress;
    }
    case 'gave-up':
      return `gave up — ${options.recoverCommand ?? '/recover'}`;
    case 'stopped':
      return `${subject} stopped`;
  }
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
export function supervisorEventBreadcrumb(event: SupervisorEvent): SupervisorBreadcrumb {
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
