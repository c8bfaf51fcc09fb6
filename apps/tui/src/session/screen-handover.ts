import type { SessionEvent } from '@lifeline/protocol';
import type { Breadcrumb } from '../connection/gateway-link.js';
import type { AttachProgress } from '../connection/attach-progress.js';
import { enterAlternateScreen, scrollRegionReset } from '../terminal-sequences.js';
import {
  createOutputSanitizer,
  type OutputSanitizer,
  type TerminalQuery,
} from '../terminal/output-sanitizer.js';
import type { TerminalSize } from './output-lines.js';
import {
  planPassthrough,
  type PassthroughAction,
  type PassthroughMode,
} from './passthrough-plan.js';
import { lastPrivateModeSwitch, privateModes } from './private-mode-switch.js';
import type { SessionView } from './session-view.js';

/**
 * Rows of the terminal the TUI keeps below a run's screen: the run's own row (its spinner, the
 * session's state and what the keys do) and the row the cursor rests on under the frame (a frame
 * as tall as the terminal would make the renderer clear the whole screen). A program sees the
 * terminal less these, as it would under a status line; the TUI's other lines, shown at the prompt
 * or for a moment, take rows of its screen's top while they show.
 */
export const CHROME_ROWS = 2;
/**
 * The attach key pressed before a run started, or before the shell echoed its command line: the
 * terminal is handed over once the echo is past (it is left out, the header shows the command),
 * or after this long at most. A run that has not started by then is not attached to, nor one after
 * the shell drew its prompt again (the Enter started none). Long enough for a run to start on a
 * machine under load.
 */
const ATTACH_ECHO_WAIT_MS = 1500;
/**
 * How long a program handed the terminal must print nothing after its terminal grew before the
 * TUI looks whether it drew at the new size (see {@link ScreenHandover}).
 */
const REDRAW_CHECK_QUIET_MS = 300;

/** What a {@link ScreenHandover} needs from the session and the connection. */
export interface ScreenHandoverOptions {
  /** The session shown: its running command is the one handed the terminal. */
  view: SessionView;
  /** Which events were the session's history when it was first shown (never written raw). */
  progress: AttachProgress;
  /** The size of the user's terminal. */
  size: TerminalSize;
  /** Gives the session's terminal this size; a failure is not reported (the next resize mends it). */
  resizeSession: (size: TerminalSize) => Promise<unknown>;
  breadcrumb: Breadcrumb;
  /** The handover changed: the screen is drawn again at once. */
  changed: () => void;
}

/**
 * Who has the user's terminal: the TUI, or the running program, handed it as the program switches
 * to the alternate screen (also one found running in a session's history) or as the user presses
 * the attach key, and taken back as the program leaves that screen, ends or cannot be reached. The
 * session's terminal is sized to match: the rows above the TUI's lines, or the whole terminal.
 */
export class ScreenHandover {
  readonly #options: ScreenHandoverOptions;
  #size: TerminalSize;
  #passthrough: PassthroughMode = 'off';
  /** The attach key waits for the run's echo (see {@link ATTACH_ECHO_WAIT_MS}). */
  #attachRequest: NodeJS.Timeout | undefined;
  /**
   * The attach key waiting was pressed before the session's shell first drew its prompt: the line
   * typed with it waits for that prompt, which does not say the Enter started nothing.
   */
  #attachBeforeFirstPrompt = false;
  readonly #passthroughListeners = new Set<(action: PassthroughAction) => void>();
  readonly #bellListeners = new Set<() => void>();
  readonly #titleListeners = new Set<(title: string) => void>();
  readonly #queryListeners = new Set<(queries: readonly TerminalQuery[]) => void>();
  /** Follows alternate-screen switches (and window titles) in the session's output. */
  #screenTracker: OutputSanitizer = createOutputSanitizer({ reportTitles: true });
  #alternateScreenInHistory = false;
  /** Whether the running program is on the alternate screen, as its output last said. */
  #programOnAlternateScreen = false;
  /**
   * The terminal was taken back because the session could not be reached (see {@link takeBack}):
   * once it can, a program still on the alternate screen gets it back.
   */
  #handBackWhenReachable = false;
  /** Whether the running program asked for bracketed paste (`CSI ? 2004 h`). */
  #programBracketedPaste = false;
  /** Whether the session's programs asked for application cursor keys (`CSI ? 1 h`), and not back. */
  #applicationCursorKeys = false;
  /** The size of the session's terminal as its last `resize` event gave it. */
  #sessionTerminal: TerminalSize | undefined;
  /**
   * The rows the session's terminal had before it grew as the program took the terminal, while
   * the TUI waits to see the program draw below them.
   */
  #grownFrom: number | undefined;
  #redrawCheck: NodeJS.Timeout | undefined;
  /** The program was made to redraw once already since it was handed the terminal. */
  #redrawNudged = false;

