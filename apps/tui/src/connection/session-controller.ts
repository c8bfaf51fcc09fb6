import { randomUUID } from 'node:crypto';
import {
  isSessionId,
  TERMINAL_REPLIES_CAPABILITY,
  type SessionEvent,
  type SessionSummary,
} from '@lifeline/protocol';
import type { SupervisorState } from '@lifeline/recovery';
import { PeerExitedError } from '@lifeline/rpc';
import { lookUpSession } from '../commands/internal/session-ref.js';
import { neutralisePaste } from '../input/keypress.js';
import type { OutputLinesFactory, RunLinesFactory } from '../session/output-lines.js';
import { cursorKeysFor } from '../session/cursor-keys-mode.js';
import type { PassthroughAction, PassthroughMode } from '../session/passthrough-plan.js';
import { ScreenHandover } from '../session/screen-handover.js';
import { SessionView } from '../session/session-view.js';
import { terminalReplies } from '../session/terminal-replies.js';
import type { TerminalQuery } from '../terminal/output-sanitizer.js';
import type { TranscriptFold, TranscriptSnapshot } from '../session/transcript-fold.js';
import { bracketedPaste } from '../terminal-sequences.js';
import { AttachProgress } from './attach-progress.js';
import { gatewayRefusal } from './gateway-refusal.js';
import { gatewayStateWords } from './gateway-state-words.js';
import { GatewayConnection, type InitialSession } from './gateway-connection.js';
import type { Breadcrumb, GatewayLink } from './gateway-link.js';
import { InboundEvents } from './inbound-events.js';
import { describeError, type StatusMessage } from './status-message.js';
import { FRAME_INTERVAL_MS, frameIntervalMs } from './frame-pacing.js';
import { Store } from './store.js';
import { TypedInput, type TypedWrite, type TypedWriteOutcome } from './typed-input.js';

export type { InitialSession };

/** Everything the screen shows, as of now. */
export interface ControllerSnapshot {
  connection: SupervisorState;
  session: SessionSummary | undefined;
  transcript: TranscriptSnapshot;
  message: StatusMessage | undefined;
  /** Set when the TUI cannot go on (unknown session, refused token): the app shows it and exits. */
  fatal: { text: string; exitCode: number } | undefined;
  /** Whether the terminal is handed over to the running program. */
  passthrough: PassthroughMode;
  /**
   * Whether the session is attached over a live gateway and its history up to the attach is all
   * applied: until then, what is typed cannot be routed (a run of its history may look live).
   */
  attached: boolean;
  /**
   * Events up to this seq happened before the session was shown: its log as the latest attach
   * answered (all of it while an attach is under way). A clear among them is not done again.
   */
  historyThroughSeq: number;
  /**
   * Whether the history of the session shown is all applied, or all of it there is to apply (the
   * rest of its log cannot be read, or no gateway brings more): what it holds may be printed.
   */
  historyApplied: boolean;
  /**
   * Whether the session is being shown from its start and what comes next is still its history:
   * a run going on in the transcript may have ended long ago, so it is not shown as running.
   */
  catchingUp: boolean;
  /**
   * When the latest attach brings a long log: how much of it is applied, from 0 to 1 (shown while
   * the session is not shown yet).
   */
  attachShown: number | undefined;
  /** Whether the rest of the session's log cannot be read: nothing after what is shown comes. */
  unreadable: boolean;
}

/** What the status line says while the rest of the session's log cannot be read (`reason`). */
function unreadableMessage(reason: string | undefined): StatusMessage | undefined {
  return reason === undefined
    ? undefined
    : { text: `the rest of this session cannot be shown: ${reason}`, tone: 'error' };
}

