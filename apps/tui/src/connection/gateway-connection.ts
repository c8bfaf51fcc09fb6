import {
  ATTACHED_BY_CAPABILITY,
  LifelineErrorCode,
  OUTPUT_WINDOW_CAPABILITY,
  OUTPUT_WINDOW_RESIZE_CAPABILITY,
  RECENT_HISTORY_CAPABILITY,
} from '@lifeline/protocol';
import {
  createRecoverySupervisor,
  describeExit,
  supervisorEventBreadcrumb,
  type RecoverySupervisor,
  type SupervisorState,
} from '@lifeline/recovery';
import { RpcError } from '@lifeline/rpc';
import type { ScreenHandover } from '../session/screen-handover.js';
import type { SessionView } from '../session/session-view.js';
import type { AttachProgress } from './attach-progress.js';
import { gatewayStateWords } from './gateway-state-words.js';
import type { Breadcrumb, GatewayLink } from './gateway-link.js';
import type { InboundEvents } from './inbound-events.js';
import { lookUpSession } from '../commands/internal/session-ref.js';
import { sessionToContinue } from '../commands/internal/session-pick.js';
import { describeError, type StatusMessage } from './status-message.js';

/** Which session the TUI opens first. */
export type InitialSession =
  /** A new session, in `cwd` (default: the gateway's own directory). */
  | { kind: 'new'; cwd?: string; name?: string }
  | { kind: 'continue' }
  | { kind: 'resume'; sid: string }
  /**
   * The one session named `name` (`--resume NAME`); none or several is fatal, in words naming
   * `where` the sessions were looked for (see {@link findSession}).
   */
  | { kind: 'resume-named'; name: string; where: string };

/** What a {@link GatewayConnection} needs from the controller around it. */
export interface GatewayConnectionOptions {
  /** Opens a new link to a gateway: spawns one, or connects to a remote one. */
  connect: () => GatewayLink | Promise<GatewayLink>;
  initial: InitialSession;
  breadcrumb: Breadcrumb;
  /** The session shown: the one attached, and re-attached from its last seq applied. */
  view: SessionView;
  progress: AttachProgress;
  /** Where the session's events go as they arrive. */
  inbound: InboundEvents;
  /** Sizes the session's terminal, and takes a session whose program has the terminal on. */
  screen: ScreenHandover;
  /** The supervisor's state changed. */
  onState: (state: SupervisorState) => void;
  /** Shows a message in the status line. */
  say: (message: StatusMessage) => void;
  /** The TUI cannot go on (an unknown session, say). */
  fail: (error: unknown) => void;
  /** Something the screen shows changed: draw it at once, or with the next frame. */
  publish: { now: () => void; soon: () => void };
  /**
   * Settles once the view can take a session's events (what it needs may still be loading): no
   * session is attached before. @default ready at once
   */
  viewReady?: Promise<unknown>;
}

/**
 * The TUI's connection to its gateway: starts the gateway through a recovery supervisor, attaches
 * to the session (opening the first one), and after any gateway death starts it again and
 * re-attaches from the last seq applied, so that nothing is shown twice or missed.
 */
export class GatewayConnection {
  readonly #options: GatewayConnectionOptions;
  readonly #supervisor: RecoverySupervisor;
  #link: GatewayLink | undefined;
  /** When the current recovery began, and after which exit. */
  #recovery: { since: number; exit: string | undefined } | undefined;

