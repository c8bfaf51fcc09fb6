import { type SessionEvent, windowedSize } from '@lifeline/protocol';

/**
 * Where {@link ConsumptionReports} sends a report: `session.consumed {sid, seq, outputWindow?}` to
 * the gateway; `outputWindow` when the window is to change from now on.
 */
export type ReportConsumed = (sid: string, seq: number, outputWindow: number | undefined) => void;

/**
 * Tells the gateway how far a session attached with an output window has been applied, so that it
 * sends more: after every half window's worth of events applied ({@link windowedSize}). Each
 * report is a write the gateway wakes up for, so they are few: with half a window between two,
 * the other half keeps flowing meanwhile, and the gateway always has room to send. A report also
 * carries a new window size, when the gateway takes one and it changed.
 */
export class ConsumptionReports {
  #reportedSeq: number;
  /** Applied since the last report: what the gateway counts as unreported once it is all applied. */
  #sinceReport = 0;
  /**
   * Applied of the event whose parts are being applied (its seq is past the last seq applied
   * whole): a report before its last part leaves it unreported for the gateway, so it still counts.
   */
  #ofUnfinished = 0;
  /** The window the gateway holds to now. */
  #window: number;

  /**
   * @param reportedSeq the seq the attach continued from: everything up to it is already shown
   * @param window the window the attach asked for
   * @param nextWindow the window wanted now, for a gateway that takes a new one; else undefined
   */
  constructor(
    readonly sid: string,
    reportedSeq: number,
    window: number,
    private readonly nextWindow: (() => number) | undefined,
    private readonly send: ReportConsumed,
  ) {
    this.#reportedSeq = reportedSeq;
    this.#window = window;
  }

  /**
   * `event` (or a part of it) was applied; `appliedSeq` is the last seq applied whole now (before
   * `event`'s own while parts of it are still to come).
   */
  applied(event: SessionEvent, appliedSeq: number): void {
    const size = windowedSize(event);
    this.#sinceReport += size;
    this.#ofUnfinished = event.seq > appliedSeq ? this.#ofUnfinished + size : 0;
    if (this.#sinceReport >= this.#window / 2) this.#report(appliedSeq);
  }

  /** Reports `appliedSeq`, unless it was reported already. */
  #report(appliedSeq: number): void {
    if (appliedSeq <= this.#reportedSeq) return;
    this.#reportedSeq = appliedSeq;
    this.#sinceReport = this.#ofUnfinished;
    const wanted = this.nextWindow?.() ?? this.#window;
    const resized = wanted === this.#window ? undefined : wanted;
    this.#window = wanted;
    this.send(this.sid, appliedSeq, resized);
  }
}
