import os from 'node:os';
import type { CleanupRegistry } from './cleanup-registry.js';
import type { BreadcrumbWriter } from './crash-logger.js';
import { CrashLogError } from './errors.js';
import { summariseError } from './error-summary.js';
import { describeValue } from './internal/describe-value.js';

/** Options of {@link installProcessHooks}. */
export interface ProcessHooksOptions {
  /** Where the breadcrumbs go (usually this process's {@link CrashLogger}). Required. */
  readonly logger: BreadcrumbWriter;
  /**
   * Cleanups run on one of `signals` or `shutdown()`, bounded by `graceMs`; not on `exit()`, a
   * call of `process.exit()`, an uncaught exception, an unhandled rejection or a drained event
   * loop, which end the process without waiting for anything.
   */
  readonly cleanups?: CleanupRegistry;
  /**
   * How long cleanups may take before the exit is forced (the timer is unref'd: it never keeps the
   * process alive on its own).
   * @default 1000
   */
  readonly graceMs?: number;
  /**
   * Signals that start a shutdown. A second one during the shutdown exits at once (but SIGHUP after
   * SIGHUP, one hang-up told twice); the first one during a shutdown begun without a signal
   * (`shutdown()`) lets it go on, to exit with 128 + its number. Each must be a
   * signal this platform has that a process can catch (not `SIGKILL` or `SIGSTOP`).
   * @default ['SIGTERM', 'SIGHUP', 'SIGINT']
   */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Ends the process. Tests may replace it; with the default, a shutdown also sets
   * `process.exitCode`, so the code is right even if the event loop drains first.
   * @default process.exit
   */
  readonly exit?: (code: number) => void;
}

/** Why the process is ending, as recorded in the `exit` breadcrumb. */
export interface ExitReason {
  /** e.g. `signal`, `grace-expired`, `uncaught-exception`, `memory-critical`, `quit`. */
  readonly reason: string;
  /** The signal that started the shutdown, when one did. */
  readonly signal?: NodeJS.Signals;
}

/**
 * Installed hooks. Calling it (or `uninstall()`) removes every listener; a shutdown already under
 * way carries on.
 */
export interface ProcessHooks {
  (): void;
  /** Removes every listener the hooks added. */
  uninstall(): void;
  /**
   * Orderly exit: records the reason, runs the cleanups (bounded by the grace period) and exits
   * with `code`. Calling it again while a shutdown runs returns the same promise.
   * @param reason recorded in the `shutdown` and `exit` breadcrumbs, e.g. `quit`, `memory-critical`
   * @param code exit code
   * @default code 0
   */
  shutdown(reason: string, code?: number): Promise<void>;
  /** Exits now with `code` (no cleanups), recording `reason` in the `exit` breadcrumb. */
  exit(code: number, reason: string): void;
  /** Whether a shutdown has begun. */
  readonly shuttingDown: boolean;
}

/**
 * Whether the `exit` event being emitted comes from a call of `process.exit()`, which emits it
 * itself (its frame is then a few below the listener's); when the event loop drains, Node emits
 * it with no JavaScript below.
 */
function emittedByExitCall(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  const stack = new Error('exit').stack ?? '';
  Error.stackTraceLimit = limit;
  return /\n\s+at (?:process\.)?exit \(node:/.test(stack);
}

const uncatchableSignals = new Set(['SIGKILL', 'SIGSTOP']);

function checkSignals(signals: unknown): void {
  if (!Array.isArray(signals)) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `installProcessHooks signals must be an array of signal names such as ['SIGTERM', 'SIGINT'] (got ${describeValue(signals)})`,
    );
  }
  for (const signal of signals as unknown[]) {
    const known = typeof signal === 'string' && Object.hasOwn(os.constants.signals, signal);
    if (!known || uncatchableSignals.has(signal)) {
      throw new CrashLogError(
        'INVALID_OPTION',
        `installProcessHooks cannot hook the signal ${describeValue(signal)}: ${known ? 'no process can catch it' : 'this platform has no such signal'}; give names such as 'SIGTERM', 'SIGHUP' or 'SIGINT'`,
      );
    }
  }
}

/** The conventional exit code of a process ended by `signal`: 128 + its number. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + ((os.constants.signals[signal] as number | undefined) ?? 0);
}

/**
 * Hooks this process's signals and exit paths into the crash log:
 * - on each of `signals`: `signal.received signal=…`, run the cleanups, exit with 128 + signal
 *   number; if a cleanup hangs past `graceMs`, `shutdown.forced graceMs=… pending=…` and exit anyway;
 * - an uncaught exception or unhandled rejection: `uncaught.exception` / `unhandled.rejection`
 *   with the first line of the error (≤ 400 chars) and its first stack frame; Node then ends the
 *   process as it would have without the hooks (they only observe);
 * - every exit: `exit code=… reason=…` (`event-loop-drained` and `process.exit` when nothing
 *   more specific is known).
 *
 * The cleanups run only on one of `signals` and on `shutdown()`.
 * @throws CrashLogError (`INVALID_OPTION`) without a `logger`, or for a signal that is not one
 *   this platform has or that cannot be caught
 */
