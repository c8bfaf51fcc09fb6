import type { EchoSource } from './echo-source.js';
import type { PtyScreen } from './pty-screen.js';

/**
 * The keys typed: uppercase letters the flood never holds (see `flood-file.ts`) and that cannot be
 * read out of what the TUI itself draws — the final bytes of the escape sequences it writes (A B C
 * D G H J K, in case one is split across chunks), the `C` of its `Ctrl+C` hint and the letters of
 * `SIGKILL` in a recovery message. So a key's letter anywhere in the output is its echo, even when
 * the terminal echoed it into the middle of one of the flood's colour sequences (the kernel echoes
 * between two writes of the producer, wherever they split the stream): looking for it only outside
 * escape sequences would take such an echo for a lost key.
 */
const probeKeys = 'EFMNOPQRTUVWXYZ';

/** What a {@link KeyEchoProbe} saw. */
export interface KeyEchoResult {
  /** Milliseconds from each key's write to the PTY until the terminal had parsed its echo, for the keys shown in time. */
  latenciesMs: number[];
  /** Keys typed. */
  sent: number;
  /** Keys whose echo did not reach the screen within the give-up time (or before `finish()`). */
  notShown: number;
}

/**
 * Types one key into a terminal every `intervalMs` and times how long its echo takes to reach the
 * screen. A key is typed again only once its previous echo was seen or given up on (after
 * `giveUpMs`), so that an echo is not credited to the wrong keystroke; a tick with every key in
 * flight types nothing.
 */
export class KeyEchoProbe {
  readonly #screen: PtyScreen;
  readonly #source: EchoSource;
  readonly #intervalMs: number;
  readonly #giveUpMs: number;
  readonly #inFlight = new Map<string, number>();
  readonly #latencies: number[] = [];
  #sent = 0;
  #givenUp = 0;
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopListening: (() => void) | undefined;

  constructor(screen: PtyScreen, source: EchoSource, intervalMs: number, giveUpMs: number) {
    this.#screen = screen;
    this.#source = source;
    this.#intervalMs = intervalMs;
    this.#giveUpMs = giveUpMs;
  }

  start(): void {
    this.#stopListening = this.#source.onText((chunk, at) => {
      if (this.#inFlight.size === 0) return;
      for (const [key, sentAt] of this.#inFlight) {
        if (!chunk.includes(key)) continue;
        if (at - sentAt <= this.#giveUpMs) this.#latencies.push(at - sentAt);
        else this.#givenUp += 1;
        this.#inFlight.delete(key);
      }
    });
    this.#timer = setInterval(() => {
      this.#typeNextKey();
    }, this.#intervalMs);
  }

  /** Keys typed whose echo has been neither seen nor given up on. */
  get keysInFlight(): number {
    return this.#inFlight.size;
  }

  /** Stops typing; echoes of keys in flight are still looked for until `finish()`. */
  stopTyping(): void {
    clearInterval(this.#timer);
  }

  /** Stops typing and watching; keys still in flight count as not shown. */
  finish(): KeyEchoResult {
    this.stopTyping();
    this.#stopListening?.();
    return {
      latenciesMs: [...this.#latencies],
      sent: this.#sent,
      notShown: this.#givenUp + this.#inFlight.size,
    };
  }

  #typeNextKey(): void {
    const now = this.#source.now();
    for (const [key, sentAt] of this.#inFlight) {
      if (now - sentAt < this.#giveUpMs) continue;
      this.#inFlight.delete(key);
      this.#givenUp += 1;
    }
    for (let tried = 0; tried < probeKeys.length; tried += 1) {
      const key = probeKeys.charAt(this.#next);
      this.#next = (this.#next + 1) % probeKeys.length;
      if (this.#inFlight.has(key)) continue;
      this.#inFlight.set(key, this.#source.now());
      this.#sent += 1;
      this.#screen.type(key);
      return;
    }
  }
}
