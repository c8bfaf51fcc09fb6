import { RpcError, RpcErrorCode } from './errors.js';

/**
 * What a stream does when progress arrives faster than it is consumed and its buffer is full:
 * - `drop-oldest`: discard the oldest buffered value (a UI that only needs the latest state);
 * - `drop-newest`: discard the value that just arrived;
 * - `error`: fail the stream with an `RpcError` (code `StreamOverflow`) and cancel the call.
 */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

/**
 * A streaming call: iterate it for the progress values (in the order the handler emitted them),
 * then read `result`. All progress is delivered before `result` settles.
 */
export interface RpcStream<Progress, Result> extends AsyncIterable<Progress> {
  /**
   * The final result; settles once the response arrived and every buffered progress value was
   * taken, or the consumer stopped iterating (the values it left unread are dropped).
   */
  readonly result: Promise<Result>;
  /** Progress values discarded by the overflow policy so far. */
  readonly dropped: number;
  /** Cancels the call (a `$/cancel` goes to the peer); iteration ends and `result` rejects. */
  cancel(reason?: unknown): void;
}

/** @internal The client-side state of one stream; the peer feeds it. */
export class StreamState<Progress = unknown, Result = unknown> implements RpcStream<
  Progress,
  Result
> {
  readonly result: Promise<Result>;
  /** Slots before `head` were taken or dropped and hold `undefined`, so they keep nothing alive. */
  private readonly buffer: (Progress | undefined)[] = [];
  private head = 0;
  private droppedCount = 0;
  private finished = false;
  private failure: unknown;
  private failed = false;
  private finalResult: Result | undefined;
  private iterating = false;
  private settled = false;
  private wakeReader: (() => void) | undefined;
  /** Reads run one after another, so overlapping `next()` calls get the values in call order. */
  private previousRead: Promise<unknown> = Promise.resolve();
  private resolveResult!: (value: Result) => void;
  private rejectResult!: (error: unknown) => void;

  constructor(
    private readonly method: string,
    private readonly bufferSize: number,
    private readonly overflow: OverflowPolicy,
    private readonly onCancel: (reason: unknown) => void,
  ) {
    this.result = new Promise<Result>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A consumer that only iterates must not get an unhandled rejection from `result`.
    this.result.catch(() => undefined);
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Whether the stream still accepts progress. */
  get isOpen(): boolean {
    return !this.finished && !this.failed;
  }

  /** @returns false when the overflow policy failed the stream */
  pushProgress(value: Progress): boolean {
    if (!this.isOpen) return true;
    if (this.buffer.length - this.head >= this.bufferSize) {
      if (this.overflow === 'drop-newest') {
        this.droppedCount += 1;
        return true;
      }
      if (this.overflow === 'drop-oldest') {
        this.removeOldest();
        this.droppedCount += 1;
      } else {
        this.fail(
          new RpcError(
            RpcErrorCode.StreamOverflow,
            `stream "${this.method}" overflowed its buffer of ${this.bufferSize} progress values; consume it faster, raise bufferSize, or choose the drop-oldest or drop-newest overflow policy`,
          ),
        );
        return false;
      }
    }
    this.buffer.push(value);
    this.wake();
    return true;
  }

  finish(result: Result): void {
    if (!this.isOpen) return;
    this.finished = true;
    this.finalResult = result;
    if (!this.iterating || this.bufferedCount() === 0) this.settle();
    this.wake();
  }

  fail(error: unknown): void {
    if (this.settled || this.failed) return;
    this.failed = true;
    this.failure = error;
    this.settled = true;
    this.rejectResult(error);
    this.wake();
  }

  cancel(reason?: unknown): void {
    if (!this.isOpen) return;
    this.onCancel(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<Progress> {
    this.iterating = true;
    return {
      next: (): Promise<IteratorResult<Progress>> => {
        const read = this.previousRead.then(() => this.read());
        this.previousRead = read.catch(() => undefined);
        return read;
      },
      return: (): Promise<IteratorResult<Progress>> => {
        this.stopIterating();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private async read(): Promise<IteratorResult<Progress>> {
    for (;;) {
      if (this.bufferedCount() > 0) {
        const value = this.removeOldest();
        // The last value is handed out now; the result follows once the consumer has had it.
        if (this.finished && this.bufferedCount() === 0) setImmediate(() => this.settle());
        return { value, done: false };
      }
      if (this.failed) throw this.failure;
      if (this.finished) {
        this.settle();
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => {
        this.wakeReader = resolve;
      });
    }
  }

  /** A call still running is cancelled; an answered one settles now, without the unread values. */
  private stopIterating(): void {
    if (this.isOpen) {
      this.cancel(new Error('the consumer stopped iterating'));
      return;
    }
    this.buffer.length = 0;
    this.head = 0;
    this.settle();
  }

  private bufferedCount(): number {
    return this.buffer.length - this.head;
  }

  private removeOldest(): Progress {
    const value = this.buffer[this.head] as Progress;
    this.buffer[this.head] = undefined;
    this.head += 1;
    // Compacting only once most of the array is spent keeps each removal O(1) on average.
    if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer.splice(0, this.head);
      this.head = 0;
    }
    return value;
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveResult(this.finalResult as Result);
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }
}
