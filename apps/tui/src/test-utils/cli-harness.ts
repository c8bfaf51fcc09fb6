import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { TuiWorld } from './tui-harness.js';

/** The `lifeline` launcher, as the package's `bin` installs it: it loads the build. */
const cliPath = path.resolve(import.meta.dirname, '../../bin/lifeline.cjs');

/** What a finished CLI process left behind. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A private state directory in which tests run the built `lifeline` CLI as real processes (and
 * the TUI under a PTY, through {@link TuiWorld}); disposing kills every process they started,
 * the gateways they spawned and the session hosts of the state directory.
 */
/** How {@link CliWorld} runs a command: its environment added, its cwd, what its stdin holds. */
export interface CliRunOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
}

export class CliWorld extends TuiWorld {
  private readonly processes: CliProcess[] = [];

  /** Starts `lifeline …args` with pipes for stdio; stdin holds `input` (nothing without it). */
  spawn(args: string[], options: CliRunOptions = {}): CliProcess {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? this.work,
      env: { ...this.env(), ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) {
      // A command that exits before it reads its input (a refusal) closes the pipe first.
      child.stdin?.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
      child.stdin?.end(options.input);
    }
    const started = new CliProcess(child);
    this.processes.push(started);
    return started;
  }

  /** Runs `lifeline …args` to the end. */
  async run(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
    return this.spawn(args, options).result;
  }

  /** Runs `lifeline …args` and parses its stdout as one JSON value (of the shape the caller names). */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller states the shape it expects
  async json<T>(args: string[]): Promise<{ value: T; result: CliResult }> {
    const result = await this.run(args);
    if (result.code !== 0)
      throw new Error(`lifeline ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return { value: JSON.parse(result.stdout) as T, result };
  }

  /** Pids of the gateways running with this world's state directory (session hosts not included). */
  gatewayPids(): number[] {
    return this.worldPids().filter((pid) => {
      const argv = readOr(`/proc/${pid}/cmdline`).split('\0');
      return argv.some((arg) => arg.endsWith(path.join('gateway', 'dist', 'cli.js')));
    });
  }

  override async dispose(): Promise<void> {
    for (const started of this.processes) started.killTree();
    // The world's dispose ends whatever else of it still runs (gateways, hosts, shells).
    await super.dispose();
  }
}

/** One CLI process: its output so far, its outcome, and the means to end it. */
export class CliProcess {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
  stdout = '';
  stderr = '';

  constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.result = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Waits until stdout (or stderr) matches. */
  async waitFor(
    pattern: RegExp,
    stream: 'stdout' | 'stderr' = 'stdout',
    timeout = 20_000,
  ): Promise<RegExpMatchArray> {
    return vi.waitFor(
      () => {
        const match = pattern.exec(this[stream]);
        if (!match)
          throw new Error(
            `${stream} does not match ${String(pattern)} yet:\n${this[stream]}\n(stderr: ${this.stderr})`,
          );
        return match;
      },
      { timeout, interval: 20 },
    );
  }

  /** Whether it has not exited yet (its pid is still its own, not reused by another process). */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Pids of the processes this one started (a gateway, say), and theirs, while it runs. */
  descendants(): number[] {
    return this.running ? descendantsOf(this.pid) : [];
  }

  /** Kills this process and everything it started, if it still runs. */
  killTree(): void {
    if (!this.running) return;
    const pids = [this.pid, ...this.descendants()];
    for (const pid of pids) killQuietly(pid);
  }
}

function descendantsOf(pid: number): number[] {
  let children: number[] = [];
  try {
    children = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function killQuietly(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
