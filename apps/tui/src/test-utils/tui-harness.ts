import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import xterm from '@xterm/headless';
import pty from '@lydell/node-pty';
import { vi } from 'vitest';
import { TmuxTui } from './tmux-tui.js';

const cliPath = path.resolve(import.meta.dirname, '../../dist/cli.js');
/** The header's state while the gateway is live: `● running` under a running command. */
const liveHeader = /● (ready|running)/;

/** Keys, as a terminal sends them. */
export const keys = {
  enter: '\r',
  ctrlC: '\x03',
  ctrlD: '\x04',
  ctrlL: '\x0c',
  ctrlZ: '\x1a',
  ctrlBracket: '\x1d',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
} as const;

/** A private state directory and home for one test. */
export class TuiWorld {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-tui-'));
  readonly stateDir = path.join(this.root, 'state');
  readonly home = path.join(this.root, 'home');
  readonly work = path.join(this.root, 'work');
  private readonly tuis: (TuiProcess | TmuxTui)[] = [];
  /** The terminal's type (`TERM`) the TUIs started from now on run under. */
  term = 'xterm-256color';

  /** @param shell the user's shell (`SHELL`), which sessions run */
  constructor(private readonly shell = '/bin/bash') {
    fs.mkdirSync(this.home, { recursive: true });
    fs.mkdirSync(this.work, { recursive: true });
    // zsh asks a new user to set it up unless there is a .zshrc.
    fs.writeFileSync(path.join(this.home, '.zshrc'), '');
  }

  env(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      LIFELINE_HOME: this.stateDir,
      LIFELINE_CRASH_LOG: '1',
      SHELL: this.shell,
      LANG: 'C.UTF-8',
      TERM: this.term,
    };
  }

  /**
   * Starts `lifeline` in a real PTY whose output a headless xterm renders.
   * @param extraEnv variables set for it on top of the world's
   */
  start(
    args: string[] = [],
    size = { cols: 100, rows: 30 },
    extraEnv: Record<string, string> = {},
  ): TuiProcess {
    const tui = new TuiProcess(args, { ...this.env(), ...extraEnv }, this.work, size);
    this.tuis.push(tui);
    return tui;
  }

  /**
   * Starts `lifeline` in tmux (see {@link TmuxTui}), under `before`: lines the terminal shows
   * already, as a shell's would be (plain words, without quotes); after `first`, a line of `sh`
   * run in the terminal before it (in the terminal's line mode, which echoes what is typed).
   */
  startInTmux(
    args: string[] = [],
    size = { cols: 100, rows: 30 },
    before: string[] = [],
    first?: string,
  ): TmuxTui {
    const command = [process.execPath, cliPath, ...args];
    const printed = before.map((line) => `'${line}'`).join(' ');
    const script = [
      ...(before.length === 0 ? [] : [`printf '%s\\n' ${printed}`]),
      ...(first === undefined ? [] : [first]),
      'exec "$@"',
    ].join(' && ');
    const tui = new TmuxTui(
      before.length === 0 && first === undefined
        ? command
        : ['/bin/sh', '-c', script, 'sh', ...command],
      this.env(),
      this.work,
      size,
    );
    this.tuis.push(tui);
    return tui;
  }

  /** Pids of live session hosts of this world. */
  hostPids(): number[] {
    const sessions = path.join(this.stateDir, 'sessions');
    if (!fs.existsSync(sessions)) return [];
    return fs
      .readdirSync(sessions)
      .map((sid) => Number.parseInt(readOr(path.join(sessions, sid, 'host.lock'), ''), 10))
      .filter((pid) => Number.isInteger(pid) && pid > 0 && isRunning(pid));
  }

  /**
   * Kills everything this world started and removes its files; after a failed test, first prints
   * the crash log and each session's last events, which say what happened.
   */
  async dispose(failed = false): Promise<void> {
    if (failed) console.error(this.evidence());
    for (const tui of this.tuis) tui.kill();
    for (const pid of this.hostPids()) killQuietly(pid);
    await vi.waitFor(
      () => {
        if (this.hostPids().length > 0) throw new Error('session hosts still running');
      },
      { timeout: 5000 },
    );
    // A gateway whose TUI went lingers for a moment, and would log its exit into a state directory
    // already removed (making it again): whatever of this world still runs is ended first.
    await vi.waitFor(
      () => {
        const running = this.worldPids();
        for (const pid of running) killQuietly(pid);
        if (running.length > 0)
          throw new Error(`processes of this world still running: ${running.join(', ')}`);
      },
      { timeout: 5000 },
    );
    // A shell hung up by its host may still be saving its history into home for a moment (longer
    // on a loaded machine): removal is retried until nothing writes there any more.
    await vi.waitFor(() => fs.rmSync(this.root, { recursive: true, force: true }), {
      timeout: 10_000,
      interval: 50,
    });
  }

  /**
   * Pids of every live process running with a state directory inside this world (its own, or one a
   * test made there): the processes it started, the gateways they started (which outlive them by a
   * moment), session hosts and their shells.
   */
  worldPids(): number[] {
    const marker = `\0LIFELINE_HOME=${this.root}/`;
    return fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter(
        (pid) =>
          pid !== process.pid &&
          `\0${readOr(`/proc/${pid}/environ`, '')}`.includes(marker) &&
          !isZombie(pid),
      );
  }

  private evidence(): string {
    const parts = [
      `crash log:\n${readOr(path.join(this.stateDir, 'logs', 'crash.log'), '(none)')}`,
    ];
    const sessions = path.join(this.stateDir, 'sessions');
    for (const sid of fs.existsSync(sessions) ? fs.readdirSync(sessions) : []) {
      const events = readOr(path.join(sessions, sid, 'events.jsonl'), '')
        .trimEnd()
        .split('\n')
        .slice(-40);
      parts.push(`last events of ${sid}:\n${events.join('\n')}`);
    }
    return parts.join('\n\n');
  }
}