/** What the controller needs from its surroundings. */
export interface SessionControllerOptions {
  /** Opens a new link to a gateway: spawns one, or connects to a remote one. */
  connect: () => GatewayLink | Promise<GatewayLink>;
  initial: InitialSession;
  size: { cols: number; rows: number };
  breadcrumb: Breadcrumb;
  /** Makes the line model that turns raw output between runs into safe display lines. */
  createLines: OutputLinesFactory;
  /** Makes the screen each run draws on; called only once {@link viewReady} has settled. */
  createRunLines: RunLinesFactory;
  /**
   * Settles once {@link createRunLines} can be called: the TUI loads what it needs for it (the
   * terminal emulator behind a run's screen) while the gateway and the session start, and attaches
   * the session only then, since any of its events may need it. @default ready at once
   */
  viewReady?: Promise<unknown>;
  /** Most lines of one run's output kept in memory. @default 10000 */
  maxLinesPerRun?: number;
  /** Most output lines kept in memory across runs (the oldest runs go first). @default 50000 */
  maxLines?: number;
  /** Exit code and message for errors that must end the TUI. */
  fatalFor?: (error: unknown) => { text: string; exitCode: number } | undefined;
}

/**
 * The TUI's model of its connection and session, independent of React: a façade over the gateway
 * connection (supervisor, link, attach), the inbound events (queue, pause, reports), the screen
 * handover and the session view (transcript fold, session switch), publishing what the screen
 * shows as one snapshot.
 */
export class SessionController {
  readonly store: Store<ControllerSnapshot>;
  private readonly options: SessionControllerOptions;
  private readonly view: SessionView;
  private readonly progress = new AttachProgress();
  private readonly screen: ScreenHandover;
  private readonly inbound: InboundEvents;
  private readonly connection: GatewayConnection;
  private readonly typed: TypedInput;
  private message: StatusMessage | undefined;
  private fatal: ControllerSnapshot['fatal'];
  private publishTimer: NodeJS.Timeout | undefined;
  /** When the planned snapshot is due (`performance.now()`), while {@link publishTimer} is set. */
  private publishDueAt = Number.POSITIVE_INFINITY;
  /** When the last snapshot was published (`performance.now()`). */
  private publishedAt = Number.NEGATIVE_INFINITY;
  /** Characters of output applied since the last snapshot. */
  private outputSincePublish = 0;
  /** Whether a run ended since the last snapshot. */
  private runEndedSincePublish = false;
  /** When keys were last typed into the session shown (its `input` events, live ones). */
  private keysAt = Number.NEGATIVE_INFINITY;
  /** The transcript the last event applied was output of: the next part of that output goes on it. */
  private outputInParts: TranscriptFold | undefined;
  private quitting = false;

  /** Whether the TUI is quitting (`/quit`): what is typed from then on goes nowhere. */
  get isQuitting(): boolean {
    return this.quitting;
  }

