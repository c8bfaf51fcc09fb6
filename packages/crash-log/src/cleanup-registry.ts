import { CrashLogError } from './errors.js';
import { describeValue } from './internal/describe-value.js';

/** A cleanup: synchronous or asynchronous; it runs at most once. */
export type Cleanup = () => void | Promise<void>;

/** How one cleanup ended. */
export type CleanupOutcome =
  | { readonly name: string; readonly ok: true }
  | { readonly name: string; readonly ok: false; readonly error: unknown };

interface Registration {
  readonly name: string;
  readonly cleanup: Cleanup;
}

/**
 * What must happen before this process exits (close sockets, stop children, restore the terminal).
 * `run()` starts every registered cleanup once, newest first, without waiting for one to finish
 * before starting the next: a cleanup that hangs cannot keep the others from running, and
 * {@link installProcessHooks} bounds the whole run with its grace period. The hooks call `run()` on
 * a hooked signal and on `shutdown()` only: nothing runs the cleanups on `process.exit()`, an
 * uncaught exception or a drained event loop.
 */
export class CleanupRegistry {
  readonly #registered = new Set<Registration>();
  readonly #running = new Set<Registration>();
  /** One promise per cleanup started by the run, late ones included. */
  readonly #started: Array<Promise<CleanupOutcome>> = [];
  #run: Promise<CleanupOutcome[]> | undefined;

  /**
   * Registers a cleanup; returns a function that unregisters it (a no-op once it has run). A
   * cleanup added after `run()` began (by another cleanup, say) is started at once, and the run
   * waits for it too, so nothing added late is skipped or cut short.
   * @param name short label used in breadcrumbs (`pending=…`, `cleanup.failed name=…`)
   * @throws CrashLogError (`INVALID_OPTION`) when `name` is not a non-empty string or `cleanup`
   *   not a function
   */
  add(name: string, cleanup: Cleanup): () => void {
    if (typeof name !== 'string' || name === '') {
      throw new CrashLogError(
        'INVALID_OPTION',
        `a cleanup needs a name, a short label for the crash log such as 'close-server' (got ${describeValue(name)})`,
      );
    }
    if (typeof cleanup !== 'function') {
      throw new CrashLogError(
        'INVALID_OPTION',
        `cleanup ${JSON.stringify(name)} must be a function, run at shutdown (got ${describeValue(cleanup)})`,
      );
    }
    const registration: Registration = { name, cleanup };
    if (this.#run) {
      this.#started.push(this.#start(registration));
      return () => undefined;
    }
    this.#registered.add(registration);
    return () => {
      this.#registered.delete(registration);
    };
  }

  /** How many cleanups are registered and not yet started. */
  get size(): number {
    return this.#registered.size;
  }

  /** Names of the cleanups started and not yet finished: what a forced exit cut short. */
  get pending(): string[] {
    return [...this.#running].map((registration) => registration.name);
  }

  /** Whether `run()` has been called. */
  get started(): boolean {
    return this.#run !== undefined;
  }

  /**
   * Runs every registered cleanup (newest first) and settles when all have finished, those added
   * during the run included, with one outcome each; never rejects. Calling it again returns the
   * same promise.
   */
  run(): Promise<CleanupOutcome[]> {
    if (this.#run) return this.#run;
    const registrations = [...this.#registered].reverse();
    this.#registered.clear();
    // Set before any cleanup starts, so one that adds another sees the run as begun.
    this.#run = this.#settleStarted();
    for (const registration of registrations) this.#started.push(this.#start(registration));
    return this.#run;
  }

  /** Settles once every started cleanup has finished, including any started while waiting. */
  async #settleStarted(): Promise<CleanupOutcome[]> {
    let outcomes: CleanupOutcome[];
    // Cleanups keep starting after the first look (the run's own ones included): look again until
    // none started since the last one.
    do {
      outcomes = await Promise.all(this.#started);
    } while (outcomes.length < this.#started.length);
    return outcomes;
  }

  async #start(registration: Registration): Promise<CleanupOutcome> {
    const { name, cleanup } = registration;
    this.#running.add(registration);
    try {
      await cleanup();
      return { name, ok: true };
    } catch (error) {
      return { name, ok: false, error };
    } finally {
      this.#running.delete(registration);
    }
  }
}
