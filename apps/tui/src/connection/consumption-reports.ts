import { type SessionEvent, windowedSize } from '@lifeline/protocol';

/** Where {@link ConsumptionReports} sends a report: `session.consumed {sid, seq}` to the gateway. */
export type ReportConsumed = (sid: string, seq: number) => void;

/**
 * Tells the gateway how far a session attached with an output window has been applied, so that it
 * sends more: after every `every` characters' worth of events applied ({@link windowedSize}).
 * Each report is a write the gateway wakes up for, so they are few: with half a window between
 * two, the other half keeps flowing meanwhile, and the gateway always has room to send.
 */
export class ConsumptionReports {
  #reportedSeq: number;
  #sinceReport = 0;

  /** @param reportedSeq the seq the attach continued from: everything up to it is already shown */
  constructor(
    readonly sid: string,
    reportedSeq: number,
    private readonly every: number,
    private readonly send: ReportConsumed,
  ) {
    this.#reportedSeq = reportedSeq;
  }

  /** `event` was applied; `appliedSeq` is the last seq applied now. */
  applied(event: SessionEvent, appliedSeq: number): void {
    this.#sinceReport += windowedSize(event);
    if (this.#sinceReport >= this.every) this.#report(appliedSeq);
  }

  /** Reports `appliedSeq`, unless it was reported already. */
  #report(appliedSeq: number): void {
    if (appliedSeq <= this.#reportedSeq) return;
    this.#reportedSeq = appliedSeq;
    this.#sinceReport = 0;
    this.send(this.sid, appliedSeq);
  }
}
