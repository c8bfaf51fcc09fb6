import type { Frame } from './frame-syntax.js';
import type { RunRecord, TokenOwner } from './run-record.js';

/** What a {@link RunBinder} asks of the coordinator. */
export interface RunBinderContext {
  /** Ends `record` with the shell's status and cwd: appends its `run_complete` and settles it. */
  complete(record: RunRecord, status: number, cwd: string, options?: { keepToken?: boolean }): void;
  /** The shell said where it is (`cwd`, when the frame carried it) and that it is ready. */
  seen(cwd: string | undefined): void;
  /** The shell is at a new prompt: its line editor starts a new line, in no mode of its own. */
  prompted(): void;
  /**
   * The shell's line editor takes keys into the command line again, in no mode of its own (an
   * integration that can tell says so after keys were read), `lastKeys` being the keys it read last;
   * `undefined` when it does not know them (bash prints one each time it draws its prompt).
   */
  editing(lastKeys: string | undefined): void;
  /**
   * The shell's first editing frame since its last prompt (or ready) frame: where bash, whose
   * prompt begins with one, begins to draw its prompt.
   */
  promptStarted(): void;
  /** The end of the prompt begun at {@link promptStarted} (bash's prompt ends with a frame of its own). */
  promptDrawn(): void;
  /** The shell took a command line from its line editor (a command starts). */
  lineTaken(): void;
  /**
   * The shell asks the terminal for the next line of a command someone typed (a continuation
   * prompt), until a command starts or a prompt shows.
   */
  continued(): void;
  /** The oldest registered run not yet settled, if any. */
  oldestRun(): RunRecord | undefined;
  /** Whether `record` is registered and not yet settled. */
  isRegistered(record: RunRecord): boolean;
  /** A run for a command the shell started on its own, or `undefined` when such runs are not kept. */
  shellRun(command: string): RunRecord | undefined;
}

/**
 * How one completion mode ties frames to runs: the prompt-hook binder follows the shell's start
 * and prompt frames, the postamble binder the completion frame each run's line prints.
 */
export interface RunBinder {
  /**
   * A run was registered: returns the text to write to the PTY for it. `lineMayHoldText`: keys
   * may have been typed into the line editor since it last took a line.
   */
  register(record: RunRecord, lineMayHoldText: boolean): string;
  /** An authenticated frame arrived (`owner`: whose token it carries). */
  frame(frame: Frame, owner: TokenOwner | undefined): void;
  /** An interrupt key was typed into the PTY. */
  interrupted(): void;
  /**
   * Keys that do nothing at a fresh prompt, typed after an interrupt (see
   * `RunCoordinator.keyAfterInterrupt()`); after a paste, they end one the shell was still reading.
   */
  keyAfterInterrupt(afterPaste: boolean): string;
  /** Text that makes the shell announce itself (see `RunCoordinator.probe()`). */
  probe(): string;
  /** Text that brings back a line set aside for the runs registered since the last call, or ''. */
  textToRestoreTypedLine(): string;
  /** `record` completed: the binder lets go of it (its token stays known with `keepToken`). */
  completed(record: RunRecord, keepToken: boolean): void;
  /** `record` was given up on (cancelled, expired): the binder lets go of it. */
  forget(record: RunRecord): void;
  /** The shell exited: nothing is waiting any more. */
  reset(): void;
}
