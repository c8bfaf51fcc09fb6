import {
  LifelineErrorCode,
  OUTPUT_WINDOW_CAPABILITY,
  type SessionEvent,
  type SessionSummary,
} from '@lifeline/protocol';
import {
  createRecoverySupervisor,
  describeExit,
  supervisorEventBreadcrumb,
  type RecoverySupervisor,
  type SupervisorState,
} from '@lifeline/recovery';
import { RpcError } from '@lifeline/rpc';
import type { OutputLinesFactory, RunLinesFactory } from '../session/output-lines.js';
import {
  planPassthrough,
  type PassthroughAction,
  type PassthroughMode,
} from '../session/passthrough-plan.js';
import { neutralisePaste } from '../input/keypress.js';
import { bracketedPaste, enterAlternateScreen } from '../terminal-sequences.js';
import { createOutputSanitizer, type OutputSanitizer } from '../terminal/output-sanitizer.js';
import {
  DEFAULT_MAX_LINES_PER_RUN,
  TranscriptFold,
  type TranscriptSnapshot,
} from '../session/transcript-fold.js';
import { findSession } from '../commands/internal/session-ref.js';
import type { Breadcrumb, GatewayLink } from './gateway-link.js';
import { ConsumptionReports } from './consumption-reports.js';
import { SlicedQueue } from './sliced-queue.js';
import { Store } from './store.js';

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
const OUTPUT_WINDOW = 64 * 1024;
/**
 * Rows of the terminal the TUI keeps for its own lines below a run's screen (its spinner line, the
 * header, a message and the input line) and one more: a frame as tall as the terminal would make
 * the renderer clear the whole screen.
 */
export const CHROME_ROWS = 5;
/** Longest stretch of applying events before keys and timers get their turn. */
const INBOUND_SLICE_MS = 6;
/**
 * The attach key pressed before a run started, or before the shell echoed its command line: the
 * terminal is handed over once the echo is past (it is left out, the header shows the command),
 * or after this long at most. A run that has not started by then is not attached to.
 */
const ATTACH_ECHO_WAIT_MS = 250;

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

/** A message for the status line: what just went wrong, or what just happened. */
export interface StatusMessage {
  text: string;
  tone: 'info' | 'warning' | 'error';
}

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
  /** Makes the screen each run draws on. */
  createRunLines: RunLinesFactory;
  /** Most lines of one run's output kept in memory. @default 2000 */
  maxLinesPerRun?: number;
  /** Shortest time between two snapshots, so floods render at a bounded rate. @default 16 */
  publishIntervalMs?: number;
  /** Exit code and message for errors that must end the TUI. */
  fatalFor?: (error: unknown) => { text: string; exitCode: number } | undefined;
}

/**
 * The TUI's model of its connection and session, independent of React: starts the gateway
 * through a recovery supervisor, attaches to the session, folds its events into the transcript,
 * and re-attaches from the last seq it rendered after any gateway death.
 */
export class SessionController {
  readonly store: Store<ControllerSnapshot>;
  private readonly options: SessionControllerOptions;
  private readonly supervisor: RecoverySupervisor;
  private link: GatewayLink | undefined;
  private sid: string | undefined;
  private session: SessionSummary | undefined;
  private fold: TranscriptFold;
  private size: { cols: number; rows: number };
  private message: StatusMessage | undefined;
  private fatal: ControllerSnapshot['fatal'];
  private publishTimer: NodeJS.Timeout | undefined;
  private quitting = false;
  /** When the current recovery began, and after which exit. */
  private recovery: { since: number; exit: string | undefined } | undefined;
  private passthrough: PassthroughMode = 'off';
  /** The attach key waits for the run's echo (see {@link ATTACH_ECHO_WAIT_MS}). */
  private attachRequest: NodeJS.Timeout | undefined;
  private readonly passthroughListeners = new Set<(action: PassthroughAction) => void>();
  /** Follows alternate-screen switches in the session's output. */
  private screenTracker: OutputSanitizer = createOutputSanitizer();
  private alternateScreenInHistory = false;
  /** Whether the running program asked for bracketed paste (`CSI ? 2004 h`). */
  private programBracketedPaste = false;
  /** Events up to this seq were history when the session was first shown: never written raw. */
  private historyThroughSeq = -1;
  /**
   * Events received and not yet applied. They are applied a few milliseconds at a time, so that a
   * key typed during a flood waits for one slice rather than for everything that arrived before it.
   */
  private readonly inbound: SlicedQueue<{ link: GatewayLink; event: SessionEvent }>;
  private pausedLink: GatewayLink | undefined;
  /** Reports of how far the session is applied, to a gateway that takes them, and that gateway. */
  private reporting: { link: GatewayLink; reports: ConsumptionReports } | undefined;
  /** An attach in progress (its call not answered yet). */
  private attaching = 0;
  /** The last seq of the session as its latest attach answered: shown once the fold has it. */
  private attachedThroughSeq: number | undefined;
  /** Keys and pastes typed into the session and not sent yet, in order (see {@link type}). */
  private typed = '';
  private sendingTyped = false;