  constructor(options: SessionControllerOptions) {
    this.options = options;
    this.view = new SessionView({
      createLines: options.createLines,
      createRunLines: options.createRunLines,
      ...(options.maxLinesPerRun === undefined ? {} : { maxLinesPerRun: options.maxLinesPerRun }),
      ...(options.maxLines === undefined ? {} : { maxLines: options.maxLines }),
      onNewTranscript: () => this.screen.reset(),
    });
    this.screen = new ScreenHandover({
      view: this.view,
      progress: this.progress,
      size: options.size,
      // Asked while the session is being attached (its full-screen program handed the terminal
      // and made to redraw as it is shown), a size goes once the connection is live.
      resizeSession: async (size) =>
        (await this.untilLive()) &&
        this.connection.withSession(
          'resize',
          (link, sid) => link.client.call('session.resize', { sid, ...size }),
          false,
        ),
      breadcrumb: options.breadcrumb,
      changed: () => this.publishNow(),
    });
    this.screen.onQueries((queries) => {
      this.answerQueries(queries);
    });
    this.inbound = new InboundEvents({
      currentLink: () => this.connection.link,
      shownSession: () => this.view.sid,
      apply: (link, event, more) => this.receive(link, event, more),
      appliedSeq: () => this.view.fold.lastSeq,
    });
    this.connection = new GatewayConnection({
      connect: options.connect,
      ...(options.viewReady ? { viewReady: options.viewReady } : {}),
      initial: options.initial,
      breadcrumb: options.breadcrumb,
      view: this.view,
      progress: this.progress,
      inbound: this.inbound,
      screen: this.screen,
      onState: (state) => {
        // What the status line said was about the state before (a recovery notice, a refusal).
        this.message = undefined;
        // A program cannot be reached any more: the user gets the terminal back, to see why and to
        // /recover. A full-screen program gets it again once the gateway is back (another program,
        // Ctrl+] hands it over).
        if (state.status === 'gave-up') this.screen.takeBack('reachable-again');
        // Keys typed while it recovered wait for it: /recover sends them.
        const unsent = this.typed.unsentCharacters;
        if (state.status === 'gave-up' && unsent > 0) {
          const [what, them] =
            unsent === 1 ? ['character waits', 'it'] : ['characters wait', 'them'];
          this.message = {
            text: `${unsent} typed ${what} for the gateway: /recover sends ${them}, /quit leaves without ${them}`,
            tone: 'warning',
          };
        }
        // A gateway that refused to go on said why (a state directory it cannot use): that is
        // what the user has to mend before /recover can help.
        const refusal = state.status === 'gave-up' ? gatewayRefusal(state.lastExit) : undefined;
        if (refusal !== undefined) {
          this.message = {
            text: `the gateway stopped: ${refusal}${this.message ? `; ${this.message.text}` : ''}`,
            tone: 'error',
          };
        }
        if (state.status === 'live') this.screen.reachableAgain();
        this.publishNow();
      },
      say: (message) => this.say(message),
      fail: (error) => this.fail(error),
      publish: { now: () => this.publishNow(), soon: () => this.schedulePublish() },
    });
    const keyPrefix = randomUUID().slice(0, 8);
    let keys = 0;
    this.typed = new TypedInput({
      sid: () => this.view.sid,
      write: (write) => this.writeTyped(write),
      // Through a recovery that gives up: they go once /recover brings the gateway back.
      untilLive: () => this.untilLive({ throughGiveUp: true }),
      dropped: (characters, why) => {
        const reason = this.quitting
          ? 'Lifeline was quitting when they came'
          : why === 'gateway'
            ? `the gateway is ${gatewayStateWords(this.connection.state)}; /recover tries again`
            : 'another session is shown now';
        this.say({
          text: `${characters} typed ${characters === 1 ? 'character was' : 'characters were'} not sent: ${reason}`,
          tone: 'warning',
        });
      },
      newKey: () => `keys-${keyPrefix}-${(keys += 1)}`,
    });
    this.store = new Store(this.snapshot());
  }

  /** Starts the gateway and opens the first session. */
  start(): void {
    this.connection.start();
  }

  /** The session shown now. */
  get sessionId(): string | undefined {
    return this.view.sid;
  }

  /**
   * Runs a command in the session (the transcript shows it as it happens). A command typed while
   * the gateway starts or recovers waits for it.
   * @returns whether it started
   */
  async run(command: string): Promise<boolean> {
    if (!(await this.untilLive())) {
      this.say({
        text: `cannot run the command while the gateway is ${gatewayStateWords(this.connection.state)}; /recover tries again`,
        tone: 'warning',
      });
      return false;
    }
    return this.connection.withSession('run the command', (link, sid) =>
      link.client.call(
        'session.run',
        { sid, command, wait: false, typedBy: 'person' },
        { timeoutMs: 60_000 },
      ),
    );
  }

  /**
   * Writes typed keys into the session they were typed for. Without a gateway to take them (it
   * is gone, or not back yet), the connection is lost: they go again once it is back. Typed for a
   * session no longer shown, they are not written: {@link TypedInput} drops them, in words, as it
   * would send them again.
   */
  private async writeTyped({ data, key, sid }: TypedWrite): Promise<TypedWriteOutcome> {
    const link = this.connection.liveLink();
    if (!link || sid === undefined || sid !== this.view.sid) return 'connection-lost';
    try {
      await link.client.call('session.input', { sid, data, idempotencyKey: key });
      return 'sent';
    } catch (error) {
      if (PeerExitedError.isInstance(error)) return 'connection-lost';
      this.say({ text: `could not send the keys: ${describeError(error)}`, tone: 'error' });
      return 'refused';
    }
  }

