import { TypedLineEcho } from '@lifeline/protocol';
import type { CompletionMode, ShellKind } from '@lifeline/run-completion';
import type { Breadcrumb } from './breadcrumb.js';
import { waitsForTerminalInput } from './input-wait.js';
import { InputWaitWatch } from './input-wait-watch.js';
import type { RecordKeeper } from './record-keeper.js';

/** What a {@link RunInputWaitWatcher} needs from its surroundings. */
export interface RunInputWaitWatcherOptions {
  now: () => number;
  records: RecordKeeper;
  breadcrumb: Breadcrumb;
  /** Whether the PTY is paused now (what the run printed may be unread). */
  paused: () => boolean;
  /** How the shell's runs are told apart. */
  completionMode: () => CompletionMode;
  /** Which shell runs them. */
  shellKind: () => ShellKind;
  /** Appends `input_wait` for the run. */
  appendInputWait: (runId: string) => void;
  /** @default 1000 */
  quietMs?: number;
  /** @default 250 */
  pollMs?: number;
}

/**
 * Watches the run going on for a wait for someone to type (see {@link InputWaitWatch}), records
 * `input_wait` for it, so that whoever waits for the run need not wait for its timeout, and keeps
 * in the record whether it waits: listings read it there.
 */
export class RunInputWaitWatcher {
  readonly #options: RunInputWaitWatcherOptions;
  #watch: InputWaitWatch | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Keys typed into the line the run waits for, and their echo. */
  readonly #echo = new TypedLineEcho();

  constructor(options: RunInputWaitWatcherOptions) {
    this.#options = options;
  }

  /** Starts watching run `runId` of the shell `shellPid` (and stops watching the one before). */
  watch(runId: string, shellPid: number): void {
    this.stop();
    this.#echo.reset();
    const watch = new InputWaitWatch({
      now: this.#options.now,
      quietMs: this.#options.quietMs ?? 1000,
      waits: () => this.#runWaitsForInput(shellPid),
      record: () => {
        // The wait is in the record on disk before anyone hears of it: a listing made on hearing
        // it reads the file.
        this.#setWaitsForInput(true);
        this.#options.appendInputWait(runId);
      },
    });
    this.#watch = watch;
    // While the PTY is paused, what the shell printed (the end of the run, say) is not read yet.
    this.#timer = setInterval(
      () => watch.look(this.#options.paused()),
      this.#options.pollMs ?? 250,
    );
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#watch = undefined;
  }

  /**
   * The run printed `text`: it no longer waits (until it is found waiting again), but for the
   * terminal's echo of keys typed into the line it waits for.
   */
  printed(text: string): void {
    if (this.#echo.echoed(text)) return;
    this.#watch?.printed();
    this.#setWaitsForInput(false);
  }

  /**
   * The run was typed `keys` into: it no longer waits, but for plain text typed into the line it
   * waits for (no Enter yet: it still waits for the rest of the line).
   */
  typed(keys: string): void {
    if (this.#options.records.current.running?.waitsForInput === true && this.#echo.typed(keys))
      return;
    this.#watch?.typed(keys);
    this.#setWaitsForInput(false);
  }

  /** `waitsForInput` of the run `runId`, as a session summary gives it. */
  field(runId: string): { waitsForInput?: true } {
    const running = this.#options.records.current.running;
    return running?.runId === runId && running.waitsForInput === true
      ? { waitsForInput: true }
      : {};
  }

  /** {@link waitsForTerminalInput}, false should `/proc` surprise it: this must never end the host. */
  #runWaitsForInput(shellPid: number): boolean {
    try {
      // In postamble mode a shell reading the terminal may be at its prompt already, its report
      // of the run not read from the PTY yet (see run-completion).
      return waitsForTerminalInput(shellPid, {
        includeShell: this.#options.completionMode() === 'prompt-hook',
        // fish's `read` waits in `poll`, as its prompt does; during a run, its prompt is not up.
        shellReadsWithItsEditor: this.#options.shellKind() === 'fish',
      });
    } catch (error) {
      this.#options.breadcrumb('input-wait.error', {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  /**
   * Written at once when the run starts to wait (once per wait), with the next record write when
   * it no longer does.
   */
  #setWaitsForInput(waits: boolean): void {
    const records = this.#options.records;
    const running = records.current.running;
    if (running === undefined || (running.waitsForInput === true) === waits) return;
    records.save({
      ...records.current,
      running: {
        runId: running.runId,
        startSeq: running.startSeq,
        ...(waits ? { waitsForInput: true } : {}),
      },
    });
    if (waits) records.flush();
  }
}