/** One running TUI: what its terminal shows, and its keyboard. */
export class TuiProcess {
  readonly terminal: xterm.Terminal;
  /** The exit code, once the TUI has exited and the terminal shows everything it wrote. */
  readonly exited: Promise<number>;
  /** Everything the TUI wrote, raw. */
  raw = '';
  /** Times the terminal's bell rang (a BEL the terminal took as one, not a title's end). */
  bells = 0;
  /** The window titles set on the terminal, in order. */
  readonly titles: string[] = [];
  private readonly process: pty.IPty;
  private pendingWrites = 0;
  private running = true;

  constructor(
    args: string[],
    env: Record<string, string>,
    cwd: string,
    size: { cols: number; rows: number },
  ) {
    this.terminal = new xterm.Terminal({
      cols: size.cols,
      rows: size.rows,
      scrollback: 10_000,
      allowProposedApi: true,
    });
    this.process = pty.spawn(process.execPath, [cliPath, ...args], {
      name: env.TERM ?? 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd,
      env,
    });
    this.terminal.onBell(() => {
      this.bells += 1;
    });
    this.terminal.onTitleChange((title) => {
      this.titles.push(title);
    });
    // The terminal answers what the TUI asks of it (where its cursor is), as a real one does.
    this.terminal.onData((answer) => {
      if (this.running) this.process.write(answer);
    });
    this.process.onData((data) => {
      this.raw += data;
      this.pendingWrites += 1;
      this.terminal.write(data, () => {
        this.pendingWrites -= 1;
        for (const listener of this.screenListeners) listener(this.screen());
      });
    });
    // Resolves once the terminal has also parsed everything the TUI wrote (xterm parses writes
    // asynchronously, in order: an empty write's callback comes after all earlier ones).
    this.exited = new Promise((resolve) => {
      this.process.onExit(({ exitCode, signal }) => {
        this.running = false;
        this.exitSignal = signal ?? 0;
        this.terminal.write('', () => resolve(exitCode));
      });
    });
  }

  get pid(): number {
    return this.process.pid;
  }

  private readonly screenListeners: ((screen: string[]) => void)[] = [];

  /** Calls `listener` with the screen as each piece the TUI writes leaves it, from now on. */
  onScreen(listener: (screen: string[]) => void): void {
    this.screenListeners.push(listener);
  }

  /** The signal that ended the TUI (0: it exited by itself), once it has exited. */
  exitSignal: number | undefined;

  /** Closes the terminal, as closing its window does: the TUI gets SIGHUP, and EIO on every write. */
  closeTerminal(): void {
    (this.process as unknown as { destroy(): void }).destroy();
  }

