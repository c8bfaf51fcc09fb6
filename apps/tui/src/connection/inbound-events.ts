import { type SessionEvent, windowedSize } from '@lifeline/protocol';
import type { GatewayLink } from './gateway-link.js';
import { ConsumptionReports } from './consumption-reports.js';
import { SlicedQueue } from './sliced-queue.js';

/**
 * Above this many characters of output waiting to be applied, the gateway is not read from. A key
 * typed into a flood is echoed behind everything that waits here, so it is kept small.
 */
const INBOUND_PAUSE_ABOVE = 32 * 1024;
/** It is read from again once less than this waits. */
const INBOUND_RESUME_BELOW = 16 * 1024;
/**
 * Characters of output the gateway may have in flight to us beyond what we have applied and
 * reported (`session.attach {outputWindow}`): a key typed into a flood is echoed behind at most
 * about this much output, wherever it waits (the gateway, the socket, here).
 */
export const OUTPUT_WINDOW = 64 * 1024;
/** Longest stretch of applying events before keys and timers get their turn. */
const INBOUND_SLICE_MS = 6;

/** What {@link InboundEvents} needs from the connection and the session shown. */
export interface InboundEventsOptions {
  /** The link events are applied from now (those of an earlier link are dropped), and paused. */
  currentLink: () => GatewayLink | undefined;
  /** The session shown: consumption reports are sent for it only. */
  shownSession: () => string | undefined;
  /** Applies one event received over the current link. */
  apply: (link: GatewayLink, event: SessionEvent) => void;
  /** The last seq of the session shown that is applied. */
  appliedSeq: () => number;
}

/**
 * The session's events as they arrive from the gateway: queued, applied a few milliseconds at a
 * time (so that a key typed during a flood waits for one slice rather than for everything that
 * arrived before it), the gateway paused while too much waits, and how far they are applied
 * reported to a gateway that takes reports (its output window).
 */
export class InboundEvents {
  readonly #options: InboundEventsOptions;
  readonly #queue: SlicedQueue<{ link: GatewayLink; event: SessionEvent }>;
  #pausedLink: GatewayLink | undefined;
  /** Reports of how far the session is applied, to a gateway that takes them, and that gateway. */
  #reporting: { link: GatewayLink; reports: ConsumptionReports } | undefined;

  constructor(options: InboundEventsOptions) {
    this.#options = options;
    this.#queue = new SlicedQueue({
      apply: ({ link, event }) => {
        if (link !== options.currentLink()) return;
        options.apply(link, event);
        this.#currentReports()?.applied(event, options.appliedSeq());
      },
      sizeOf: ({ event }) => windowedSize(event),
      pauseAbove: INBOUND_PAUSE_ABOVE,
      resumeBelow: INBOUND_RESUME_BELOW,
      sliceMs: INBOUND_SLICE_MS,
      pause: () => {
        this.#pausedLink = options.currentLink();
        this.#pausedLink?.pause();
      },
      resume: () => {
        this.#pausedLink?.resume();
        this.#pausedLink = undefined;
      },
    });
  }

  /** How much waits to be applied ({@link windowedSize} of the events queued). */
  get waiting(): number {
    return this.#queue.waiting;
  }

  /** Queues an event received over `link`. */
  push(link: GatewayLink, event: SessionEvent): void {
    this.#queue.push({ link, event });
  }

  /** Applies everything queued, now. */
  flush(): void {
    this.#queue.flush();
  }

  /**
   * Starts the reports for an attach of `sid` over `link` that continues after `afterSeq`, if that
   * attach has an output window (`windowed`); without one, nothing is reported.
   */
  reportFor(link: GatewayLink, sid: string, afterSeq: number, windowed: boolean): void {
    this.#reporting = windowed
      ? {
          link,
          reports: new ConsumptionReports(sid, afterSeq, OUTPUT_WINDOW / 2, (reportedSid, seq) => {
            link.client.notify('session.consumed', { sid: reportedSid, seq });
          }),
        }
      : undefined;
  }

  /** The reports of the session shown, over the current link, if its gateway takes them. */
  #currentReports(): ConsumptionReports | undefined {
    const reporting = this.#reporting;
    return reporting &&
      reporting.link === this.#options.currentLink() &&
      reporting.reports.sid === this.#options.shownSession()
      ? reporting.reports
      : undefined;
  }
}
