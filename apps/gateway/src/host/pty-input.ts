import { hasErrno } from '../errno.js';

/** First wait before trying again to write to a PTY whose input buffer was full. */
const FIRST_RETRY_MS = 1;

/** Longest wait between tries while the program reads nothing. */
const LONGEST_RETRY_MS = 32;

/**
 * How long after the kernel took the last keys they count as still being typed: it holds what it
 * took until the program reads it, and echoes it then.
 */
const TYPING_AFTER_TAKEN_MS = 500;

/**
 * Most bytes of keys written that the program has not answered yet with as much output. The
 * terminal echoes keys as the program reads them, and keeps an echo it cannot hand on (this process
 * has not read the output before it) in a 4 KiB ring that overwrites its oldest; the kernel takes
 * 64 KiB of keys at once, so a paste into `cat` written as fast as the kernel took it lost lines of
 * its echo, all the more on a busy machine.
 */
const UNANSWERED_BYTES = 8 * 1024;

/**
 * With no output for this long, keys written go unanswered (a program that reads without echo,
 * a password prompt): the next go.
 */
const UNANSWERED_WAIT_MS = 50;

/**
 * Writes keys into a PTY's master end without ever holding up the process. node-pty's own write
 * goes through a stream that, on a PTY master, retries a full input buffer in a busy loop: a
 * program in raw mode that reads slowly (zsh's line editor given 60 KB) or not at all held the
 * session host's event loop for minutes, answering no request and no signal. Here what the
 * kernel does not take now waits in order, and is tried again after a short pause that grows
 * while nothing is taken.
 */
export class PtyInput {
  /** Writes what it can of `bytes` at once; throws `EAGAIN` when it can take none. */
  readonly #writeSome: (bytes: Buffer) => number;
  readonly #waiting: Buffer[] = [];
  #retry: NodeJS.Timeout | undefined;
  /** Keys written that the program's output has not answered yet (see UNANSWERED_BYTES). */
  #unanswered = 0;
  /** Waits for that output, at most UNANSWERED_WAIT_MS. */
  #answer: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  #closed = false;
  #paused = false;
  readonly #now: () => number;
  #takenAt = Number.NEGATIVE_INFINITY;

  constructor(writeSome: (bytes: Buffer) => number, now: () => number = () => performance.now()) {
    this.#writeSome = writeSome;
    this.#now = now;
  }

  /** Whether keys wait to be taken, or were taken a moment ago (see TYPING_AFTER_TAKEN_MS). */
  get typing(): boolean {
    return this.#waiting.length > 0 || this.#now() - this.#takenAt < TYPING_AFTER_TAKEN_MS;
  }

  /**
   * Whether keys the kernel took a moment ago (less than UNANSWERED_WAIT_MS) have not been
   * answered yet by as much output (their echo): the program may not have read them.
   */
  get unanswered(): boolean {
    return this.#unanswered > 0 && this.#now() - this.#takenAt < UNANSWERED_WAIT_MS;
  }

  /** Bytes written and not yet taken by the kernel. */
  get waitingBytes(): number {
    return this.#waiting.reduce((total, bytes) => total + bytes.length, 0);
  }

  /** Types `data` after everything written before it; at once when nothing waits. */
  write(data: string): void {
    if (this.#closed || data === '') return;
    this.#waiting.push(Buffer.from(data, 'utf8'));
    if (this.#idle) this.#flush();
  }

  /**
   * Keys wait while what the program prints is not read (flow control paused the PTY): the
   * terminal echoes what it takes, and an echo it cannot hand on is kept in a small ring that
   * overwrites its oldest: a paste into `cat` showed a third of its lines, some spliced.
   */
  pause(): void {
    this.#paused = true;
  }

  /** What the program prints is read again: what waits is typed. */
  resume(): void {
    this.#paused = false;
    if (this.#idle) this.#flush();
  }

  /** This process read `bytes` of the program's output: they answer as many keys written. */
  printed(bytes: number): void {
    this.#unanswered = Math.max(0, this.#unanswered - bytes);
    if (this.#answer === undefined) return;
    clearTimeout(this.#answer);
    this.#flush();
  }

  /** Whether nothing is about to try writing again of itself. */
  get #idle(): boolean {
    return this.#retry === undefined && this.#answer === undefined;
  }

  /** Drops what waits and writes nothing more (the program has exited). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    clearTimeout(this.#answer);
    this.#retry = undefined;
    this.#answer = undefined;
    this.#waiting.length = 0;
  }

  #flush(): void {
    this.#retry = undefined;
    this.#answer = undefined;
    while (this.#waiting.length > 0 && !this.#paused) {
      const room = UNANSWERED_BYTES - this.#unanswered;
      if (room <= 0) {
        this.#answer = setTimeout(() => {
          this.#unanswered = 0;
          this.#flush();
        }, UNANSWERED_WAIT_MS);
        return;
      }
      const head = this.#waiting[0] as Buffer;
      let taken: number;
      try {
        taken = this.#writeSome(head.length > room ? head.subarray(0, room) : head);
      } catch (error) {
        if (hasErrno(error, 'EAGAIN')) {
          this.#retryLater();
          return;
        }
        // The program's end is gone: nobody will ever read what waits.
        if (hasErrno(error, 'EIO', 'EBADF')) {
          this.close();
          return;
        }
        throw error;
      }
      this.#retryMs = FIRST_RETRY_MS;
      if (taken > 0) this.#takenAt = this.#now();
      this.#unanswered += taken;
      if (taken === head.length) this.#waiting.shift();
      else this.#waiting[0] = head.subarray(taken);
    }
  }

  #retryLater(): void {
    this.#retry = setTimeout(() => {
      this.#flush();
    }, this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, LONGEST_RETRY_MS);
  }
}
