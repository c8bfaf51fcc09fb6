/** One call the chaos run started and is waiting on. */
interface TrackedCall {
  readonly label: string;
  readonly startedAt: number;
  settled: boolean;
}

/**
 * Keeps every promise an iteration starts (the client's calls to its gateway, the runner's own
 * steps), so that calls which never settle are counted instead of silently forgotten.
 */
export class CallTracker {
  private readonly calls: TrackedCall[] = [];

  /** Tracks `promise` and returns it unchanged. */
  track<T>(label: string, promise: Promise<T>): Promise<T> {
    const call: TrackedCall = { label, startedAt: performance.now(), settled: false };
    this.calls.push(call);
    const settle = () => {
      call.settled = true;
    };
    promise.then(settle, settle);
    return promise;
  }

  /** How many calls were tracked so far. */
  get count(): number {
    return this.calls.length;
  }

  /**
   * Waits up to `timeoutMs` for every tracked call to settle.
   * @returns labels of the calls still pending then
   */
  async waitSettled(timeoutMs: number): Promise<string[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const pending = this.calls.filter((call) => !call.settled);
      if (pending.length === 0 || performance.now() >= deadline) {
        return pending.map(
          (call) => `${call.label} (pending ${Math.round(performance.now() - call.startedAt)} ms)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