  constructor(options: SessionControllerOptions) {
    this.options = options;
    this.size = options.size;
    this.fold = this.newFold(undefined);
    this.supervisor = createRecoverySupervisor({
      start: (target, child) => this.startChild(target, child),
      stop: async (_child, reason) => {
        const link = this.link;
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
        if (state.status === 'recovering' && !this.recovery) {
          this.recovery = {
            since: Date.now(),
            exit: state.lastExit ? describeExit(state.lastExit) : undefined,
          };
        }
        // What the status line said was about the state before (a recovery notice, a refusal).
        this.message = undefined;
        // A program cannot be reached any more: the user gets the terminal back, to see why and to
        // /recover (Ctrl+] hands it over again once the gateway is back).
        if (state.status === 'gave-up' && this.passthrough !== 'off')
          this.setPassthrough({ kind: 'leave' });
        this.publishNow();
      },
    });
    this.store = new Store(this.snapshot());
    this.inbound = new SlicedQueue({
      apply: ({ link, event }) => {
        if (link !== this.link) return;
        this.receive(link, event);
        this.currentReports()?.applied(event, this.fold.lastSeq);
      },
      afterSlice: () => {
        if (this.inbound.waiting === 0) this.currentReports()?.report(this.fold.lastSeq);
      },
      sizeOf: ({ event }) => (event.type === 'output' ? event.data.length : 64),
      pauseAbove: INBOUND_PAUSE_ABOVE,
      resumeBelow: INBOUND_RESUME_BELOW,
      sliceMs: INBOUND_SLICE_MS,
      pause: () => {
        this.pausedLink = this.link;
        this.pausedLink?.pause();
      },
      resume: () => {
        this.pausedLink?.resume();
        this.pausedLink = undefined;
      },
    });
  }

  /** Starts the gateway and opens the first session. */
  start(): void {
    this.supervisor.start();
  }

  /** The session shown now. */
  get sessionId(): string | undefined {
    return this.sid;
  }

  /**
   * Runs a command in the session (the transcript shows it as it happens). A command typed while
   * the gateway starts or recovers waits for it.
   * @returns whether it started
   */
  async run(command: string): Promise<boolean> {
    if (!(await this.untilLive())) {
      this.say({
        text: `cannot run the command while the gateway is ${this.supervisor.state.status}; /recover tries again`,
        tone: 'warning',
      });
      return false;
    }
    return this.withSession('run the command', (link, sid) =>
      link.client.call(
        'session.run',
        { sid, command, wait: false, typedBy: 'person' },
        { timeoutMs: 60_000 },
      ),
    );
  }

