import { hasErrno } from '../errno.js';

/** First wait before trying again to write to a PTY whose input buffer was full. */
const FIRST_RETRY_MS = 1;

/** Longest wait between tries while the program reads nothing. */
const LONGEST_RETRY_MS = 32;

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
  #retryMs = FIRST_RETRY_MS;
  #closed = false;

  constructor(writeSome: (bytes: Buffer) => number) {
    this.#writeSome = writeSome;
  }

  /** Bytes written and not yet taken by the kernel. */
  get waitingBytes(): number {
    return this.#waiting.reduce((total, bytes) => total + bytes.length, 0);
  }

  /** Types `data` after everything written before it; at once when nothing waits. */
  write(data: string): void {
    if (this.#closed || data === '') return;
    this.#waiting.push(Buffer.from(data, 'utf8'));
    if (this.#retry === undefined) this.#flush();
  }

  /** Drops what waits and writes nothing more (the program has exited). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#waiting.length = 0;
  }

  #flush(): void {
    this.#retry = undefined;
    while (this.#waiting.length > 0) {
      const head = this.#waiting[0] as Buffer;
      let taken: number;
      try {
        taken = this.#writeSome(head);
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