export function installProcessHooks(options: ProcessHooksOptions): ProcessHooks {
  const logger = (options as Partial<ProcessHooksOptions> | undefined)?.logger;
  if (typeof logger?.breadcrumb !== 'function') {
    throw new CrashLogError(
      'INVALID_OPTION',
      `installProcessHooks needs a logger, where its breadcrumbs go: pass the one createCrashLogger() made (got ${describeValue(logger)})`,
    );
  }
  const { cleanups } = options;
  const graceMs = options.graceMs ?? 1000;
  const signals = options.signals ?? ['SIGTERM', 'SIGHUP', 'SIGINT'];
  checkSignals(signals);
  const exitProcess = options.exit ?? ((code: number) => process.exit(code));

  let exitReason: ExitReason | undefined;
  let crash: 'uncaught-exception' | 'unhandled-rejection' | undefined;
  let shutdownPromise: Promise<void> | undefined;
  /** The code the shutdown under way exits with. */
  let shutdownCode = 0;
  let installed = true;

  const onExit = (code: number): void => {
    const reason =
      exitReason?.reason ??
      (crash !== undefined && code !== 0
        ? crash
        : emittedByExitCall()
          ? 'process.exit'
          : 'event-loop-drained');
    logger.breadcrumb('exit', { code, reason, signal: exitReason?.signal });
  };

  const onUncaught = (error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void => {
    const summary = summariseError(error);
    crash = origin === 'unhandledRejection' ? 'unhandled-rejection' : 'uncaught-exception';
    logger.breadcrumb(
      origin === 'unhandledRejection' ? 'unhandled.rejection' : 'uncaught.exception',
      { error: summary.message, at: summary.at },
    );
  };

  const exitNow = (code: number, reason: ExitReason): void => {
    exitReason = reason;
    exitProcess(code);
  };

  const beginShutdown = (reason: ExitReason, code: number): Promise<void> => {
    if (shutdownPromise) return shutdownPromise;
    exitReason = reason;
    shutdownCode = code;
    // Should the loop drain while a cleanup waits on nothing, the process still ends with `code`.
    if (!options.exit) process.exitCode = code;
    logger.breadcrumb('shutdown', { reason: reason.reason, signal: reason.signal, code, graceMs });
    shutdownPromise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.breadcrumb('shutdown.forced', {
          graceMs,
          pending: cleanups?.pending.join(',') || undefined,
        });
        exitNow(shutdownCode, { ...(exitReason ?? reason), reason: 'grace-expired' });
        resolve();
      }, graceMs);
      timer.unref();
      const finished = cleanups ? cleanups.run() : Promise.resolve([]);
      void finished.then((outcomes) => {
        for (const outcome of outcomes) {
          if (!outcome.ok) {
            logger.breadcrumb('cleanup.failed', {
              name: outcome.name,
              error: summariseError(outcome.error).message,
            });
          }
        }
        clearTimeout(timer);
        exitNow(shutdownCode, exitReason ?? reason);
        resolve();
      });
    });
    return shutdownPromise;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    const code = exitCodeForSignal(signal);
    if (shutdownPromise) {
      logger.breadcrumb('signal.received', { signal, during: 'shutdown' });
      // A hang-up is told more than once (to the session's leader and to its terminal's foreground
      // group): SIGHUP again is the same reason to leave, not someone insisting.
      if (signal === 'SIGHUP' && exitReason?.signal === 'SIGHUP') return;
      // The first signal of a shutdown begun without one is that shutdown's news again (a closed
      // terminal's SIGHUP after its EIO, a supervisor's SIGTERM after a quit): it goes on, to end
      // as that signal would have.
      if (exitReason?.signal === undefined) {
        exitReason = { ...(exitReason ?? { reason: 'signal' }), signal };
        shutdownCode = code;
        if (!options.exit) process.exitCode = code;
        return;
      }
      exitNow(code, { reason: 'second-signal', signal });
      return;
    }
    logger.breadcrumb('signal.received', { signal });
    void beginShutdown({ reason: 'signal', signal }, code);
  };

  const signalListeners = signals.map((signal) => {
    const listener = (): void => onSignal(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onUncaught);

  const uninstall = (): void => {
    if (!installed) return;
    installed = false;
    for (const [signal, listener] of signalListeners) process.off(signal, listener);
    process.off('exit', onExit);
    process.off('uncaughtExceptionMonitor', onUncaught);
  };

  const hooks = (): void => uninstall();
  Object.defineProperties(hooks, {
    uninstall: { value: uninstall },
    shutdown: { value: (reason: string, code = 0) => beginShutdown({ reason }, code) },
    exit: { value: (code: number, reason: string) => exitNow(code, { reason }) },
    shuttingDown: { get: () => shutdownPromise !== undefined },
  });
  return hooks as ProcessHooks;
}
