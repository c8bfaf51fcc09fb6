import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from '@lydell/node-pty';
import {
  createRunCoordinator,
  createSessionToken,
  createShellLaunch,
  type RunCoordinator,
} from '@lifeline/run-completion';
import { detectShell, writeShellLaunchFiles } from '@lifeline/run-completion/node';
import { descendantPids, killAll } from '../process-tree.js';

/**
 * bash under node-pty with Lifeline's shell integration, its runs typed and their ends found by
 * `@lifeline/run-completion` in this very process: what a session host does for a run, without the
 * host, the gateway or the messages between them. Beside a bare bash with a marker prompt, it shows
 * what the integration's prompt hooks cost; beside the gateway, what the processes around it cost.
 */
export class HookedShell {
  readonly #pty: pty.IPty;
  readonly #runs: RunCoordinator;
  readonly #directory: string;
  readonly #nextSeq: () => number;
  #exited = false;

  private constructor(
    terminal: pty.IPty,
    runs: RunCoordinator,
    directory: string,
    nextSeq: () => number,
  ) {
    this.#pty = terminal;
    this.#runs = runs;
    this.#directory = directory;
    this.#nextSeq = nextSeq;
    terminal.onData((data) => {
      runs.ingest(data);
    });
    terminal.onExit(() => {
      this.#exited = true;
      runs.flushOnExit();
      runs.resetForExit();
    });
  }

  /** Starts `/bin/bash` with the integration in `env`, and waits until it reported its first prompt. */
  static async start(options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<HookedShell> {
    const shell = detectShell('/bin/bash');
    const token = createSessionToken();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-bench-hooked-'));
    const launch = createShellLaunch({
      shell: shell.path,
      mode: shell.mode,
      token,
      directory,
      env: options.env,
    });
    writeShellLaunchFiles(directory, launch);
    // The seqs a log would give the events: the coordinator only passes them back.
    let events = 0;
    const nextSeq = () => (events += 1);
    // Told of typing, as a session host is: with nothing typed at the prompt, a run's text does
    // not start with the key that sets a typed line aside.
    const runs = createRunCoordinator({
      mode: launch.mode,
      token,
      reportsTyping: true,
      appendOutput: nextSeq,
      appendRunComplete: nextSeq,
    });
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...options.env, ...launch.env }))
      if (value !== undefined) env[name] = value;
    const terminal = pty.spawn(launch.file, launch.args, {
      name: env.TERM ?? 'xterm-256color',
      cols: 80,
      rows: 24,
      cwd: options.cwd,
      env,
    });
    const hooked = new HookedShell(terminal, runs, directory, nextSeq);
    await runs.ready;
    return hooked;
  }

  /** Types `command` as a session host would, and resolves when the shell reported its end. */
  async run(command: string, timeoutMs = 30_000): Promise<void> {
    const run = this.#runs.register(this.#runs.prepare(command), this.#nextSeq());
    this.#pty.write(run.textToWrite);
    const outcome = await run.wait(timeoutMs);
    if (outcome.kind !== 'completed') {
      throw new Error(`"${command}" did not complete in the hooked bash: ${outcome.kind}`);
    }
  }

  /**
   * SIGKILLs the shell and whatever it still runs, waits until they are gone, and removes the
   * integration's files.
   * @throws Error naming the pids that survived
   */
  async dispose(): Promise<void> {
    const pids = this.#exited ? [] : [this.#pty.pid, ...descendantPids(this.#pty.pid)];
    const survivors = await killAll(pids);
    fs.rmSync(this.#directory, { recursive: true, force: true });
    if (survivors.length > 0)
      throw new Error(
        `the hooked bash left processes behind: ${survivors.join(', ')}; kill them by hand`,
      );
  }
}
