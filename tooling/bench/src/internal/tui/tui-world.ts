import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCrashLogPath, readCrashLog, type CrashLogEntry } from '@lifeline/crash-log';
import { stateLayout } from '@lifeline/protocol';
import { descendantPids, isProcessAlive, killAll } from '../process-tree.js';
import { PtyScreen } from './pty-screen.js';
import { TuiScreen } from './tui-screen.js';

/**
 * The built TUI (`pnpm turbo run build --filter=@lifeline/cli`), started as a user's shell starts
 * it: the file the package's `bin` names for `lifeline`, which loads the build.
 */
const cliPath = path.resolve(import.meta.dirname, '../../../../../apps/tui/bin/lifeline.cjs');

/** File of a session directory holding the pid of the session's host. */
const HOST_LOCK_FILE = 'host.lock';

/**
 * A private Lifeline world for TUI benchmarks: its own state directory (`LIFELINE_HOME`, crash
 * log on), an empty home directory and `/bin/bash` as the shell. `dispose()` SIGKILLs every
 * process it started — TUIs, their gateways, the detached session hosts and the hosts' shells and
 * commands — and removes its files.
 */
export class TuiWorld {
  // Lowercase only: the TUI shows its cwd, and uppercase letters on screen are reserved for typed keys.
  readonly root = path.join(
    os.tmpdir(),
    `lifeline-bench-tui-${crypto.randomBytes(6).toString('hex')}`,
  );
  readonly stateDir = path.join(this.root, 'state');
  readonly home = path.join(this.root, 'home');
  readonly work = path.join(this.root, 'work');
  readonly #screens: PtyScreen[] = [];

  constructor() {
    fs.mkdirSync(this.root, { mode: 0o700 });
    fs.mkdirSync(this.home, { recursive: true });
    fs.mkdirSync(this.work, { recursive: true });
  }

  /** What the TUI, and through it the gateway, hosts and shells, run with. */
  env(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      LIFELINE_HOME: this.stateDir,
      LIFELINE_CRASH_LOG: '1',
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
    };
  }

  /**
   * Starts `lifeline` in a PTY of `cols`×`rows` in the world's work directory, with `extraEnv` added
   * to the world's environment; `nodeFlags` go to node before the TUI's entry point (`--cpu-prof`
   * to profile it).
   */
  startTui(
    args: readonly string[] = [],
    size = { cols: 100, rows: 30 },
    nodeFlags: readonly string[] = [],
    extraEnv: Readonly<Record<string, string>> = {},
  ): TuiScreen {
    const tui = new TuiScreen({
      command: process.execPath,
      args: [...nodeFlags, cliPath, ...args],
      env: { ...this.env(), ...extraEnv },
      cwd: this.work,
      ...size,
    });
    this.#screens.push(tui);
    return tui;
  }

  /** Starts any program in a PTY with the world's environment, plus `extraEnv`. */
  startProgram(
    command: string,
    args: readonly string[],
    extraEnv: Readonly<Record<string, string>> = {},
    size = { cols: 100, rows: 30 },
  ): PtyScreen {
    const screen = new PtyScreen({
      command,
      args,
      env: { ...this.env(), ...extraEnv },
      cwd: this.work,
      ...size,
    });
    this.#screens.push(screen);
    return screen;
  }

  /** Directories of this world's sessions, oldest first (session ids sort by creation time). */
  sessionDirs(): string[] {
    try {
      return fs
        .readdirSync(stateLayout.sessionsDir(this.stateDir))
        .sort()
        .map((sid) => stateLayout.sessionDir(this.stateDir, sid));
    } catch {
      return [];
    }
  }

  /** Pids of the live session hosts of this world. */
  hostPids(): number[] {
    let sids: string[];
    try {
      sids = fs.readdirSync(stateLayout.sessionsDir(this.stateDir));
    } catch {
      return [];
    }
    return sids
      .map((sid) =>
        Number.parseInt(
          readOrEmpty(path.join(stateLayout.sessionDir(this.stateDir, sid), HOST_LOCK_FILE)),
          10,
        ),
      )
      .filter(isProcessAlive);
  }

  /** Entries of the crash log the TUIs, gateways and hosts of this world share, from `sinceEpochMs` on. */
  crashLog(sinceEpochMs: number): CrashLogEntry[] {
    return readCrashLog(defaultCrashLogPath(this.env()), { since: sinceEpochMs });
  }

  /**
   * SIGKILLs every program started so far and everything under it, session hosts included, and
   * waits until all of them are gone.
   * @throws Error naming the pids that survived SIGKILL
   */
  async killAll(): Promise<void> {
    const treeOf = (pid: number) => [pid, ...descendantPids(pid)];
    const pids = [
      ...this.#screens.flatMap((screen) => treeOf(screen.pid)),
      ...this.hostPids().flatMap(treeOf),
      // A gateway the TUI spawned while this list was made, or one orphaned by a killed TUI.
      ...this.#processesInWorld().flatMap(treeOf),
    ];
    for (const screen of this.#screens) screen.kill();
    const survivors = await killAll([...new Set(pids)]);
    await Promise.all(this.#screens.map((screen) => screen.exited));
    for (const screen of this.#screens.splice(0)) screen.dispose();
    if (survivors.length > 0) {
      throw new Error(
        `processes of the TUI benchmark survived SIGKILL: ${survivors.join(', ')}; kill them by hand`,
      );
    }
  }

  /** Pids of the processes whose environment names this world's state directory. */
  #processesInWorld(): number[] {
    const marker = `\0LIFELINE_HOME=${this.stateDir}\0`;
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      return [];
    }
    return entries
      .filter(
        (entry) =>
          /^\d+$/.test(entry) && `\0${readOrEmpty(`/proc/${entry}/environ`)}`.includes(marker),
      )
      .map(Number);
  }

  /** Ends every process of the world and removes its files. */
  async dispose(): Promise<void> {
    try {
      await this.killAll();
    } finally {
      // A shell hung up by its host may still be saving its history into home for a moment.
      fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
    }
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