  constructor(options: ScreenHandoverOptions) {
    this.#options = options;
    this.#size = options.size;
  }

  /** Whether the terminal is handed over to the running program, and how. */
  get mode(): PassthroughMode {
    return this.#passthrough;
  }

  /**
   * Whether the session's programs (the shell's line editor too) asked for application cursor
   * keys: the arrows go to them as `ESC O A` then.
   */
  get applicationCursorKeys(): boolean {
    return this.#applicationCursorKeys;
  }

  /** Whether the running program (or the shell's line editor) asked for bracketed pastes. */
  get programBracketedPaste(): boolean {
    return this.#programBracketedPaste;
  }

  /** The user's terminal has a new size. */
  set size(size: TerminalSize) {
    this.#size = size;
  }

  /**
   * The size of the session's terminal: the whole terminal while a program has it, the rows above
   * the TUI's own lines otherwise (so the screen the program draws fits above them).
   */
  sessionSize(): TerminalSize {
    const { cols, rows } = this.#size;
    return this.#passthrough === 'off'
      ? { cols, rows: Math.max(1, rows - CHROME_ROWS) }
      : { cols, rows };
  }

  /** Receives what to write to the terminal while it is handed over to the running program. */
  onPassthrough(listener: (action: PassthroughAction) => void): () => void {
    this.#passthroughListeners.add(listener);
    return () => this.#passthroughListeners.delete(listener);
  }

  /**
   * Calls `listener` when the session's program rings the bell (a BEL in its output, not one that
   * ends a title) while the TUI has the terminal: one handed the terminal rings it itself.
   */
  onBell(listener: () => void): () => void {
    this.#bellListeners.add(listener);
    return () => this.#bellListeners.delete(listener);
  }

  /**
   * Calls `listener` with the window title the session's program (a shell's prompt, say) sets, as
   * printable text, while the TUI has the terminal: one handed the terminal sets it itself. Titles
   * in history shown again were set long ago.
   */
  onTitle(listener: (title: string) => void): () => void {
    this.#titleListeners.add(listener);
    return () => this.#titleListeners.delete(listener);
  }

  /**
   * Calls `listener` with the questions the session's program asks its terminal (where the cursor
   * is, what the terminal is) while the TUI has the terminal: they are not written to it, so the
   * TUI answers in its place. A program handed the terminal is answered by the terminal itself;
   * questions in history shown again were answered long ago.
   */
  onQueries(listener: (queries: readonly TerminalQuery[]) => void): () => void {
    this.#queryListeners.add(listener);
    return () => this.#queryListeners.delete(listener);
  }

  /** Follows an event just applied to the transcript of the session shown. */
  follow(event: SessionEvent): void {
    this.#followScreen(event);
    this.#followAttachRequest(event);
  }

