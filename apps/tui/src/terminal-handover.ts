import type { PassthroughAction, PassthroughMode } from './session/passthrough-plan.js';

/** The modes the TUI sets on the user's terminal, turned off while a program has it. */
const tuiModesOff = '\x1b[?2004l\x1b[?25h';
const tuiModesOn = '\x1b[?2004h';

/**
 * Writes the running program's raw output to the user's terminal while the terminal is handed
 * over. Output waits until Ink has written its last (empty) frame, so Ink never erases lines of
 * the program's screen; the TUI's own modes (bracketed paste) are off meanwhile, so the program
 * gets exactly the keys a terminal would send it.
 */
export class TerminalHandover {
  private mode: PassthroughMode = 'off';
  /** `waiting` for Ink's empty frame, `due` once it is being written, `open` after. */
  private state: 'waiting' | 'due' | 'open' = 'waiting';
  private pending: string[] = [];

  constructor(private readonly stdout: { write(data: string): boolean }) {}

  apply(action: PassthroughAction): void {
    switch (action.kind) {
      case 'enter':
        this.mode = action.mode;
        this.state = 'waiting';
        this.pending = [];
        return;
      case 'raw':
        if (this.state === 'open') this.stdout.write(action.data);
        else this.pending.push(action.data);
        return;
      case 'leave':
        if (this.state === 'open') this.stdout.write(this.mode === 'attached' ? `\r\n${tuiModesOn}` : tuiModesOn);
        this.mode = 'off';
        this.state = 'waiting';
        this.pending = [];
        return;
    }
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
      this.stdout.write(tuiModesOff + this.pending.join(''));
      this.pending = [];
    });
  }
}
