/** Most characters sent in one write: well under the gateway's input limit. */
const MAX_CHARACTERS_PER_WRITE = 128 * 1024;
/**
 * Most writes on their way at once. Each key is written as it is typed, without waiting for the
 * answer to the one before (which, during a flood, comes behind the output already on its way);
 * past this many, what is typed goes in the next write, as one piece.
 */
const MAX_WRITES_ON_THEIR_WAY = 8;

/**
 * How a write of typed keys ended: `sent`; `refused` (said so, not sent again); or
 * `connection-lost`: the gateway went away before it answered, so the keys may or may not have
 * reached the shell.
 */
export type TypedWriteOutcome = 'sent' | 'refused' | 'connection-lost';

/** One write: its keys, its name (an idempotency key), and the session it is for. */
export interface TypedWrite {
  data: string;
  key: string;
  sid: string | undefined;
}

/** Where typed keys go, and what the TUI does when they cannot go. */
export interface TypedInputOptions {
  /** The session keys typed now are for. */
  sid: () => string | undefined;
  /** Writes one piece; sent again under the same key, it types nothing if it had arrived. */
  write: (write: TypedWrite) => Promise<TypedWriteOutcome>;
  /** Resolves true once keys can be written again (the gateway is back), false if they never will. */
  untilLive: () => Promise<boolean>;
  /** Keys that were typed are not sent after all (the gateway did not come back, or another session is shown). */
  dropped: (characters: number, why: 'gateway' | 'session') => void;
  /** A new name for a write, unique in this process. */
  newKey: () => string;
}

/**
 * What is typed into the session, sent in order, each character once: written at once, a few
 * writes on their way at the same time (one connection keeps them in order), and what is typed
 * while as many are on their way goes in the next one, as one piece (a line editor reads it as
 * fast typing). Each write is named: when the gateway goes away before answering, the writes it
 * did not answer are sent again, in order and under their names, once it is back (the session
 * host types a write it had typed already no second time), and what is typed meanwhile follows.
 * What goes to the session by another call but acts on what was typed (an interrupt) takes its
 * place in that order too: see {@link TypedInput.afterTyped}.
 */
export class TypedInput {
  readonly #options: TypedInputOptions;
  /**
   * What waits to go, in the order typed: keys and pastes (one piece for each run of them), and
   * sends that follow the keys typed before them (see {@link TypedInput.afterTyped}).
   */
  #waiting: (string | (() => void))[] = [];
  /** Writes to send again before anything typed, in order. */
  #again: TypedWrite[] = [];
  /**
   * Writes sent and not answered yet, in the order they were sent, and those the gateway went away
   * without answering (kept in that order, to send again once it is back).
   */
  #onTheirWay: TypedWrite[] = [];
  /**
   * Of {@link #onTheirWay}, the writes whose connection was lost: while there are any, nothing
   * more is sent until the gateway is back.
   */
  readonly #lost = new Set<TypedWrite>();

  constructor(options: TypedInputOptions) {
    this.#options = options;
  }

  /** Characters typed and not known to have reached the session: on their way, lost, or waiting. */
  get unsentCharacters(): number {
    const waiting = this.#waiting.filter((item) => typeof item === 'string').join('');
    return charactersOf(this.#onTheirWay) + charactersOf(this.#again) + waiting.length;
  }

  /** Types `data` after everything typed before it. */
  type(data: string): void {
    const last = this.#waiting.length - 1;
    if (typeof this.#waiting[last] === 'string') this.#waiting[last] += data;
    else this.#waiting.push(data);
    this.#sendTyped();
  }

  /**
   * Calls `send` once everything typed before has been written (it waits for nothing else), and
   * writes what is typed after it only then: for what goes to the session by a call of its own
   * but must reach it in the order typed. An interrupt sent ahead of keys still waiting to go
   * would end the program they were typed for, and they would reach the shell's prompt instead
   * (a line typed for the program, Enter and all, would run as a command).
   */
  afterTyped(send: () => void): void {
    this.#waiting.push(send);
    this.#sendTyped();
  }

  #sendTyped(): void {
    while (this.#lost.size === 0) {
      const next = this.#waiting[0];
      if (typeof next === 'function' && this.#again.length === 0) {
        this.#waiting.shift();
        next();
        continue;
      }
      // Keys ahead of a send go at once, past the limit: the send (Ctrl+C in a flood of output)
      // waits for them, not for the answers to the writes on their way, which come behind output.
      const sendWaits = this.#waiting.some((item) => typeof item === 'function');
      if (this.#onTheirWay.length >= MAX_WRITES_ON_THEIR_WAY && !sendWaits) return;
      const write = this.#again.shift() ?? this.#nextWrite();
      if (write === undefined) return;
      this.#onTheirWay.push(write);
      void this.#options.write(write).then(
        (outcome) => {
          this.#answered(write, outcome);
        },
        () => {
          this.#answered(write, 'refused');
        },
      );
    }
  }

  /** The next piece of what was typed, at most {@link MAX_CHARACTERS_PER_WRITE} long. */
  #nextWrite(): TypedWrite | undefined {
    const typed = this.#waiting[0];
    if (typeof typed !== 'string') return undefined;
    // Stay well under the gateway's input limit, without cutting a character in two.
    let end = Math.min(typed.length, MAX_CHARACTERS_PER_WRITE);
    if (end < typed.length && /[\uD800-\uDBFF]/.test(typed.charAt(end - 1))) end -= 1;
    if (end < typed.length) this.#waiting[0] = typed.slice(end);
    else this.#waiting.shift();
    return { data: typed.slice(0, end), key: this.#options.newKey(), sid: this.#options.sid() };
  }

  #answered(write: TypedWrite, outcome: TypedWriteOutcome): void {
    if (outcome === 'connection-lost') this.#lost.add(write);
    else this.#onTheirWay.splice(this.#onTheirWay.indexOf(write), 1);
    if (this.#lost.size === 0) {
      this.#sendTyped();
      return;
    }
    // Once every write on its way has its answer, the lost ones go again, in the order sent.
    if (this.#onTheirWay.length === this.#lost.size) void this.#sendLostAgain();
  }

  async #sendLostAgain(): Promise<void> {
    const live = await this.#options.untilLive();
    const lost = this.#onTheirWay;
    this.#onTheirWay = [];
    this.#lost.clear();
    if (!live) {
      const waiting = this.#waiting;
      this.#waiting = [];
      const typed = waiting.filter((item) => typeof item === 'string');
      this.#options.dropped(charactersOf(lost) + typed.join('').length, 'gateway');
      // Each send says itself that it cannot go (the interrupt: the gateway is down).
      for (const item of waiting) if (typeof item === 'function') item();
      return;
    }
    const sid = this.#options.sid();
    const sameSession = lost.filter((write) => write.sid === sid);
    const elsewhere = charactersOf(lost) - charactersOf(sameSession);
    if (elsewhere > 0) this.#options.dropped(elsewhere, 'session');
    this.#again = sameSession;
    this.#sendTyped();
  }
}

/** How many characters `writes` carry. */
function charactersOf(writes: readonly TypedWrite[]): number {
  return writes.reduce((total, write) => total + write.data.length, 0);
}
