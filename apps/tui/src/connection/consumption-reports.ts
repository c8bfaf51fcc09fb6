import type { SessionEvent } from '@lifeline/protocol';

/** Where {@link ConsumptionReports} sends a report: `session.consumed {sid, seq}` to the gateway. */
export type ReportConsumed = (sid: string, seq: number) => void;

/**
 * Tells the gateway how far a session attached with an output window has been applied, so that it
 * sends more: after every `every` characters of output applied, and when nothing more waits. Each
 * report is a write the gateway wakes up for, so they are few; half a window keeps the other half
 * flowing meanwhile.
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
    if (event.type !== 'output') return;
    this.#sinceReport += event.data.length;
    if (this.#sinceReport >= this.every) this.report(appliedSeq);
  }

  /** Reports `appliedSeq`, unless it was reported already. */
  report(appliedSeq: number): void {
    if (appliedSeq <= this.#reportedSeq) return;
    this.#reportedSeq = appliedSeq;
    this.#sinceReport = 0;
    this.send(this.sid, appliedSeq);
  }
}