  constructor(options: GatewayConnectionOptions) {
    this.#options = options;
    this.#supervisor = createRecoverySupervisor({
      start: (target, child) => this.#startChild(target, child),
      stop: async (_child, reason) => {
        const link = this.#link;
        if (!link) return;
        if (reason === 'shutdown') link.close();
        else link.kill('manual recover');
        await Promise.race([link.closed, new Promise((resolve) => setTimeout(resolve, 1500))]);
        link.kill(reason);
        await link.closed;
      },
      onEvent: (event) => {
        const breadcrumb = supervisorEventBreadcrumb(event);
        options.breadcrumb(breadcrumb.event, breadcrumb.fields);
      },
      onState: (state) => {
        if (state.status === 'recovering' && !this.#recovery) {
          this.#recovery = {
            since: Date.now(),
            exit: state.lastExit ? describeExit(state.lastExit) : undefined,
          };
        }
        options.onState(state);
      },
    });
  }

  /** The supervisor's state: starting, live, recovering, gave up or stopped. */
  get state(): SupervisorState {
    return this.#supervisor.state;
  }

  /** The link to the gateway now (also while it is not live). */
  get link(): GatewayLink | undefined {
    return this.#link;
  }

  /** The link to the gateway, if it is live. */
  liveLink(): GatewayLink | undefined {
    return this.#supervisor.state.status === 'live' ? this.#link : undefined;
  }

  /**
   * Whether the session is attached over a live gateway and its history up to the attach is all
   * applied: until then, what is typed cannot be routed (a run of its history may look live).
   */
  get attached(): boolean {
    const { view, progress } = this.#options;
    return (
      this.#supervisor.state.status === 'live' &&
      view.sid !== undefined &&
      view.session !== undefined &&
      progress.isCaughtUp(view.fold.lastSeq)
    );
  }

  /** Starts the gateway and opens the first session. */
  start(): void {
    this.#supervisor.start();
  }

  /** Restarts the gateway now and resets the recovery budget. */
  recoverNow(): void {
    // Asked for: timed from now, and not put down to the exit that came before.
    this.#recovery = { since: Date.now(), exit: undefined };
    this.#supervisor.recoverNow();
  }

  /** The session to attach after a restart of the gateway. */
  retarget(sid: string): void {
    this.#supervisor.retarget(sid);
  }

  /** Stops for good: never recovers again, closes the gateway. */
  shutdown(): Promise<void> {
    return this.#supervisor.shutdown();
  }

  /**
   * Does `action` with the live link and the session shown; says in the status line why it could
   * not be done (unless `report` is false).
   * @returns whether the action succeeded
   */
  async withSession(
    what: string,
    action: (link: GatewayLink, sid: string) => Promise<unknown>,
    report = true,
  ): Promise<boolean> {
    const link = this.liveLink();
    const sid = this.#options.view.sid;
    if (!link || !sid) {
      if (report)
        this.#options.say({
          text: `cannot ${what} while the gateway is ${gatewayStateWords(this.#supervisor.state)}`,
          tone: 'warning',
        });
      return false;
    }
    try {
      await action(link, sid);
      return true;
    } catch (error) {
      if (report)
        this.#options.say({ text: `could not ${what}: ${describeError(error)}`, tone: 'error' });
      return false;
    }
  }

  async #startChild(
    target: string | undefined,
    child: {
      ready: (target?: string) => boolean;
      exited: (exit: {
        code: number | null;
        signal: string | null;
        reason?: string;
        detail?: string;
      }) => boolean;
    },
  ): Promise<void> {
    const { view, inbound, breadcrumb } = this.#options;
    const link = await this.#options.connect();
    this.#link = link;
    link.client.on('session.event', ({ sid, ...event }) => {
      if (sid === view.sid && link === this.#link) inbound.push(link, event);
    });
    link.client.on('session.unreadable', ({ sid, message }) => {
      if (sid !== view.sid || link !== this.#link) return;
      // Attaching again would stop at the same place: say so, and leave the choice to the user.
      breadcrumb('session.unreadable', { sid, message });
      // The events sent before it are shown first, with it.
      inbound.flush();
      // Said for as long as it holds (see the controller's snapshot), whatever else happens meanwhile.
      this.#options.progress.cutShort(message);
      this.#options.publish.now();
    });
    void link.closed.then((info) => {
      const detail = info.stderrTail?.trim().split('\n').at(-1);
      child.exited(
        // Its end is the kill that ended it: the signal would read as a crash of its own.
        info.killedFor === undefined
          ? {
              code: info.exitCode ?? null,
              signal: info.signal ?? null,
              reason: info.reason,
              ...(detail ? { detail } : {}),
            }
          : { code: null, signal: null, reason: 'killed', detail: info.killedFor },
      );
    });
    await link.ready;
    let sid = target ?? view.sid;
    if (sid === undefined) {
      try {
        sid = await this.#openInitialSession(link);
      } catch (error) {
        this.#options.fail(error);
        throw error;
      }
    }
    try {
      await this.attach(link, sid);
    } catch (error) {
      if (RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionUnreadable) {
        // The gateway is up; the session's log cannot be read where an attach starts reading it.
        // Another gateway would read it no better: it is said, and Lifeline's commands still work.
        breadcrumb('session.unreadable', { sid, message: error.message });
        this.#options.progress.cutShort(error.message);
      } else {
        if (RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionNotFound)
          this.#options.fail(error);
        throw error;
      }
    }
    child.ready(sid);
    const recovery = this.#recovery;
    this.#recovery = undefined;
    if (recovery) {
      const took = Date.now() - recovery.since;
      breadcrumb('recovery.done', { ms: took, exit: recovery.exit });
      this.#options.say({
        text: `${recovery.exit ? `gateway exited (${recovery.exit}) — ` : 'session '}recovered in ${took} ms, nothing lost`,
        tone: 'info',
      });
    }
  }

  async #openInitialSession(link: GatewayLink): Promise<string> {
    const initial = this.#options.initial;
    switch (initial.kind) {
      case 'new':
        return (
          await link.client.call('session.create', {
            ...(initial.cwd === undefined ? {} : { cwd: initial.cwd }),
            ...(initial.name === undefined ? {} : { name: initial.name }),
            ...this.#options.screen.sessionSize(),
          })
        ).sid;
      case 'resume':
        return initial.sid;
      case 'resume-named':
        return (await lookUpSession(link, initial.name, initial.where)).sid;
      case 'continue': {
        const { sessions } = await link.client.call('session.list', {});
        const live = sessionToContinue(sessions);
        if (!live) {
          throw new RpcError(
            LifelineErrorCode.SessionNotFound,
            'there is no live session to continue; start one with `lifeline`, or pick an ended one with `lifeline sessions` and `lifeline --resume <sid>`',
          );
        }
        return live.sid;
      }
    }
  }

  /**
   * Attaches `sid` over `link`, continuing after the last seq applied of it (from its start if it
   * is not the session shown: it is shown from now on).
   */
  async attach(link: GatewayLink, sid: string): Promise<void> {
    const { view, progress, publish } = this.#options;
    // Everything received is applied first: the attach continues from the last seq applied.
    this.#options.inbound.flush();
    if (view.sid !== sid) view.show(sid);
    const afterSeq = view.fold.lastSeq;
    progress.begin();
    // The first attach, while the gateway starts, shows nothing new (the screen says it is
    // attaching already): a frame drawn for it would hold back the one with `● ready` that comes
    // with the attach by the renderer's frame interval.
    if (this.#supervisor.state.status !== 'starting') publish.now();
    try {
      await this.#attachFrom(link, sid, afterSeq);
    } finally {
      progress.end();
    }
    publish.soon();
  }

  async #attachFrom(link: GatewayLink, sid: string, afterSeq: number): Promise<void> {
    const { view, progress, screen } = this.#options;
    const { capabilities } = await link.ready;
    // A session shown anew is read from the last stretch of a long log only: what is kept of it
    // would be the last lines anyway.
    const skipped =
      afterSeq === -1 && capabilities.includes(RECENT_HISTORY_CAPABILITY)
        ? (await link.client.call('session.recent', { sid, maxBytes: RECENT_HISTORY_BYTES }))
            .skipped
        : undefined;
    const from = skipped?.throughSeq ?? afterSeq;
    const windowed = capabilities.includes(OUTPUT_WINDOW_CAPABILITY);
    const inbound = this.#options.inbound;
    const outputWindow = inbound.outputWindow;
    inbound.reportFor(link, sid, from, {
      windowed,
      resizable: capabilities.includes(OUTPUT_WINDOW_RESIZE_CAPABILITY),
    });
    await this.#options.viewReady;
    const attached = await link.client.call('session.attach', {
      sid,
      afterSeq: from,
      ...(windowed ? { outputWindow } : {}),
      // Shown to a person, opened or attached again after a recovery: the gateway records when,
      // and when it is left, which `lifeline -c` goes by.
      ...(capabilities.includes(ATTACHED_BY_CAPABILITY) ? { attachedBy: 'person' as const } : {}),
    });
    view.attached(attached.session);
    // Before the events that came with the answer are applied (they wait for the next turn).
    if (skipped)
      view.fold.skipHistory(skipped, skippedHistoryNote(skipped.bytes, attached.session));
    // Shown anew, from the start of its log or from its last stretch: what the log holds is history.
    if (progress.answered(from, attached.lastSeq, afterSeq === -1)) screen.historyCaughtUp();
    this.#options.breadcrumb('session.attach', { sid, afterSeq: from, lastSeq: attached.lastSeq });
    // The PTY follows this terminal, whatever size it had before.
    void link.client
      .call('session.resize', { sid, ...screen.sessionSize() })
      .catch(() => undefined);
    // Not at once: when this attach brings the connection up, that publishes right after, and one
    // frame with both shows `● ready` a frame sooner than two (the second waits for the frame rate).
  }
}

/**
 * How much of a long log's end a session shown anew is read from (at least: it starts at a run's
 * end before it): the transcript keeps its last 50,000 lines, which take less (a few MB).
 */
const RECENT_HISTORY_BYTES = 8 * 1024 * 1024;

/** The note at the top of a transcript read from the last stretch of a long log. */
function skippedHistoryNote(bytes: number, session: { sid: string; name?: string }): string {
  const megabytes = Math.max(1, Math.round(bytes / (1024 * 1024)));
  return `earlier history (${megabytes} MB of log) is not shown here: \`lifeline replay ${session.name ?? session.sid}\` prints it`;
}
