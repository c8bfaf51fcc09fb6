import type { RandomBytes } from '../random.js';
import { randomRunToken } from '../token.js';
import type { EchoFilter } from './echo-filter.js';
import { type Frame, postambleLine, probeLine } from './frame-syntax.js';
import type { RunBinder, RunBinderContext } from './run-binder.js';
import { RunRecord, type TokenOwner } from './run-record.js';
import type { TokenTable } from './token-table.js';

const RETIRED_TOKENS_KEPT = 256;
// The status of a command the shell found incomplete and did not run (a shell's syntax error).
const INCOMPLETE_STATUS = 2;

/** What a {@link PostambleBinder} shares with the coordinator. */
export interface PostambleBinderOptions {
  context: RunBinderContext;
  /** The tokens the frame scanner knows. */
  tokens: TokenTable<TokenOwner>;
  /** The sanitiser of the echoes of typed lines. */
  echo: EchoFilter;
  random: RandomBytes;
}

/**
 * Postamble mode: each run is typed as one line with a token of its own, whose completion frame
 * carries that token; the echo of the line is removed. A token outlives its run for a while, so
 * that a late frame with it (a line reported again) is removed and completes nothing.
 */
export class PostambleBinder implements RunBinder {
  readonly #options: PostambleBinderOptions;
  readonly #retiredTokens: string[] = [];
  // Tokens of runs that ended on an `I` frame: the shell may still echo their line, or run it,
  // until a frame of a later line arrives.
  #incompleteTokens: string[] = [];
  #probeToken: string | undefined;

  constructor(options: PostambleBinderOptions) {
    this.#options = options;
  }

  register(record: RunRecord): string {
    const token = randomRunToken(this.#options.random);
    const line = postambleLine(token, record.command);
    record.token = token;
    this.#options.tokens.set(token, record);
    this.#options.echo.arm(token, line);
    return `${line}\r`;
  }

  frame(frame: Frame, owner: TokenOwner | undefined): void {
    const { context, echo, tokens } = this.#options;
    switch (frame.kind) {
      case 'C':
        if (!(owner instanceof RunRecord)) return;
        this.#releaseIncompleteTokens();
        echo.disarm(frame.token);
        context.seen(frame.cwd);
        if (owner.settled === undefined && context.isRegistered(owner)) {
          context.complete(owner, frame.status, frame.cwd);
        }
        return;
      case 'I':
        if (owner !== 'session') return;
        this.#releaseIncompleteTokens();
        context.seen(frame.cwd);
        this.#incomplete(frame.cwd);
        return;
      case 'R':
        if (owner === 'probe') {
          this.#releaseIncompleteTokens();
          echo.disarm(frame.token);
          tokens.delete(frame.token);
          this.#probeToken = undefined;
        }
        if (owner === 'session' || owner === 'probe') context.seen(undefined);
        return;
      default:
        return;
    }
  }

  interrupted(): void {
    // The run's line was read whole before its command ran: an interrupt cannot drop its report.
  }

  // A shell without a line editor has nothing to set aside.
  textToRestoreTypedLine(): string {
    return '';
  }

  // The shell's own line reading is left as it is.
  keyAfterInterrupt(): string {
    return '';
  }

  probe(): string {
    const { echo, random, tokens } = this.#options;
    if (this.#probeToken !== undefined) {
      tokens.delete(this.#probeToken);
      echo.disarm(this.#probeToken);
    }
    const token = randomRunToken(random);
    const line = probeLine(token);
    this.#probeToken = token;
    tokens.set(token, 'probe');
    echo.arm(token, line);
    return `${line}\r`;
  }

  completed(record: RunRecord, keepToken: boolean): void {
    // The shell may report a run whose line it abandoned once more, at a later prompt: the token
    // stays known for a while, so that frame is removed and completes nothing.
    if (record.token !== undefined && !keepToken) this.#retire(record.token);
  }

  forget(record: RunRecord): void {
    if (record.token !== undefined) this.#retire(record.token);
  }

  reset(): void {
    // Tokens stay known after the shell exited: what it printed last is still stripped.
  }

  // The shell found the command it was reading incomplete, said so and interrupted itself. The
  // command was the oldest run's (the host types one at a time); it ends with the status of a
  // syntax error. Its token stays known, so that its echo is still removed and its frame
  // completes nothing, until a later frame arrives.
  #incomplete(cwd: string): void {
    const record = this.#options.context.oldestRun();
    if (record?.token === undefined) return;
    this.#incompleteTokens.push(record.token);
    this.#options.context.complete(record, INCOMPLETE_STATUS, cwd, { keepToken: true });
  }

  #releaseIncompleteTokens(): void {
    if (this.#incompleteTokens.length === 0) return;
    for (const token of this.#incompleteTokens) this.#retire(token);
    this.#incompleteTokens = [];
  }

  // A run given up on may still print its frame later: its token stays known for a while, so the
  // frame is stripped from the output (and completes nothing) instead of showing the token.
  #retire(token: string): void {
    const { echo, tokens } = this.#options;
    echo.disarm(token);
    this.#retiredTokens.push(token);
    if (this.#retiredTokens.length > RETIRED_TOKENS_KEPT) {
      const oldest = this.#retiredTokens.shift();
      if (oldest !== undefined && tokens.get(oldest) instanceof RunRecord) tokens.delete(oldest);
    }
  }
}
