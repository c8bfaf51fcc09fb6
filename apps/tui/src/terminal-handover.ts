import type { PassthroughAction, PassthroughMode } from './session/passthrough-plan.js';
import { createOutputSanitizer, type OutputSanitizer } from './terminal/output-sanitizer.js';
import {
  terminalModesReset,
  tuiModesOff,
  tuiModesOn,
  upToLineStart,
} from './terminal-sequences.js';

/**
 * Ink's empty frame is one empty line, with the cursor below it: up onto it, so that the program's
 * output continues right under the transcript instead of a blank line down.
 */
const ontoEmptyFrameLine = upToLineStart;

/**
 * Writes the running program's raw output to the user's terminal while the terminal is handed
 * over. Output waits until Ink has written its last (empty) frame, so Ink never erases lines of
 * the program's screen; a user who attached sees it continue the line the program had started (a
 * prompt, say) right under the transcript. The TUI's own modes (bracketed paste) are off
 * meanwhile, so the program gets exactly the keys a terminal would send it. Whenever the terminal comes back, every mode the
 * program may have left on is turned off (see {@link terminalModesReset}).
 */
export class TerminalHandover {
  private mode: PassthroughMode = 'off';
  /** `waiting` for Ink's empty frame, `due` once it is being written, `open` after; `closed` for good. */
  private state: 'waiting' | 'due' | 'open' | 'closed' = 'waiting';
  private pending: string[] = [];
  /** Follows the alternate-screen switches in what was written to the terminal. */
  private screenTracker: OutputSanitizer = createOutputSanitizer();
  /** Whether the last alternate-screen switch written to the terminal turned it on. */
  private alternateScreen = false;
  private shown = false;
  /** Attached: the program's unfinished line, drawn again as the handover opens. */
  private unfinishedLine = '';

  constructor(private readonly stdout: { write(data: string): boolean }) {}

  apply(action: PassthroughAction): void {
    if (this.state === 'closed') return;
    switch (action.kind) {
      case 'enter':
        this.mode = action.mode;
        this.state = 'waiting';
        this.pending = [];
        this.screenTracker = createOutputSanitizer();
        this.unfinishedLine = action.mode === 'attached' ? (action.line ?? '') : '';
        return;
      case 'raw':
        if (this.state === 'open') {
          this.track(action.data);
          this.stdout.write(action.data);
        } else this.pending.push(action.data);
        return;
      case 'leave':
        this.shown = this.state === 'open';
        if (this.state === 'open') {
          this.stdout.write(
            terminalModesReset({ alternateScreen: this.alternateScreen }) +
              (this.mode === 'attached' ? '\r\n' : '') +
              tuiModesOn,
          );
        }
        this.mode = 'off';
        this.state = 'waiting';
        this.pending = [];
        this.alternateScreen = false;
        return;
    }
  }

  /**
   * Whether the program's output during the last handover was written to the terminal. Given back
   * before Ink's empty frame was out, none of it was (what was held is dropped, as writing it under
   * the TUI's frame would have Ink erase it): the TUI prints it from the transcript instead.
   */
  get outputShown(): boolean {
    return this.shown;
  }

  /** Whether the program's output is being written to the terminal, on the alternate screen. */
  get programScreenShown(): boolean {
    return this.state === 'open' && this.alternateScreen;
  }

  /**
   * Ink is about to write a frame (it calls back just before writing it, synchronously): once the
   * handover frame (empty) is out, the program's output follows.
   */
  rendered(shown: PassthroughMode): void {
    if (this.mode === 'off' || this.state !== 'waiting' || shown === 'off') return;
    this.state = 'due';
    queueMicrotask(() => {
      if (this.state !== 'due') return;
      this.state = 'open';
      const output = this.pending.join('');
      this.pending = [];
      this.track(output);
      // A full-screen program's first switch saves the cursor where the frame left it, which is
      // where it comes back to and where the TUI's next frame expects it.
      const resume = this.mode === 'attached' ? ontoEmptyFrameLine + this.unfinishedLine : '';
      this.stdout.write(tuiModesOff + resume + output);
    });
  }

  /**
   * The TUI is giving the terminal back to the user: nothing of the program is written after this.
   * @returns whether the alternate screen may be on (the caller resets the modes as it exits)
   */
  close(): boolean {
    const alternateScreen = this.alternateScreen;
    this.state = 'closed';
    this.pending = [];
    return alternateScreen;
  }

  /** Notes the alternate-screen switches in program output about to be written to the terminal. */
  private track(output: string): void {
    for (const event of this.screenTracker.write(output).events)
      this.alternateScreen = event.active;
  }
}