  /** Every line of the terminal, scrollback included, trailing spaces trimmed. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let index = 0; index < buffer.length; index += 1)
      lines.push(buffer.getLine(index)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  /** The rows on screen now. */
  screen(): string[] {
    const buffer = this.terminal.buffer.active;
    return Array.from(
      { length: this.terminal.rows },
      (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '',
    );
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** Waits until the terminal shows `pattern`, then one more turn so the frame has settled. */
  async waitFor(pattern: string | RegExp, timeout = 20_000): Promise<void> {
    await vi.waitFor(
      () => {
        const text = this.text();
        const found = typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
        if (!found || this.pendingWrites > 0)
          throw new Error(
            `the terminal does not show ${String(pattern)} yet:\n${this.screen().join('\n')}`,
          );
      },
      { timeout, interval: 20 },
    );
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Types text (each call is one chunk, as a fast typist or a paste would send it). */
  type(text: string): void {
    this.process.write(text);
  }

  /** Types `command` and Enter at the prompt, and waits until it runs (keys go to it then). */
  async startCommand(command: string): Promise<void> {
    this.type(`${command}${keys.enter}`);
    await this.waitFor('Ctrl+C interrupts');
  }

  /** Resizes the terminal and the PTY, as a window resize does. */
  resize(cols: number, rows: number): void {
    this.terminal.resize(cols, rows);
    this.process.resize(cols, rows);
  }

  /** Pid of the gateway the TUI runs now (its child); none once the TUI has exited. */
  gatewayPid(): number | undefined {
    // Pids are reused quickly: never look one up, or signal it, after its process ended.
    if (!this.running) return undefined;
    const children = readOr(`/proc/${this.pid}/task/${this.pid}/children`, '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return children.find((pid) => readOr(`/proc/${pid}/cmdline`, '').includes('gateway'));
  }

  /** Waits until the screen (not the scrollback) shows a live gateway (`● ready`, `● running`). */
  async untilReadyOnScreen(timeoutMs = 20_000): Promise<void> {
    await vi.waitFor(
      () => {
        if (!this.screen().some((line) => liveHeader.test(line)))
          throw new Error('not ready (again) yet');
      },
      { timeout: timeoutMs },
    );
  }

  /**
   * Waits until the TUI shows a live gateway (`● ready`, `● running`), SIGKILLs it, runs `afterKill`,
   * and waits until the killed gateway is gone.
   */
  async killReadyGateway(afterKill?: () => Promise<void>): Promise<void> {
    const gateway = await vi.waitFor(
      () => {
        const pid = this.gatewayPid();
        if (!pid || !this.screen().some((line) => liveHeader.test(line)))
          throw new Error('not ready yet');
        return pid;
      },
      { timeout: 20_000, interval: 20 },
    );
    process.kill(gateway, 'SIGKILL');
    await afterKill?.();
    await vi.waitFor(() => {
      if (this.gatewayPid() === gateway) throw new Error('the killed gateway is still there');
    });
  }

  kill(): void {
    if (!this.running) return;
    const gateway = this.gatewayPid();
    killQuietly(this.pid);
    if (gateway) killQuietly(gateway);
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function isZombie(pid: number): boolean {
  const stat = readOr(`/proc/${pid}/stat`, '');
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readOr(`/proc/${pid}/stat`, '');
  return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The status line once recovery gave up, saying why (it may wrap at a space). */
export const gaveUpLine =
  /gateway\s+exited\s+\(SIGKILL\)\s+—\s+gave\s+up\s+after\s+3\s+recoveries\s+within\s+1\s+min\s+—\s+\/recover/;

/** Lines of the file {@link startVimOnLongFile} opens: `line 1` to `line 300`. */
const longFileLines = Array.from({ length: 300 }, (_, index) => `line ${index + 1}`);

/**
 * Starts a TUI of 80x20 in `world` and, in it, vim on a file of 300 numbered lines, and waits until
 * vim has the whole terminal (see the returned check).
 * @returns the TUI, and a check that vim has the whole terminal: the alternate screen, every row
 *   but the last (vim's command line) holding the file's line of that number
 */
export async function startVimOnLongFile(
  world: TuiWorld,
): Promise<{ tui: TuiProcess; vimHasWholeTerminal: () => void }> {
  fs.writeFileSync(path.join(world.work, 'long.txt'), longFileLines.join('\n'));
  const tui = world.start([], { cols: 80, rows: 20 });
  await tui.waitFor('● ready');
  tui.type(`vim -u NONE -N long.txt${keys.enter}`);
  const vimHasWholeTerminal = () => {
    if (tui.terminal.buffer.active.type !== 'alternate')
      throw new Error('vim has not taken the alternate screen');
    const rows = tui.screen().slice(0, 19);
    if (rows.join('\n') !== longFileLines.slice(0, 19).join('\n'))
      throw new Error(`vim does not fill the terminal:\n${rows.join('\n')}`);
  };
  await vi.waitFor(vimHasWholeTerminal, { timeout: 15_000 });
  return { tui, vimHasWholeTerminal };
}