  /** Hands the terminal over (or back) as the session's output switches screens. */
  #followScreen(event: SessionEvent): void {
    const progress = this.#options.progress;
    if (event.type === 'output') {
      const pasteMode = lastPrivateModeSwitch(event.data, privateModes.bracketedPaste);
      if (pasteMode !== undefined) this.#programBracketedPaste = pasteMode;
      const cursorKeys = lastPrivateModeSwitch(event.data, privateModes.cursorKeys);
      if (cursorKeys !== undefined) this.#applicationCursorKeys = cursorKeys;
      const { events: switches, bells, queries, titles } = this.#screenTracker.write(event.data);
      for (const change of switches) this.#programOnAlternateScreen = change.active;
      if (progress.isHistory(event.seq)) {
        for (const change of switches) this.#alternateScreenInHistory = change.active;
      } else {
        if (bells > 0 && this.#passthrough === 'off')
          for (const listener of this.#bellListeners) listener();
        if (queries.length > 0 && this.#passthrough === 'off')
          for (const listener of this.#queryListeners) listener(queries);
        const title = titles.at(-1);
        if (title !== undefined && this.#passthrough === 'off')
          for (const listener of this.#titleListeners) listener(title);
        const plan = planPassthrough(this.#passthrough, event.data, switches);
        for (const action of plan.actions) this.#setPassthrough(action);
        if (this.#grownFrom !== undefined) this.#checkRedrawnWhenQuiet();
      }
    }
    if (event.type === 'resize') this.#followResize(event, progress.isHistory(event.seq));
    if (
      (event.type === 'run_complete' || event.type === 'host_exit') &&
      this.#passthrough !== 'off'
    ) {
      // The program ended without giving the terminal back (crashed, killed): take it back. Leaving
      // turns off the alternate screen and every other mode the program left on.
      this.#setPassthrough({ kind: 'leave' });
    }
    // A new shell has a new terminal, in normal cursor keys' mode.
    if (event.type === 'host_exit') this.#applicationCursorKeys = false;
    if (event.type === 'run_complete' || event.type === 'host_exit') {
      this.#alternateScreenInHistory = false;
      this.#programOnAlternateScreen = false;
      this.#programBracketedPaste = false;
    }
    if (progress.endsHistory(event.seq)) this.historyCaughtUp();
  }

  /**
   * The session's terminal changed size. A terminal that changes size sets its scroll region back
   * to the whole screen, and programs redraw for the new size counting on that: while the program
   * has the user's terminal, the region it set for the old size (vim's, say, set for the rows above
   * the TUI's lines) is reset there, between what it drew before and after.
   */
  #followResize(size: TerminalSize, history: boolean): void {
    const before = this.#sessionTerminal;
    this.#sessionTerminal = { cols: size.cols, rows: size.rows };
    const changed =
      before !== undefined && (before.cols !== size.cols || before.rows !== size.rows);
    if (changed && !history && this.#passthrough !== 'off')
      this.#setPassthrough({ kind: 'raw', data: scrollRegionReset });
    if (
      changed &&
      !history &&
      this.#passthrough === 'alternate-screen' &&
      size.rows > before.rows &&
      !this.#redrawNudged
    ) {
      this.#grownFrom = before.rows;
      this.#checkRedrawnWhenQuiet();
    }
  }

  /**
   * A program starting up can miss the SIGWINCH of its terminal growing as it takes the alternate
   * screen (vim, reading its terminal's answers to its start-up questions), and goes on drawing for
   * the rows it started with, its last rows blank. Once it has printed nothing for
   * {@link REDRAW_CHECK_QUIET_MS}, a program that drew something and nothing below the rows its
   * terminal had is made to redraw, once per handover.
   */
  #checkRedrawnWhenQuiet(): void {
    clearTimeout(this.#redrawCheck);
    this.#redrawCheck = setTimeout(() => {
      this.#redrawCheck = undefined;
      const grownFrom = this.#grownFrom;
      const live = this.#options.view.fold.liveRun;
      if (grownFrom === undefined || this.#passthrough !== 'alternate-screen' || !live) return;
      // Nothing drawn yet: the next output starts the wait again.
      if (live.screen.every((row) => row.trim() === '')) return;
      this.#grownFrom = undefined;
      // The rows down to its last drawn one, or to its cursor's.
      if (live.screen.length > grownFrom) return;
      this.#redrawNudged = true;
      this.#options.breadcrumb('passthrough.redraw', { rowsDrawn: live.screen.length });
      void this.#redraw();
    }, REDRAW_CHECK_QUIET_MS);
    this.#redrawCheck.unref();
  }

  #stopRedrawCheck(): void {
    clearTimeout(this.#redrawCheck);
    this.#redrawCheck = undefined;
    this.#grownFrom = undefined;
  }

  /** Shown a session whose full-screen program is running: hand it the terminal and have it redraw. */
  historyCaughtUp(): void {
    if (!this.#alternateScreenInHistory || this.#passthrough !== 'off') return;
    this.#alternateScreenInHistory = false;
    this.#handOverToFullScreenProgram();
  }

  /**
   * The session can be reached again: a full-screen program the terminal was taken back from as it
   * could not (see {@link takeBack}) gets it again, and redraws.
   */
  reachableAgain(): void {
    const handBack = this.#handBackWhenReachable;
    this.#handBackWhenReachable = false;
    if (!handBack || !this.#programOnAlternateScreen || this.#passthrough !== 'off') return;
    if (this.#options.view.fold.liveRun === undefined) return;
    this.#handOverToFullScreenProgram();
  }

  #handOverToFullScreenProgram(): void {
    this.#setPassthrough({ kind: 'enter', mode: 'alternate-screen' });
    this.#setPassthrough({ kind: 'raw', data: enterAlternateScreen });
    void this.#redraw();
  }

  /**
   * Hands the whole terminal to the running command (the attach key), until `detachFromRun()` or
   * its end. Pressed right after Enter, before the run started or its command line was echoed, it
   * takes effect as soon as the echo is past (see {@link ATTACH_ECHO_WAIT_MS}).
   */
  attachToRun(): void {
    if (this.#passthrough !== 'off' || this.#attachRequest !== undefined) return;
    const { fold } = this.#options.view;
    const live = fold.liveRun;
    if (live && !live.awaitingEcho) {
      this.#enterAttached();
      return;
    }
    this.#attachBeforeFirstPrompt = !fold.shellHasPrompted;
    this.#waitForRunToAttach();
  }

  /** Attaches to the run that has started {@link ATTACH_ECHO_WAIT_MS} from now, if one has. */
  #waitForRunToAttach(): void {
    clearTimeout(this.#attachRequest);
    this.#attachRequest = setTimeout(() => {
      // A shell still starting has not read the line yet: the wait begins at its first prompt.
      if (this.#attachBeforeFirstPrompt) return;
      this.#attachRequest = undefined;
      const running = this.#options.view.fold.liveRun;
      if (running && this.#passthrough === 'off') this.#enterAttached();
    }, ATTACH_ECHO_WAIT_MS);
  }

  /** Hands the terminal over once the run a waiting attach key is for has echoed its command line. */
  #followAttachRequest(event: SessionEvent): void {
    if (this.#attachRequest === undefined) return;
    const live = this.#options.view.fold.liveRun;
    if (live && !live.awaitingEcho) {
      this.cancelAttachRequest();
      if (this.#passthrough === 'off') this.#enterAttached();
    } else if (!live && event.type === 'prompt_start' && this.#attachBeforeFirstPrompt) {
      // The shell's first prompt, at which the line typed with the key is entered now.
      this.#attachBeforeFirstPrompt = false;
      this.#waitForRunToAttach();
    } else if (
      !live &&
      (event.type === 'run_complete' || event.type === 'host_exit' || event.type === 'prompt_start')
    ) {
      this.cancelAttachRequest();
    }
  }

  /** Forgets an attach key that waits for its run. */
  cancelAttachRequest(): void {
    clearTimeout(this.#attachRequest);
    this.#attachRequest = undefined;
    this.#attachBeforeFirstPrompt = false;
  }

  #enterAttached(): void {
    // What the run shows is drawn again where the TUI's frame was: its output continues there.
    this.#setPassthrough({
      kind: 'enter',
      mode: 'attached',
      line: this.#options.view.fold.liveScreenThroughCursor().join('\r\n'),
    });
    void this.#redraw();
  }

  /** Takes the terminal back from a command the user attached to. */
  detachFromRun(): void {
    if (this.#passthrough !== 'attached') return;
    // What the run showed is on the terminal already: the TUI's view of it goes on from there.
    this.#options.view.fold.liveRowsShownAboveCursor();
    this.#setPassthrough({ kind: 'leave' });
  }

  /**
   * Takes the terminal back from the program, whatever it was handed over for.
   * @param until `'reachable-again'`: the session cannot be reached now (the gateway gave up); a
   *   full-screen program gets the terminal back once it can (see {@link reachableAgain})
   */
  takeBack(until?: 'reachable-again'): void {
    if (this.#passthrough === 'off') return;
    this.#handBackWhenReachable =
      until === 'reachable-again' && this.#passthrough === 'alternate-screen';
    this.#setPassthrough({ kind: 'leave' });
  }

  /**
   * Another session (or the same one afresh) is about to be shown: the terminal is taken back,
   * and what was followed of the last one's screen is forgotten.
   */
  reset(): void {
    this.#screenTracker = createOutputSanitizer({ reportTitles: true });
    this.#alternateScreenInHistory = false;
    this.#programOnAlternateScreen = false;
    this.#handBackWhenReachable = false;
    this.#sessionTerminal = undefined;
    this.#options.progress.forgetHistory();
    this.cancelAttachRequest();
    this.takeBack();
  }

  #setPassthrough(action: PassthroughAction): void {
    if (action.kind !== 'raw') {
      this.#stopRedrawCheck();
      this.#redrawNudged = false;
      // The program's terminal grows to the whole terminal as it takes it, and shrinks back after.
      this.#passthrough = action.kind === 'enter' ? action.mode : 'off';
      void this.#options.resizeSession(this.sessionSize());
    }
    for (const listener of this.#passthroughListeners) listener(action);
    if (action.kind !== 'raw') {
      this.#options.breadcrumb(
        action.kind === 'enter' ? 'passthrough.enter' : 'passthrough.leave',
        action.kind === 'enter' ? { mode: action.mode } : {},
      );
      this.#options.changed();
    }
  }

  /** Makes the program redraw: a size change (a PTY that keeps its size sends no SIGWINCH). */
  async #redraw(): Promise<void> {
    const { cols, rows } = this.#size;
    await this.#options.resizeSession({ cols, rows: Math.max(1, rows - 1) });
    await this.#options.resizeSession({ cols, rows });
  }
}