  /**
   * Answers, in the terminal's place, questions the session's program asked its terminal (see
   * `ScreenHandover.onQueries`): where its cursor is, as the TUI draws the screen, and what the
   * terminal is. The host types the first answer to each question, whichever client sent it.
   */
  private answerQueries(queries: readonly TerminalQuery[]): void {
    const data = terminalReplies(queries, this.view.fold.terminalCursor());
    const link = this.connection.liveLink();
    const sid = this.view.sid;
    if (data === '' || !link || sid === undefined) return;
    void link.ready
      .then(({ capabilities }) =>
        capabilities.includes(TERMINAL_REPLIES_CAPABILITY)
          ? link.client.call('session.reply', { sid, data })
          : undefined,
      )
      // Unanswered, the program goes on as without a terminal that answers (it waits a moment).
      .catch(() => undefined);
  }

  /**
   * Resolves true once the gateway is live with a session, false if it gives up, stops or takes
   * longer than 30 s. `throughGiveUp`: waits for as long as it takes, through a recovery that
   * gives up (until /recover), false only once Lifeline stops or cannot show the session.
   */
  private untilLive({ throughGiveUp = false } = {}): Promise<boolean> {
    const isLive = () =>
      this.connection.state.status === 'live' &&
      this.view.sid !== undefined &&
      this.connection.link !== undefined;
    const isOver = () => {
      const status = this.connection.state.status;
      return (
        (status === 'gave-up' && !throughGiveUp) || status === 'stopped' || this.fatal !== undefined
      );
    };
    if (isLive()) return Promise.resolve(true);
    // Given up already: nothing will change until /recover.
    if (isOver()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = throughGiveUp ? undefined : setTimeout(() => finish(false), 30_000);
      const stop = this.store.subscribe(() => {
        if (isLive()) finish(true);
        else if (isOver()) finish(false);
      });
      function finish(live: boolean) {
        clearTimeout(timer);
        stop();
        resolve(live);
      }
    });
  }

  /**
   * Types into the session's terminal (the running program, or the shell at its prompt). What is
   * typed is sent in order, each character once: what is typed while a write is on its way goes in
   * the next one, as one piece (a line editor reads it as fast typing).
   */
  type(data: string): void {
    this.typed.type(data);
  }

  /**
   * Types keys the user pressed into the session's terminal, as {@link type} does: the arrows (and
   * Home, End) as a terminal in the cursor keys' mode the session's programs asked for sends them.
   */
  typeKeys(keys: string): void {
    this.type(cursorKeysFor(keys, this.screen.applicationCursorKeys));
  }

  /**
   * Pastes into the session's terminal: in one bracketed paste if the program (or the shell's line
   * editor) asked for them, and never with anything that could end that paste early.
   */
  paste(text: string): void {
    const safe = neutralisePaste(text);
    this.type(this.screen.programBracketedPaste ? bracketedPaste(safe) : safe);
  }

  /**
   * Interrupts the running program (Ctrl+C), once the keys typed before it are sent: it reaches
   * the program after them, as the key would in a terminal.
   */
  interrupt(): Promise<void> {
    return new Promise((resolve) => {
      this.typed.afterTyped(() => {
        void this.connection
          .withSession('interrupt', (link, sid) =>
            link.client.call('session.signal', { sid, signal: 'SIGINT' }),
          )
          .then(() => resolve());
      });
    });
  }

  /** The terminal was resized: the session's PTY follows. */
  async resize(cols: number, rows: number): Promise<void> {
    this.screen.size = { cols, rows };
    const size = this.screen.sessionSize();
    await this.connection.withSession(
      'resize',
      (link, sid) => link.client.call('session.resize', { sid, ...size }),
      false,
    );
  }

  /** Every session the gateway knows. */
  async listSessions(): Promise<SessionSummary[]> {
    const link = this.connection.liveLink();
    if (!link) return [];
    return (await link.client.call('session.list', {})).sessions;
  }

  /** Starts a new session in the current cwd and switches to it (`/new`). */
  async newSession(): Promise<void> {
    const link = this.connection.liveLink();
    if (!link) {
      this.say({ text: 'not connected to a gateway yet; try again in a moment', tone: 'warning' });
      return;
    }
    const cwd = this.view.cwd ?? process.cwd();
    const { sid } = await link.client.call('session.create', {
      cwd,
      ...this.screen.sessionSize(),
    });
    await this.switchTo(link, sid);
  }

  /** Renames the current session (`/rename <name>`); the header shows the new name. */
  async rename(name: string): Promise<void> {
    const link = this.connection.liveLink();
    const sid = this.view.sid;
    if (!link || sid === undefined) {
      this.say({ text: 'not connected to a gateway yet; try again in a moment', tone: 'warning' });
      return;
    }
    const { session } = await link.client.call('session.rename', { sid, name });
    this.view.renamed(sid, session);
    this.schedulePublish();
  }

  /** Switches to another session: `/resume` (an id, the start of one, or a name), the picker. */
  async resume(reference: string): Promise<void> {
    const link = this.connection.liveLink();
    if (!link) {
      this.say({ text: 'not connected to a gateway yet; try again in a moment', tone: 'warning' });
      return;
    }
    try {
      // The picker gives ids from the list it shows; only what was typed needs looking up.
      const sid = isSessionId(reference)
        ? reference
        : (await lookUpSession(link, reference, 'this gateway', '/sessions')).sid;
      await this.switchTo(link, sid);
    } catch (error) {
      this.say({ text: describeError(error), tone: 'error' });
    }
  }

  /** Restarts the gateway now and resets the recovery budget (`/recover`). */
  recover(): void {
    this.say({ text: 'recovering…', tone: 'info' });
    this.connection.recoverNow();
  }

  /** Shows a message in the status line. */
  say(message: StatusMessage | undefined): void {
    this.message = message;
    this.publishNow();
  }

  /** Receives what to write to the terminal while it is handed over to the running program. */
  onPassthrough(listener: (action: PassthroughAction) => void): () => void {
    return this.screen.onPassthrough(listener);
  }

  /** Calls `listener` with the window title the session's program sets (see `ScreenHandover.onTitle`). */
  onTitle(listener: (title: string) => void): () => void {
    return this.screen.onTitle(listener);
  }

  /** Calls `listener` as the session's program rings the bell (see `ScreenHandover.onBell`). */
  onBell(listener: () => void): () => void {
    return this.screen.onBell(listener);
  }

  /**
   * Hands the whole terminal to the running command (the attach key), until `detachFromRun()` or its end.
   * Pressed right after Enter, before the run started or its command line was echoed, it takes
   * effect as soon as the echo is past.
   */
  attachToRun(): void {
    this.screen.attachToRun();
  }

  /** Takes the terminal back from a command the user attached to. */
  detachFromRun(): void {
    this.screen.detachFromRun();
  }

  /** Stops for good: never recovers again, closes the gateway. */
  async quit(): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.screen.cancelAttachRequest();
    this.options.breadcrumb('tui.quit');
    await this.connection.shutdown();
  }

  private async switchTo(link: GatewayLink, sid: string): Promise<void> {
    if (sid === this.view.sid) return;
    // What is still queued of the session shown belongs to its fold (kept if the switch fails).
    this.inbound.flush();
    const previous = this.view.sid;
    const showPrevious = this.view.show(sid);
    try {
      await this.connection.attach(link, sid);
    } catch (error) {
      showPrevious();
      this.publishNow();
      throw error;
    }
    if (previous) void link.client.call('session.detach', { sid: previous }).catch(() => undefined);
    this.connection.retarget(sid);
    this.options.breadcrumb('session.switch', { from: previous, to: sid });
  }

  /** Applies an event, or the next part of the output event applied last (`more`); says whether it was applied. */
  private receive(link: GatewayLink, event: SessionEvent, more = false): boolean {
    const sid = this.view.sid;
    const fold = this.view.fold;
    if (more) {
      // The rest of an output event goes on the transcript its first part went on, or nowhere.
      const applied = fold === this.outputInParts && fold.applyMoreOutput(event) === 'applied';
      if (!applied) {
        this.outputInParts = undefined;
        return false;
      }
    }
    const outcome = more ? 'applied' : fold.apply(event);
    this.outputInParts = outcome === 'applied' && event.type === 'output' ? fold : undefined;
    // Past a place in the log that cannot be read, no event can be shown in order: attaching again
    // would stop at the same place.
    if (outcome === 'gap' && this.progress.unreadable !== undefined) return false;
    if (outcome === 'gap' && sid) {
      // Never show a transcript with a hole: ask again from the last seq we have.
      this.options.breadcrumb('session.gap', {
        sid,
        expected: this.view.fold.lastSeq + 1,
        got: event.seq,
      });
      void this.connection.attach(link, sid).catch(() => undefined);
      return false;
    }
    if (outcome === 'applied') this.screen.follow(event);
    if (event.type === 'output') this.outputSincePublish += event.data.length;
    if (event.type === 'input' && !this.progress.isHistory(event.seq))
      this.keysAt = performance.now();
    // A run of the history is shown with the rest of it, in the frames the history takes.
    if (event.type === 'run_complete' && !this.progress.isHistory(event.seq))
      this.runEndedSincePublish = true;
    // The status line spoke of what came before (a refused /resume, say): a new run moves on.
    if (event.type === 'run_start' && !this.progress.isHistory(event.seq)) this.message = undefined;
    // The history went through cwds that the gateway's word of the session is already past.
    if (!this.progress.isHistory(event.seq)) {
      this.view.followCwd(event);
      this.view.followName(event);
    }
    // A key typed changes nothing shown by itself; its echo, right behind it, is drawn at once
    // (a frame for the key would make the echo's wait a frame's interval).
    this.schedulePublish(event.type === 'input' ? FRAME_INTERVAL_MS : 0);
    return outcome === 'applied';
  }

  private fail(error: unknown): void {
    const fatal = this.options.fatalFor?.(error) ?? { text: describeError(error), exitCode: 1 };
    this.fatal = fatal;
    this.options.breadcrumb('tui.fatal', { error: fatal.text });
    void this.connection.shutdown();
    this.publishNow();
  }

  /** Plans the next frame: paced (see {@link frameIntervalMs}), and no sooner than `notBeforeMs` from now. */
  private schedulePublish(notBeforeMs = 0): void {
    const due = Math.max(this.publishedAt + this.frameInterval(), performance.now() + notBeforeMs);
    if (this.publishTimer) {
      // A frame that became due sooner (a run's end) does not wait for the one planned.
      if (due >= this.publishDueAt) return;
      clearTimeout(this.publishTimer);
    }
    // Right after what is being applied now, after a quiet spell.
    this.publishDueAt = due;
    this.publishTimer = setTimeout(this.publishWhenDue, Math.max(0, due - performance.now()));
  }

  private readonly publishWhenDue = (): void => {
    // Output that came meanwhile may have left the screen behind: a slow frame's time then.
    const wait = this.publishedAt + this.frameInterval() - performance.now();
    if (wait > 0) {
      this.publishDueAt = performance.now() + wait;
      this.publishTimer = setTimeout(this.publishWhenDue, wait);
      return;
    }
    this.publishTimer = undefined;
    this.publish();
  };

  /** The time between two snapshots now (see {@link frameIntervalMs}). */
  private frameInterval(): number {
    return frameIntervalMs({
      outputWaiting: this.inbound.waiting,
      outputSinceFrame: this.outputSincePublish,
      runEnded: this.runEndedSincePublish,
      sinceKeysMs: performance.now() - this.keysAt,
    });
  }

  private publishNow(): void {
    if (this.publishTimer) {
      clearTimeout(this.publishTimer);
      this.publishTimer = undefined;
    }
    this.publish();
  }

  private publish(): void {
    this.publishedAt = performance.now();
    this.outputSincePublish = 0;
    this.runEndedSincePublish = false;
    // The store exists once the constructor has run; the supervisor may report before that.
    (this.store as Store<ControllerSnapshot> | undefined)?.publish(this.snapshot());
  }

  private snapshot(): ControllerSnapshot {
    const historyApplied =
      this.progress.isHistoryApplied(this.view.fold.lastSeq) ||
      this.connection.state.status === 'gave-up' ||
      this.connection.state.status === 'stopped';
    return {
      connection: this.connection.state,
      session: this.view.session,
      transcript: this.view.fold.snapshot(),
      message: this.message ?? unreadableMessage(this.progress.unreadable),
      unreadable: this.progress.unreadable !== undefined,
      fatal: this.fatal,
      passthrough: this.screen.mode,
      attached: this.connection.attached,
      historyThroughSeq: this.progress.shownAfterSeq,
      historyApplied,
      catchingUp: !historyApplied && this.progress.isHistory(this.view.fold.lastSeq + 1),
      attachShown: this.progress.shownFraction(this.view.fold.lastSeq),
    };
  }
}
