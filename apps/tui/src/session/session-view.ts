import type { SessionEvent, SessionSummary } from '@lifeline/protocol';
import type { OutputLinesFactory, RunLinesFactory } from './output-lines.js';
import { DEFAULT_MAX_LINES_PER_RUN, TranscriptFold } from './transcript-fold.js';

/** What a {@link SessionView} needs to make a transcript. */
export interface SessionViewOptions {
  /** Makes the line model that turns raw output between runs into safe display lines. */
  createLines: OutputLinesFactory;
  /** Makes the screen each run draws on. */
  createRunLines: RunLinesFactory;
  /** Most lines of one run's output kept in memory. @default 10000 */
  maxLinesPerRun?: number;
  /** Most output lines kept in memory across runs (the oldest runs go first). @default 50000 */
  maxLines?: number;
  /**
   * Another session (or the same one afresh) is about to be shown: what followed the last one's
   * screen (a program handed the terminal, its modes) ends. Not called for the first transcript.
   */
  onNewTranscript: () => void;
}

/**
 * The session shown: which one, what the gateway says of it (name, shell, cwd), and its transcript,
 * a fold over its events. Switching sessions starts a new transcript, and a failed switch puts the
 * one shown before back.
 */
export class SessionView {
  readonly #options: SessionViewOptions;
  #sid: string | undefined;
  #session: SessionSummary | undefined;
  #fold: TranscriptFold;

  constructor(options: SessionViewOptions) {
    this.#options = options;
    this.#fold = this.#newFold(undefined);
  }

  /** The id of the session shown, if one is. */
  get sid(): string | undefined {
    return this.#sid;
  }

  /** The session shown, as the gateway described it when it was attached (and since). */
  get session(): SessionSummary | undefined {
    return this.#session;
  }

  /** The transcript of the session shown. */
  get fold(): TranscriptFold {
    return this.#fold;
  }

  /**
   * Shows `sid` from its start, in a new transcript.
   * @returns puts the session shown before back (its transcript as it was)
   */
  show(sid: string): () => void {
    const previousSid = this.#sid;
    const previousFold = this.#fold;
    this.#sid = sid;
    this.#options.onNewTranscript();
    this.#fold = this.#newFold(sid);
    return () => {
      this.#sid = previousSid;
      this.#fold = previousFold;
    };
  }

  /** The gateway attached the session shown: this is what it is now. */
  attached(session: SessionSummary): void {
    this.#session = session;
    this.#fold.setShell(session.shell, session.completionMode);
  }

  /** The session `sid` was renamed: if it is the one shown, it has this name (and keeps its cwd). */
  renamed(sid: string, session: SessionSummary): void {
    if (this.#sid === sid) this.#session = { ...session, cwd: this.#session?.cwd ?? session.cwd };
  }

  /**
   * Follows the session's name as it is given another, wherever (its `renamed` event: another
   * TUI's `/rename`, `lifeline sessions rename`).
   */
  followName(event: SessionEvent): void {
    if (event.type === 'renamed' && this.#session)
      this.#session = { ...this.#session, name: event.name };
  }

  /** Follows the shell's cwd as runs end and the shell starts. */
  followCwd(event: SessionEvent): void {
    if (
      event.type === 'run_complete' ||
      event.type === 'host_exit' ||
      event.type === 'host_start' ||
      event.type === 'shell_ready'
    ) {
      if (this.#session)
        this.#session = { ...this.#session, cwd: this.#fold.shellCwd ?? this.#session.cwd };
    }
  }

  /** Where a new session starts: where the one shown is now. */
  get cwd(): string | undefined {
    return this.#session?.cwd ?? this.#fold.shellCwd;
  }

  #newFold(sid: string | undefined): TranscriptFold {
    return new TranscriptFold({
      sid,
      createLines: this.#options.createLines,
      createRunLines: this.#options.createRunLines,
      promptScreen: true,
      maxLinesPerRun: this.#options.maxLinesPerRun ?? DEFAULT_MAX_LINES_PER_RUN,
      ...(this.#options.maxLines === undefined ? {} : { maxLines: this.#options.maxLines }),
    });
  }
}