  /**
   * Resolves true once the gateway is live with a session, false if it gives up, stops or takes
   * longer than `timeoutMs`.
   */
  private untilLive(timeoutMs = 30_000): Promise<boolean> {
    const isLive = () =>
      this.supervisor.state.status === 'live' && this.sid !== undefined && this.link !== undefined;
    if (isLive()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const stop = this.store.subscribe(() => {
        const status = this.supervisor.state.status;
        if (isLive()) finish(true);
        else if (status === 'gave-up' || status === 'stopped' || this.fatal) finish(false);
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
    this.typed += data;
    if (!this.sendingTyped) void this.sendTyped();
  }

  private async sendTyped(): Promise<void> {
    this.sendingTyped = true;
    while (this.typed !== '') {
      // Stay well under the gateway's input limit, without cutting a character in two.
      let end = Math.min(this.typed.length, 128 * 1024);
      if (end < this.typed.length && /[\uD800-\uDBFF]/.test(this.typed.charAt(end - 1))) end -= 1;
      const data = this.typed.slice(0, end);
      this.typed = this.typed.slice(end);
      await this.withSession('send the keys', (link, sid) =>
        link.client.call('session.input', { sid, data }),
      );
    }
    this.sendingTyped = false;
  }

  /**
   * Pastes into the session's terminal: in one bracketed paste if the program (or the shell's line
   * editor) asked for them, and never with anything that could end that paste early.
   */
  paste(text: string): void {
    const safe = neutralisePaste(text);
    this.type(this.programBracketedPaste ? bracketedPaste(safe) : safe);
  }

  /** Interrupts the running program (Ctrl+C). */
  async interrupt(): Promise<void> {
    await this.withSession('interrupt', (link, sid) =>
      link.client.call('session.signal', { sid, signal: 'SIGINT' }),
    );
  }

  /** The terminal was resized: the session's PTY follows. */
  async resize(cols: number, rows: number): Promise<void> {
    this.size = { cols, rows };
    const size = this.sessionSize();
    await this.withSession(
      'resize',
      (link, sid) => link.client.call('session.resize', { sid, ...size }),
      false,
    );
  }

  /** Every session the gateway knows. */
  async listSessions(): Promise<SessionSummary[]> {
    const link = this.liveLink();
    if (!link) return [];
    return (await link.client.call('session.list', {})).sessions;
  }

  /** Starts a new session in the current cwd and switches to it (`/new`). */
  async newSession(): Promise<void> {
    const link = this.liveLink();
    if (!link) {
      this.say({ text: 'not connected to a gateway yet; try again in a moment', tone: 'warning' });
      return;
    }
    const cwd = this.session?.cwd ?? this.fold.shellCwd ?? process.cwd();
    const { sid } = await link.client.call('session.create', { cwd, ...this.sessionSize() });
    await this.switchTo(link, sid);
  }

  /** Renames the current session (`/rename <name>`); the header shows the new name. */
  async rename(name: string): Promise<void> {
    const link = this.liveLink();
    const sid = this.sid;
    if (!link || sid === undefined) {
      this.say({ text: 'not connected to a gateway yet; try again in a moment', tone: 'warning' });
      return;
    }
    const { session } = await link.client.call('session.rename', { sid, name });
    if (this.sid === sid) this.session = { ...session, cwd: this.session?.cwd ?? session.cwd };
    this.schedulePublish();
  }

  /** Switches to another session (`/resume <sid>`, the session picker). */
  async resume(sid: string): Promise<void> {
    const link = this.liveLink();
    if (!link) {
      this.say({ text: 'not connected to a gateway yet; try again in a moment', tone: 'warning' });
      return;
    }
    try {
      await this.switchTo(link, sid);
    } catch (error) {
      this.say({ text: describeError(error), tone: 'error' });
    }
  }

  /** Restarts the gateway now and resets the recovery budget (`/recover`). */
  recover(): void {
    this.say({ text: 'recovering…', tone: 'info' });
    this.supervisor.recoverNow();
  }

  /** Shows a message in the status line. */
  say(message: StatusMessage | undefined): void {
    this.message = message;
    this.publishNow();
  }

  /** Receives what to write to the terminal while it is handed over to the running program. */
  onPassthrough(listener: (action: PassthroughAction) => void): () => void {
    this.passthroughListeners.add(listener);
    return () => this.passthroughListeners.delete(listener);
  }

  /**
   * Hands the whole terminal to the running command (the attach key), until `detach()` or its end.
   * Pressed right after Enter, before the run started or its command line was echoed, it takes
   * effect as soon as the echo is past (see {@link ATTACH_ECHO_WAIT_MS}).
   */
  attachToRun(): void {
    if (this.passthrough !== 'off' || this.attachRequest !== undefined) return;
    const live = this.fold.liveRun;
    if (live && !live.awaitingEcho) {
      this.enterAttached();
      return;
    }
    this.attachRequest = setTimeout(() => {
      this.attachRequest = undefined;
      const running = this.fold.liveRun;
      if (running && this.passthrough === 'off') this.enterAttached();
    }, ATTACH_ECHO_WAIT_MS);
  }

  /** Hands the terminal over once the run a waiting attach key is for has echoed its command line. */
  private followAttachRequest(event: SessionEvent): void {
    if (this.attachRequest === undefined) return;
    const live = this.fold.liveRun;
    if (live && !live.awaitingEcho) {
      this.cancelAttachRequest();
      if (this.passthrough === 'off') this.enterAttached();
    } else if (!live && (event.type === 'run_complete' || event.type === 'host_exit')) {
      this.cancelAttachRequest();
    }
  }

  private cancelAttachRequest(): void {
    clearTimeout(this.attachRequest);
    this.attachRequest = undefined;
  }

  private enterAttached(): void {
    // What the run shows is drawn again where the TUI's frame was: its output continues there.
    this.setPassthrough({
      kind: 'enter',
      mode: 'attached',
      line: this.fold.liveScreenThroughCursor().join('\r\n'),
    });
    void this.redraw();
  }

  /** Takes the terminal back from a command the user attached to. */
  detachFromRun(): void {
    if (this.passthrough === 'attached') this.setPassthrough({ kind: 'leave' });
  }

  /** Stops for good: never recovers again, closes the gateway. */
  async quit(): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.cancelAttachRequest();
    this.options.breadcrumb('tui.quit');
    await this.supervisor.shutdown();
  }

  private async startChild(
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
    const link = await this.options.connect();
    this.link = link;
    link.client.on('session.event', ({ sid, ...event }) => {
      if (sid === this.sid && link === this.link) this.inbound.push({ link, event });
    });
    link.client.on('session.unreadable', ({ sid, message }) => {
      if (sid !== this.sid || link !== this.link) return;
      // Attaching again would stop at the same place: say so, and leave the choice to the user.
      this.options.breadcrumb('session.unreadable', { sid, message });
      // The events sent before it are shown first, with it.
      this.inbound.flush();
      this.say({ text: `the rest of this session cannot be shown: ${message}`, tone: 'error' });
    });
    void link.closed.then((info) => {
      const detail = info.stderrTail?.trim().split('\n').at(-1);
      child.exited({
        code: info.exitCode ?? null,
        signal: info.signal ?? null,
        reason: info.reason,
        ...(detail ? { detail } : {}),
      });
    });
    await link.ready;
    let sid = target ?? this.sid;
    if (sid === undefined) {
      try {
        sid = await this.openInitialSession(link);
      } catch (error) {
        this.fail(error);
        throw error;
      }
    }
    try {
      await this.attach(link, sid);
    } catch (error) {
      if (RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionNotFound)
        this.fail(error);
      throw error;
    }
    child.ready(sid);
    const recovery = this.recovery;
    this.recovery = undefined;
    if (recovery) {
      const took = Date.now() - recovery.since;
      this.options.breadcrumb('recovery.done', { ms: took, exit: recovery.exit });
      this.say({
        text: `${recovery.exit ? `gateway exited (${recovery.exit}) — ` : ''}session recovered in ${took} ms, nothing lost`,
        tone: 'info',
      });
    }
  }

  private async openInitialSession(link: GatewayLink): Promise<string> {
    const initial = this.options.initial;
    switch (initial.kind) {
      case 'new':
        return (
          await link.client.call('session.create', {
            ...(initial.cwd === undefined ? {} : { cwd: initial.cwd }),
            ...(initial.name === undefined ? {} : { name: initial.name }),
            ...this.sessionSize(),
          })
        ).sid;
      case 'resume':
        return initial.sid;
      case 'resume-named': {
        const { sessions } = await link.client.call('session.list', {});
        return findSession(sessions, initial.name, initial.where).sid;
      }
      case 'continue': {
        const { sessions } = await link.client.call('session.list', {});
        const live = sessions
          .filter((session) => session.status === 'live')
          .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt))[0];
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

  private async switchTo(link: GatewayLink, sid: string): Promise<void> {
    if (sid === this.sid) return;
    // What is still queued of the session shown belongs to its fold (kept if the switch fails).
    this.inbound.flush();
    const previous = this.sid;
    const previousFold = this.fold;
    this.sid = sid;
    this.fold = this.newFold(sid);
    try {
      await this.attach(link, sid);
    } catch (error) {
      this.sid = previous;
      this.fold = previousFold;
      this.publishNow();
      throw error;
    }
    if (previous) void link.client.call('session.detach', { sid: previous }).catch(() => undefined);
    this.supervisor.retarget(sid);
    this.options.breadcrumb('session.switch', { from: previous, to: sid });
  }

  private async attach(link: GatewayLink, sid: string): Promise<void> {
    // Everything received is applied first: the attach continues from the last seq applied.
    this.inbound.flush();
    if (this.sid !== sid) {
      this.sid = sid;
      this.fold = this.newFold(sid);
    }
    const afterSeq = this.fold.lastSeq;
    this.attaching += 1;
    this.attachedThroughSeq = undefined;
    this.publishNow();
    try {
      await this.attachFrom(link, sid, afterSeq);
    } finally {
      this.attaching -= 1;
    }
    this.schedulePublish();
  }

  private async attachFrom(link: GatewayLink, sid: string, afterSeq: number): Promise<void> {
    const windowed = (await link.ready).capabilities.includes(OUTPUT_WINDOW_CAPABILITY);
    this.reporting = windowed
      ? {
          link,
          reports: new ConsumptionReports(sid, afterSeq, OUTPUT_WINDOW / 2, (reportedSid, seq) => {
            link.client.notify('session.consumed', { sid: reportedSid, seq });
          }),
        }
      : undefined;
    const attached = await link.client.call('session.attach', {
      sid,
      afterSeq,
      ...(windowed ? { outputWindow: OUTPUT_WINDOW } : {}),
    });
    this.session = attached.session;
    this.attachedThroughSeq = attached.lastSeq;
    this.fold.setShell(attached.session.shell, attached.session.completionMode);
    if (afterSeq === -1) this.historyThroughSeq = attached.lastSeq;
    if (attached.lastSeq === afterSeq) this.historyCaughtUp();
    this.options.breadcrumb('session.attach', { sid, afterSeq, lastSeq: attached.lastSeq });
    // The PTY follows this terminal, whatever size it had before.
    void link.client.call('session.resize', { sid, ...this.sessionSize() }).catch(() => undefined);
    // Not at once: when this attach brings the connection up, that publishes right after, and one
    // frame with both shows `● ready` a frame sooner than two (the second waits for the frame rate).
  }

  /** See {@link ControllerSnapshot.attached}. */
  private isAttached(): boolean {
    return (
      this.supervisor.state.status === 'live' &&
      this.sid !== undefined &&
      this.session !== undefined &&
      this.attaching === 0 &&
      this.attachedThroughSeq !== undefined &&
      this.fold.lastSeq >= this.attachedThroughSeq
    );
  }

  /** The reports of the session shown, over the current link, if its gateway takes them. */
  private currentReports(): ConsumptionReports | undefined {
    const reporting = this.reporting;
    return reporting && reporting.link === this.link && reporting.reports.sid === this.sid
      ? reporting.reports
      : undefined;
  }

  private receive(link: GatewayLink, event: SessionEvent): void {
    const outcome = this.fold.apply(event);
    if (outcome === 'gap' && this.sid) {
      // Never show a transcript with a hole: ask again from the last seq we have.
      this.options.breadcrumb('session.gap', {
        sid: this.sid,
        expected: this.fold.lastSeq + 1,
        got: event.seq,
      });
      void this.attach(link, this.sid).catch(() => undefined);
      return;
    }
    if (outcome === 'applied') {
      this.followScreen(event);
      this.followAttachRequest(event);
    }
    if (
      event.type === 'run_complete' ||
      event.type === 'host_exit' ||
      event.type === 'host_start' ||
      event.type === 'shell_ready'
    ) {
      if (this.session)
        this.session = { ...this.session, cwd: this.fold.shellCwd ?? this.session.cwd };
    }
    this.schedulePublish();
  }

  /** Hands the terminal over (or back) as the session's output switches screens. */
  private followScreen(event: SessionEvent): void {
    if (event.type === 'output') {
      const pasteMode = lastBracketedPasteSwitch(event.data);
      if (pasteMode !== undefined) this.programBracketedPaste = pasteMode;
      const switches = this.screenTracker.write(event.data).events;
      if (event.seq <= this.historyThroughSeq) {
        for (const change of switches) this.alternateScreenInHistory = change.active;
      } else {
        const plan = planPassthrough(this.passthrough, event.data, switches);
        for (const action of plan.actions) this.setPassthrough(action);
      }
    }
    if (
      (event.type === 'run_complete' || event.type === 'host_exit') &&
      this.passthrough !== 'off'
    ) {
      // The program ended without giving the terminal back (crashed, killed): take it back. Leaving
      // turns off the alternate screen and every other mode the program left on.
      this.setPassthrough({ kind: 'leave' });
    }
    if (event.type === 'run_complete' || event.type === 'host_exit') {
      this.alternateScreenInHistory = false;
      this.programBracketedPaste = false;
    }
    if (event.seq === this.historyThroughSeq) this.historyCaughtUp();
  }

  /** Shown a session whose full-screen program is running: hand it the terminal and have it redraw. */
  private historyCaughtUp(): void {
    if (!this.alternateScreenInHistory || this.passthrough !== 'off') return;
    this.alternateScreenInHistory = false;
    this.setPassthrough({ kind: 'enter', mode: 'alternate-screen' });
    this.setPassthrough({ kind: 'raw', data: enterAlternateScreen });
    void this.redraw();
  }

  private setPassthrough(action: PassthroughAction): void {
    if (action.kind !== 'raw') {
      // The program's terminal grows to the whole terminal as it takes it, and shrinks back after.
      this.passthrough = action.kind === 'enter' ? action.mode : 'off';
      const size = this.sessionSize();
      void this.withSession(
        'resize',
        (link, sid) => link.client.call('session.resize', { sid, ...size }),
        false,
      );
    }
    for (const listener of this.passthroughListeners) listener(action);
    if (action.kind !== 'raw') {
      this.options.breadcrumb(
        action.kind === 'enter' ? 'passthrough.enter' : 'passthrough.leave',
        action.kind === 'enter' ? { mode: action.mode } : {},
      );
      this.publishNow();
    }
  }

  /** Makes the program redraw: a size change (a PTY that keeps its size sends no SIGWINCH). */
  private async redraw(): Promise<void> {
    const { cols, rows } = this.size;
    await this.withSession(
      'redraw',
      (link, sid) => link.client.call('session.resize', { sid, cols, rows: Math.max(1, rows - 1) }),
      false,
    );
    await this.withSession(
      'redraw',
      (link, sid) => link.client.call('session.resize', { sid, cols, rows }),
      false,
    );
  }

  /**
   * The size of the session's terminal: the whole terminal while a program has it, the rows above
   * the TUI's own lines otherwise (so the screen the program draws fits above them).
   */
  private sessionSize(): { cols: number; rows: number } {
    const { cols, rows } = this.size;
    return this.passthrough === 'off'
      ? { cols, rows: Math.max(1, rows - CHROME_ROWS) }
      : { cols, rows };
  }

  private liveLink(): GatewayLink | undefined {
    return this.supervisor.state.status === 'live' ? this.link : undefined;
  }

  /** @returns whether the action succeeded */
  private async withSession(
    what: string,
    action: (link: GatewayLink, sid: string) => Promise<unknown>,
    report = true,
  ): Promise<boolean> {
    const link = this.liveLink();
    const sid = this.sid;
    if (!link || !sid) {
      if (report)
        this.say({
          text: `cannot ${what} while the gateway is ${this.supervisor.state.status}`,
          tone: 'warning',
        });
      return false;
    }
    try {
      await action(link, sid);
      return true;
    } catch (error) {
      if (report) this.say({ text: `could not ${what}: ${describeError(error)}`, tone: 'error' });
      return false;
    }
  }

  private fail(error: unknown): void {
    const fatal = this.options.fatalFor?.(error) ?? { text: describeError(error), exitCode: 1 };
    this.fatal = fatal;
    this.options.breadcrumb('tui.fatal', { error: fatal.text });
    void this.supervisor.shutdown();
    this.publishNow();
  }

  private newFold(sid: string | undefined): TranscriptFold {
    this.screenTracker = createOutputSanitizer();
    this.alternateScreenInHistory = false;
    this.historyThroughSeq = -1;
    this.cancelAttachRequest();
    if (this.passthrough !== 'off') this.setPassthrough({ kind: 'leave' });
    return new TranscriptFold({
      sid,
      createLines: this.options.createLines,
      createRunLines: this.options.createRunLines,
      promptScreen: true,
      maxLinesPerRun: this.options.maxLinesPerRun ?? DEFAULT_MAX_LINES_PER_RUN,
    });
  }

  private schedulePublish(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.store.publish(this.snapshot());
    }, this.options.publishIntervalMs ?? 16);
  }

  private publishNow(): void {
    if (this.publishTimer) {
      clearTimeout(this.publishTimer);
      this.publishTimer = undefined;
    }
    // The store exists once the constructor has run; the supervisor may report before that.
    (this.store as Store<ControllerSnapshot> | undefined)?.publish(this.snapshot());
  }

  private snapshot(): ControllerSnapshot {
    return {
      connection: this.supervisor.state,
      session: this.session,
      transcript: this.fold.snapshot(),
      message: this.message,
      fatal: this.fatal,
      passthrough: this.passthrough,
      attached: this.isAttached(),
      historyThroughSeq: this.attachedThroughSeq ?? Number.POSITIVE_INFINITY,
    };
  }
}

/** The last bracketed-paste switch in some output: true (on), false (off), or undefined (none). */
function lastBracketedPasteSwitch(output: string): boolean | undefined {
  const on = output.lastIndexOf('\x1b[?2004h');
  const off = output.lastIndexOf('\x1b[?2004l');
  if (on === -1 && off === -1) return undefined;
  return on > off;
}

/** One line saying what went wrong. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
