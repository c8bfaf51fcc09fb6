import { type SessionEvent, windowedSize } from '@lifeline/protocol';
import type { GatewayLink } from './gateway-link.js';
import { ConsumptionReports } from './consumption-reports.js';
import { outputParts } from './output-parts.js';
import { OutputWindowSizer } from './output-window-sizer.js';
import { SlicedQueue } from './sliced-queue.js';

/**
 * Above this many characters of output waiting to be applied, or half the output window if that
 * is more, the gateway is not read from. A key typed into a flood is echoed behind everything that
 * waits here, so it is kept small (a gateway with a window sends no more than it anyway).
 */
const INBOUND_PAUSE_ABOVE = 32 * 1024;
/** Longest stretch of applying events before keys and timers get their turn. */
const INBOUND_SLICE_MS = 6;

/** What {@link InboundEvents} needs from the connection and the session shown. */
export interface InboundEventsOptions {
  /** The link events are applied from now (those of an earlier link are dropped), and paused. */
  currentLink: () => GatewayLink | undefined;
  /** The session shown: consumption reports are sent for it only. */
  shownSession: () => string | undefined;
  /**
   * Applies one event received over the current link, or a part of one (see {@link outputParts}):
   * `more` for each part after the first, which goes on with the output of the event applied last.
   * Says whether it was applied (the parts that follow one that was not are dropped).
   */
  apply: (link: GatewayLink, event: SessionEvent, more: boolean) => boolean;
  /** The last seq of the session shown that is applied. */
  appliedSeq: () => number;
  /** @default performance.now */
  now?: () => number;
}

/**
 * An event queued, or a part of one: `more` after its first part, `continues` before its last.
 */
interface QueuedEvent {
  link: GatewayLink;
  event: SessionEvent;
  more: boolean;
  continues: boolean;
}

/**
 * The session's events as they arrive from the gateway: queued, applied a few milliseconds at a
 * time (so that a key typed during a flood waits for one slice rather than for everything that
 * arrived before it; long output in parts, see {@link outputParts}), the gateway paused while too
 * much waits, and how far they are applied reported to a gateway that takes reports (its output
 * window).
 */
export class InboundEvents {
  readonly #options: InboundEventsOptions;
  readonly #queue: SlicedQueue<QueuedEvent>;
  /**
   * The link of the event whose first parts are applied and whose next part goes on with them,
   * whichever link is current by then: an event is applied whole once begun (how far the session
   * is applied, what a new link attaches after, counts it).
   */
  #continuing: GatewayLink | undefined;
  #pausedLink: GatewayLink | undefined;
  /** Reports of how far the session is applied, to a gateway that takes them, and that gateway. */
  #reporting: { link: GatewayLink; reports: ConsumptionReports } | undefined;
  /** The output window, from how fast output is applied. */
  readonly #windowSizer = new OutputWindowSizer();

  constructor(options: InboundEventsOptions) {
    this.#options = options;
    const now = options.now ?? (() => performance.now());
    const pauseAbove = () => Math.max(INBOUND_PAUSE_ABOVE, this.#windowSizer.window / 2);
    this.#queue = new SlicedQueue({
      apply: ({ link, event, more, continues }) => {
        const begun = this.#continuing;
        this.#continuing = undefined;
        if (more ? begun !== link : link !== options.currentLink()) return;
        const started = now();
        const applied = options.apply(link, event, more);
        if (applied && continues) this.#continuing = link;
        this.#windowSizer.applied(windowedSize(event), now() - started);
        // An event is reported applied once all of it is.
        this.#currentReports()?.applied(event, options.appliedSeq() - (continues ? 1 : 0));
      },
      sizeOf: ({ event }) => windowedSize(event),
      pauseAbove,
      resumeBelow: () => pauseAbove() / 2,
      sliceMs: INBOUND_SLICE_MS,
      now,
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
    if (event.type !== 'output') {
      this.#queue.push({ link, event, more: false, continues: false });
      return;
    }
    const parts = outputParts(event.data);
    parts.forEach((data, index) => {
      this.#queue.push({
        link,
        event: parts.length === 1 ? event : { ...event, data },
        more: index > 0,
        continues: index < parts.length - 1,
      });
    });
  }

  /** Applies everything queued, now. */
  flush(): void {
    this.#queue.flush();
  }

  /**
   * The output window to attach with (`session.attach {outputWindow}`): as much output as is
   * applied in a short time (see {@link OutputWindowSizer}).
   */
  get outputWindow(): number {
    return this.#windowSizer.window;
  }

  /**
   * Starts the reports for an attach of `sid` over `link` that continues after `afterSeq`, if that
   * attach has an output window of {@link outputWindow} (`windowed`); without one, nothing is
   * reported. A gateway that takes a new window (`resizable`) is told of it as it changes.
   */
  reportFor(
    link: GatewayLink,
    sid: string,
    afterSeq: number,
    { windowed, resizable }: { windowed: boolean; resizable: boolean },
  ): void {
    const sizer = this.#windowSizer;
    this.#reporting = windowed
      ? {
          link,
          reports: new ConsumptionReports(
            sid,
            afterSeq,
            sizer.window,
            resizable ? () => sizer.window : undefined,
            (reportedSid, seq, outputWindow) => {
              link.client.notify('session.consumed', {
                sid: reportedSid,
                seq,
                ...(outputWindow === undefined ? {} : { outputWindow }),
              });
            },
          ),
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
