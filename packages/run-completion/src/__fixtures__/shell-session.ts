// A session host in miniature: a real shell under node-pty, started with the integration, its
// output fed to a coordinator that appends to an in-memory event log.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from '@lydell/node-pty';
import {
  createRunCoordinator,
  type RegisteredRun,
  type RunCoordinator,
  type RunOutcome,
} from '../coordinator.js';
import { createShellLaunch, type ShellLaunch } from '../launch.js';
import type { CompletionMode } from '../mode.js';
import { detectShell, writeShellLaunchFiles } from '../node.js';
import type { ShellKind } from '../shell-kind.js';
import { createSessionToken } from '../token.js';

/** The path of a shell on this machine, or undefined when it is not installed. */
export function which(name: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export interface ShellSessionOptions {
  shell: string;
  kind?: ShellKind;
  mode?: CompletionMode;
  /** Files to create in the temporary HOME (relative path → contents). */
  homeFiles?: Record<string, string>;
  /** Extra environment (the user's own, before the integration's additions). */
  env?: Record<string, string>;
  cols?: number;
  /** Given to the coordinator (see `RunCoordinatorOptions.reportsTyping`). */
  reportsTyping?: boolean;
}

type LogEvent =
  | { type: 'output'; text: string }
  | { type: 'run_start'; runId: string; command: string; origin: 'lifeline' | 'shell' }
  | { type: 'run_complete'; runId: string; exitCode: number; cwd: string };

export interface RunResult {
  outcome: RunOutcome;
  /** Output between the run's run_start and run_complete events. */
  output: string;
}

export class ShellSession {
  readonly log: LogEvent[] = [];
  readonly token = createSessionToken((length) => randomBytes(length));
  readonly home: string;
  readonly launchDirectory: string;
  readonly launch: ShellLaunch;
  readonly coordinator: RunCoordinator;
  readonly process: pty.IPty;
  exited = false;
  /** Prompt frames seen (`onPrompt`). */
  promptFrames = 0;
  readonly exit: Promise<void>;
  /** When set, output is not stored; this callback sees it instead. */
  outputTap: ((text: string) => void) | undefined;
  #waiters: { test: () => boolean; resolve: () => void }[] = [];
  /** Written and not yet taken by the PTY (see {@link write}). */
  #unwritten: Buffer[] = [];

  constructor(options: ShellSessionOptions) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'run-completion-home-'));
    this.launchDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'run-completion-launch-'));
    for (const [relative, contents] of Object.entries(options.homeFiles ?? {})) {
      const target = path.join(this.home, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, contents);
    }
    const userEnv: Record<string, string> = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: this.home,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      ...options.env,
    };
    const detected = detectShell(options.shell);
    this.launch = createShellLaunch({
      shell: options.shell,
      token: this.token,
      directory: this.launchDirectory,
      kind: options.kind ?? detected.kind,
      mode: options.mode ?? detected.mode,
      env: userEnv,
    });
    writeShellLaunchFiles(this.launchDirectory, this.launch);
    this.coordinator = createRunCoordinator({
      mode: this.launch.mode,
      token: this.token,
      reportsTyping: options.reportsTyping,
      onPrompt: () => {
        this.promptFrames += 1;
        this.#check();
      },
      appendOutput: (data) => {
        const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
        if (this.outputTap !== undefined) this.outputTap(text);
        else this.log.push({ type: 'output', text });
        this.#check();
      },
      appendRunComplete: (event) => {
        this.log.push({
          type: 'run_complete',
          runId: event.runId,
          exitCode: event.exitCode,
          cwd: event.cwd,
        });
        this.#check();
        return this.log.length - 1;
      },
      appendShellRunStart: (event) => {
        this.log.push({
          type: 'run_start',
          runId: event.runId,
          command: event.command,
          origin: 'shell',
        });
        this.#check();
        return this.log.length - 1;
      },
    });
    this.process = pty.spawn(this.launch.file, this.launch.args, {
      name: 'xterm-256color',
      cols: options.cols ?? 200,
      rows: 50,
      cwd: this.home,
      env: { ...userEnv, ...this.launch.env },
    });
    this.process.onData((data) => this.coordinator.ingest(data));
    this.exit = new Promise((resolve) => {
      this.process.onExit(() => {
        this.exited = true;
        this.coordinator.flushOnExit();
        this.coordinator.resetForExit();
        this.#check();
        resolve();
      });
    });
  }

  /** Waits for the shell's first prompt. */
  async ready(): Promise<void> {
    const outcome = await withTimeout(
      this.coordinator.ready,
      15_000,
      () => `no ready frame; output: ${JSON.stringify(this.outputText())}`,
    );
    if (outcome.kind !== 'ready')
      throw new Error(`shell exited before it was ready: ${JSON.stringify(this.outputText())}`);
  }

  /** prepare → run_start → register: the host's side of a run, before writing. */
  register(command: string): RegisteredRun {
    const prepared = this.coordinator.prepare(command);
    this.log.push({ type: 'run_start', runId: prepared.runId, command, origin: 'lifeline' });
    return this.coordinator.register(prepared, this.log.length - 1);
  }

  /** Runs a command the way a host does and returns its outcome and output. */
  async run(command: string, timeoutMs = 15_000): Promise<RunResult> {
    const run = this.register(command);
    this.write(run.textToWrite);
    const outcome = await run.wait(timeoutMs);
    return { outcome, output: this.outputOf(run.runId) };
  }

  /** Output between a run's run_start and its run_complete (or the end of the log). */
  outputOf(runId: string): string {
    const start = this.log.findIndex(
      (event) => event.type === 'run_start' && event.runId === runId,
    );
    let text = '';
    for (const event of this.log.slice(start + 1)) {
      if (event.type === 'run_complete' && event.runId === runId) break;
      if (event.type === 'output') text += event.text;
    }
    return text;
  }

  outputText(): string {
    return this.log.map((event) => (event.type === 'output' ? event.text : '')).join('');
  }

  /** Every run in the order it started: its command line, where it came from, and its status once complete. */
  runs(): { command: string; origin: 'lifeline' | 'shell'; exitCode?: number }[] {
    const exitCodes = new Map(this.completions().map((event) => [event.runId, event.exitCode]));
    return this.log.flatMap((event) => {
      if (event.type !== 'run_start') return [];
      const exitCode = exitCodes.get(event.runId);
      return [
        {
          command: event.command,
          origin: event.origin,
          ...(exitCode === undefined ? {} : { exitCode }),
        },
      ];
    });
  }

  /** Waits until `count` runs have completed. */
  untilCompletions(count: number, timeoutMs = 15_000): Promise<void> {
    return this.until(
      () => this.completions().length >= count,
      `${count} completed runs`,
      timeoutMs,
    );
  }

  completions(): Extract<LogEvent, { type: 'run_complete' }>[] {
    return this.log.filter(
      (event): event is Extract<LogEvent, { type: 'run_complete' }> =>
        event.type === 'run_complete',
    );
  }

  /** Resolves once `test()` holds (checked after every event), failing after `timeoutMs`. */
  until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    const reached = new Promise<void>((resolve) => this.#waiters.push({ test, resolve }));
    return withTimeout(
      reached,
      timeoutMs,
      () =>
        `timed out waiting for ${what}; output: ${JSON.stringify(this.outputText().slice(-2000))}`,
    );
  }

  /** Waits until the output since `fromLength` characters contains `needle`. */
  untilOutput(needle: string, fromLength = 0): Promise<void> {
    return this.until(
      () => this.outputText().slice(fromLength).includes(needle),
      JSON.stringify(needle),
    );
  }

  /** Waits until a child process of the shell runs `commandLine` (argv joined by spaces). */
  async untilChildProcess(commandLine: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!childCommandLines(this.process.pid).includes(commandLine)) {
      if (Date.now() > deadline)
        throw new Error(`no child process ${JSON.stringify(commandLine)} of the shell appeared`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Waits until the shell's line editor has taken the terminal out of canonical mode, as it does
   * before it shows a prompt. Before then the kernel's line discipline holds typed text and cuts a
   * line at 4095 bytes, as for typeahead in any terminal; a long paste must wait for this.
   */
  async untilLineEditorReads(timeoutMs = 10_000): Promise<void> {
    const device = (this.process as unknown as { ptsName: string }).ptsName;
    const deadline = Date.now() + timeoutMs;
    while (
      /(^|\s)icanon(\s|$)/.test(execFileSync('stty', ['-F', device, '-a'], { encoding: 'utf8' }))
    ) {
      if (Date.now() > deadline)
        throw new Error(`the line editor did not take ${device} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Writes to the PTY's master end in order, what the kernel does not take now tried again a
   * moment later. (node-pty's own write retries a full input buffer in a busy loop: a line editor
   * echoing a long line as it reads it then waits for this process to read, and neither goes on.)
   */
  write(text: string): void {
    this.#unwritten.push(Buffer.from(text, 'utf8'));
    if (this.#unwritten.length === 1) this.#writeWaiting();
  }

  /** Types keys as a user would: written, and told to the coordinator. */
  type(keys: string): void {
    this.write(keys);
    this.coordinator.typed(keys);
  }

  #writeWaiting(): void {
    const fd = (this.process as unknown as { fd: number }).fd;
    while (this.#unwritten.length > 0 && !this.exited) {
      const head = this.#unwritten[0] as Buffer;
      let taken: number;
      try {
        taken = fs.writeSync(fd, head);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // The shell is gone (EIO) or its terminal closed (EBADF): nobody reads what waits.
        if (code === 'EIO' || code === 'EBADF') break;
        if (code !== 'EAGAIN') throw error;
        setTimeout(() => this.#writeWaiting(), 2);
        return;
      }
      if (taken < head.length) this.#unwritten[0] = head.subarray(taken);
      else this.#unwritten.shift();
    }
    this.#unwritten.length = 0;
  }

  async close(): Promise<void> {
    if (!this.exited) {
      this.process.kill('SIGKILL');
      await withTimeout(this.exit, 5000, () => 'the shell did not exit after SIGKILL');
    }
    fs.rmSync(this.home, { recursive: true, force: true });
    fs.rmSync(this.launchDirectory, { recursive: true, force: true });
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.test()) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** Command lines of the processes whose parent is `pid`, from /proc. */
function childCommandLines(pid: number): string[] {
  const lines: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== pid) continue;
      lines.push(
        fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '),
      );
    } catch {
      // The process ended while we looked.
    }
  }
  return lines;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message())), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
