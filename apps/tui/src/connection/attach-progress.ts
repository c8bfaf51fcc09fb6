/** Events an attach brings from which how much of them is shown is worth saying. */
export const MANY_EVENTS = 1000;

/**
 * How far the attach of the session shown has come: whether an attach call is on its way, the last
 * seq its answer named (everything up to it must be applied before the session counts as shown),
 * and which seqs were the session's history when it was first shown (never written raw to the
 * terminal: a program of the history may look live).
 */
export class AttachProgress {
  /** Attach calls not answered yet. */
  #attaching = 0;
  /** The last seq of the session as its latest attach answered. */
  #attachedThroughSeq: number | undefined;
  /** Events up to this seq were history when the session was first shown. */
  #historyThroughSeq = -1;
  /**
   * Why the rest of the session's log cannot be read, once it cannot: what was applied is all
   * there is to show.
   */
  #unreadable: string | undefined;
  /** The seq the latest answered attach continued after. */
  #answeredAfterSeq: number | undefined;

  /** An attach call goes out: until its answer is applied, the session is not shown. */
  begin(): void {
    this.#attaching += 1;
    this.#attachedThroughSeq = undefined;
    this.#answeredAfterSeq = undefined;
    this.#unreadable = undefined;
  }

  /** The rest of the session's log cannot be read (`reason`): no more of it comes with this attach. */
  cutShort(reason: string): void {
    this.#unreadable = reason;
  }

  /** Why the rest of the session's log cannot be read, when the latest attach stopped short of it. */
  get unreadable(): string | undefined {
    return this.#unreadable;
  }

  /** The attach call is over (answered or failed). */
  end(): void {
    this.#attaching -= 1;
  }

  /**
   * The attach that continued after `afterSeq` was answered with the session's `lastSeq`. The
   * attach of a session shown anew (from the start of its log, `afterSeq` -1, or from the last
   * stretch of a long one) makes everything up to `lastSeq` the session's history.
   * @returns whether the history is caught up already (the answer brought nothing new)
   */
  answered(afterSeq: number, lastSeq: number, shownAnew = afterSeq === -1): boolean {
    this.#attachedThroughSeq = lastSeq;
    this.#answeredAfterSeq = afterSeq;
    if (shownAnew) this.#historyThroughSeq = lastSeq;
    return lastSeq === afterSeq;
  }

  /**
   * Events up to this seq happened before the session was shown: its log as the latest attach
   * answered (all of it while an attach is under way).
   */
  get shownAfterSeq(): number {
    return this.#attachedThroughSeq ?? Number.POSITIVE_INFINITY;
  }

  /** Whether the event `seq` is part of the history the session was first shown with. */
  isHistory(seq: number): boolean {
    return seq <= this.#historyThroughSeq;
  }

  /** Whether applying the event `seq` catches the session up with its history. */
  endsHistory(seq: number): boolean {
    return seq === this.#historyThroughSeq;
  }

  /**
   * How much of what the latest attach brings is applied (up to `appliedSeq`), from 0 to 1, while
   * an answered attach brings at least {@link MANY_EVENTS} events: a long log takes a while to
   * show. Undefined otherwise.
   */
  shownFraction(appliedSeq: number): number | undefined {
    const from = this.#answeredAfterSeq;
    const to = this.#attachedThroughSeq;
    if (from === undefined || to === undefined || to - from < MANY_EVENTS) return undefined;
    return Math.min(1, Math.max(0, (appliedSeq - from) / (to - from)));
  }

  /**
   * Whether the session is attached and everything its latest attach answered is applied (up to
   * `appliedSeq`): until then, what is typed cannot be routed.
   */
  isCaughtUp(appliedSeq: number): boolean {
    return (
      this.#attaching === 0 &&
      this.#attachedThroughSeq !== undefined &&
      appliedSeq >= this.#attachedThroughSeq
    );
  }

  /**
   * Whether all the history this attach brings is applied (up to `appliedSeq`), or all of it
   * that can be read: what the session shows may be printed.
   */
  isHistoryApplied(appliedSeq: number): boolean {
    return this.#unreadable !== undefined || this.isCaughtUp(appliedSeq);
  }

  /** Another session is shown (or the same one afresh): it has no history yet. */
  forgetHistory(): void {
    this.#historyThroughSeq = -1;
  }
}
