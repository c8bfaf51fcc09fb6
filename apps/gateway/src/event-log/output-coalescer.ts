/**
 * How long after keys are typed the terminal's small answers to them (their echo) leave at once,
 * and how small (UTF-16 code units): a shell echoes keys typed together one read at a time, and
 * the echo of the second came within the delay of the first's.
 */
const KEY_ANSWER_MS = 50;
const KEY_ANSWER_LENGTH = 256;

/** Timer functions and the clock they run by, injected so tests can drive time. */
export interface CoalescerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds on a monotonic clock. @default performance.now */
  now?(): number;
}

/** Options of {@link OutputCoalescer}. */
export interface OutputCoalescerOptions {
  /** Receives each coalesced chunk, in order. */
  emit: (data: string) => void;
  /** Longest a chunk waits for more output. @default 16 */
  maxDelayMs?: number;
  /** A chunk is emitted as soon as it reaches this many UTF-16 code units. @default 65536 */
  maxChunkLength?: number;
  /** @default globalThis timers */
  timers?: CoalescerTimers;
}

/**
 * Merges the many small chunks a PTY produces into fewer, larger `output` events: a chunk leaves
 * after at most `maxDelayMs`, or at once when it reaches `maxChunkLength`. Output after a quiet
 * spell (nothing emitted for `maxDelayMs`) leaves at once: a key's echo, a program's answer or a
 * progress bar's step is not held back for output that may follow; what follows it soon is merged,
 * but for small output within 50 ms of keys typed (see {@link keysTyped}), which leaves at once.
 * `flush()` must be called before any other event is appended, so the log keeps exact stream order.
 *
 * Its one timer is not cancelled by a flush: a run's output is flushed a few times (by the
 * events around it) within a millisecond, and arming and cancelling a timer each time cost more
 * than the rest of the coalescing. When the timer fires with nothing pending it stops; with
 * output that came after a flush, it waits out what is left of that output's delay.
 */
export class OutputCoalescer {
  private readonly emit: (data: string) => void;
  private readonly maxDelayMs: number;
  private readonly maxChunkLength: number;
  private readonly timers: CoalescerTimers;
  private pending: string[] = [];
  private pendingLength = 0;
  /** When the oldest pending output came (clock of `timers.now`). */
  private pendingSince = 0;
  private timer: unknown;
  private readonly now: () => number;
  /** When output was last emitted (clock of `timers.now`). */
  private emittedAt = Number.NEGATIVE_INFINITY;
  /** When keys were last typed into the terminal (clock of `timers.now`). */
  private keysAt = Number.NEGATIVE_INFINITY;

  constructor(options: OutputCoalescerOptions) {
    this.emit = options.emit;
    this.maxDelayMs = options.maxDelayMs ?? 16;
    this.maxChunkLength = options.maxChunkLength ?? 64 * 1024;
    if (!Number.isInteger(this.maxChunkLength) || this.maxChunkLength < 2) {
      throw new RangeError(
        `maxChunkLength must be an integer of at least 2, got ${this.maxChunkLength}`,
      );
    }
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    this.now = this.timers.now?.bind(this.timers) ?? (() => performance.now());
  }

  /** Number of code units waiting to be emitted. */
  get pendingSize(): number {
    return this.pendingLength;
  }

  /** Keys were typed into the terminal now: the small output answering them leaves at once. */
  keysTyped(): void {
    this.keysAt = this.now();
  }

  /** Adds output; emits full chunks at once and arms the delay timer for the rest. */
  push(data: string): void {
    if (data.length === 0) return;
    if (this.pendingLength === 0) {
      this.pendingSince = this.now();
      const afterQuiet = this.pendingSince - this.emittedAt >= this.maxDelayMs;
      const answersKeys =
        this.pendingSince - this.keysAt <= KEY_ANSWER_MS && data.length <= KEY_ANSWER_LENGTH;
      if ((afterQuiet || answersKeys) && data.length <= this.maxChunkLength) {
        this.emittedAt = this.pendingSince;
        this.emit(data);
        return;
      }
    }
    let rest = data;
    while (rest.length > 0) {
      const room = this.maxChunkLength - this.pendingLength;
      const take = rest.length <= room ? rest.length : safeCut(rest, room);
      this.pending.push(rest.slice(0, take));
      this.pendingLength += take;
      rest = rest.slice(take);
      if (this.pendingLength >= this.maxChunkLength || (take === 0 && this.pendingLength > 0)) {
        this.flush();
        // What is left of `data` is pending from now.
        this.pendingSince = this.now();
      }
    }
    if (this.pendingLength > 0 && this.timer === undefined) this.arm(this.maxDelayMs);
  }

  /** Emits whatever is pending now. */
  flush(): void {
    if (this.pendingLength === 0) return;
    const data = this.pending.length === 1 ? (this.pending[0] ?? '') : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    this.emittedAt = this.now();
    this.emit(data);
  }

  /** Stops the timer (the host's end); pending output stays until `flush`. */
  stop(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.pendingLength === 0) return;
      const left = this.pendingSince + this.maxDelayMs - this.now();
      if (left > 0) this.arm(left);
      else this.flush();
    }, ms);
  }
}

/** A cut at or before `length` that does not split a surrogate pair. */
function safeCut(text: string, length: number): number {
  if (length <= 0) return 0;
  const code = text.charCodeAt(length - 1);
  return code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
}
