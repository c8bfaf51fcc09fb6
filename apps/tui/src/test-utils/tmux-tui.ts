import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';

/**
 * A TUI running in tmux, on a server of its own (its own socket): a terminal people use, which
 * wraps every line it holds again when its width changes, the scrollback's too.
 */
export class TmuxTui {
  private static started = 0;
  private readonly socket = `lifeline-test-${process.pid}-${(TmuxTui.started += 1)}`;

  constructor(
    command: string[],
    env: Record<string, string>,
    cwd: string,
    size: { cols: number; rows: number },
  ) {
    // The server takes the environment of the client that starts it.
    this.tmux(
      [
        'new-session',
        '-d',
        '-x',
        String(size.cols),
        '-y',
        String(size.rows),
        '-c',
        cwd,
        ...command,
      ],
      env,
    );
    this.tmux(['set-option', '-g', 'history-limit', '10000']);
  }

  /** Types `text` as keys (a carriage return is Enter). */
  type(text: string): void {
    this.tmux(['send-keys', '-l', text]);
  }

  /** Gives the window a new size, as dragging a terminal's edge does. */
  resize(cols: number, rows: number): void {
    this.tmux(['resize-window', '-x', String(cols), '-y', String(rows)]);
  }

  /**
   * Gives the window a new size while the TUI writes nothing: the TUI stopped (SIGSTOP) until the
   * terminal shows all it wrote, then the new size, then the TUI goes on (SIGCONT). A frame the TUI
   * writes a moment before a change and the terminal reads after it is laid out for the old size
   * (a limit the README states): a test of everything else leaves that race out this way.
   */
  async resizeWhileQuiet(cols: number, rows: number): Promise<void> {
    const pid = Number(this.tmux(['display-message', '-p', '#{pane_pid}']).trim());
    process.kill(pid, 'SIGSTOP');
    try {
      await this.settled();
      this.resize(cols, rows);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }

  /**
   * Gives the window a new size and the one it had back, in one go, as a window's edge dragged there
   * and back within tmux's 250 ms does: tmux wraps its lines (or moves rows into its scrollback and
   * out) at both at once, but tells the program of the first (while its screen is back at the
   * second), and of the second later.
   */
  resizeThereAndBack(
    there: { cols: number; rows: number },
    back: { cols: number; rows: number },
  ): void {
    const size = ({ cols, rows }: { cols: number; rows: number }) => [
      'resize-window',
      '-x',
      String(cols),
      '-y',
      String(rows),
    ];
    this.tmux([...size(there), ';', ...size(back)]);
  }

  /** Every row the terminal holds, its scrollback first, trailing empty rows left out. */
  lines(): string[] {
    const lines = this.tmux(['capture-pane', '-p', '-S', '-', '-E', '-']).split('\n');
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  /** The rows of the screen now, without the scrollback above them (trailing empty rows left out). */
  screenRows(): string[] {
    const rows = this.tmux(['capture-pane', '-p']).split('\n');
    while (rows.length > 0 && rows.at(-1) === '') rows.pop();
    return rows;
  }

  /** Every line the terminal holds, as {@link lines}, with the rows it wrapped each into joined again. */
  joinedLines(): string[] {
    const lines = this.tmux(['capture-pane', '-pJ', '-S', '-', '-E', '-']).split('\n');
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  async waitFor(pattern: string | RegExp, timeout = 20_000): Promise<void> {
    await vi.waitFor(
      () => {
        const text = this.lines().join('\n');
        const found = typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
        if (!found) throw new Error(`tmux does not show ${String(pattern)} yet:\n${text}`);
      },
      { timeout, interval: 50 },
    );
  }

  /**
   * What the terminal holds once the TUI has stopped writing: the same in two looks `quietMs` apart
   * (a redraw that follows a resize comes within a few milliseconds). Rows that match `changing`
   * (a running command's spinner and elapsed time) are not looked at.
   */
  async settled(quietMs = 150, timeout = 10_000, changing?: RegExp): Promise<string[]> {
    const looked = (lines: string[]) =>
      (changing === undefined ? lines : lines.filter((line) => !changing.test(line))).join('\n');
    let previous = looked(this.lines());
    return vi.waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, quietMs));
        const lines = this.lines();
        const now = looked(lines);
        const changed = now !== previous;
        previous = now;
        if (changed) throw new Error(`tmux still changes:\n${now}`);
        return lines;
      },
      { timeout, interval: 0 },
    );
  }

  /** Ends the server, and with it the TUI (SIGHUP), and removes its socket (tmux leaves it). */
  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // Gone already.
    }
    // Where tmux puts its sockets: $TMUX_TMPDIR, or /tmp (not $TMPDIR).
    const directory = path.join(
      process.env.TMUX_TMPDIR ?? '/tmp',
      `tmux-${process.getuid?.() ?? 0}`,
    );
    fs.rmSync(path.join(directory, this.socket), { force: true });
  }

  private tmux(args: string[], env?: Record<string, string>): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      ...(env ? { env } : {}),
    });
  }
}
