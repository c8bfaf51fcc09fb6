import { randomBytes } from 'node:crypto';
import pty from '@lydell/node-pty';
import { descendantPids, killAll } from '../process-tree.js';

/** What a command typed into a {@link BarePromptShell} printed before the next prompt. */
export interface BareRun {
  /** From writing the command to the arrival of the prompt marker. */
  seconds: number;
  /** UTF-8 bytes read from the PTY, echo of the command included, the prompt marker excluded. */
  outputBytes: number;
}

/**
 * The least a terminal front-end can do to run a command and know it has finished: bash in a
 * node-pty PTY with no rc files and a prompt that is nothing but a unique marker; a command is
 * typed with `\r` and is over when the marker comes back. No log, no protocol, no completion
 * frames: the limit the gateway's run path is measured against.
 */
export class BarePromptShell {
  readonly #pty: pty.IPty;
  readonly #marker: string;
  #tail = '';
  #outputBytes = 0;
  #prompted: (() => void) | undefined;
  #exited = false;

  private constructor(terminal: pty.IPty, marker: string) {
    this.#pty = terminal;
    this.#marker = marker;
    terminal.onData((data) => {
      this.#read(data);
    });
    terminal.onExit(() => {
      this.#exited = true;
    });
  }

  /** Starts bash (`--norc --noprofile -i`) with `env` plus the marker prompt, and waits for its first prompt. */
  static async start(options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<BarePromptShell> {
    // Random, so no output of the measured commands can contain it; given in the environment, so
    // the shell never echoes it.
    const marker = `<<bare-prompt-${randomBytes(8).toString('hex')}>>`;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.env))
      if (value !== undefined) env[name] = value;
    const terminal = pty.spawn('/bin/bash', ['--norc', '--noprofile', '-i'], {
      name: env.TERM ?? 'xterm-256color',
      cols: 80,
      rows: 24,
      cwd: options.cwd,
      env: { ...env, PS1: marker, PROMPT_COMMAND: '' },
    });
    const shell = new BarePromptShell(terminal, marker);
    await shell.#nextPrompt(10_000);
    return shell;
  }

  /** Types `command` and resolves when the prompt marker comes back. */
  async run(command: string, timeoutMs = 30_000): Promise<BareRun> {
    this.#outputBytes = 0;
    const prompted = this.#nextPrompt(timeoutMs);
    const started = performance.now();
    this.#pty.write(`${command}\r`);
    await prompted;
    return { seconds: (performance.now() - started) / 1000, outputBytes: this.#outputBytes };
  }

  /**
   * SIGKILLs the shell and whatever it still runs, and waits until they are gone.
   * @throws Error naming the pids that survived
   */
  async dispose(): Promise<void> {
    const pids = this.#exited ? [] : [this.#pty.pid, ...descendantPids(this.#pty.pid)];
    const survivors = await killAll(pids);
    if (survivors.length > 0)
      throw new Error(
        `the bare bash left processes behind: ${survivors.join(', ')}; kill them by hand`,
      );
  }

  #nextPrompt(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#prompted = undefined;
        reject(new Error(`the bare bash showed no prompt within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#prompted = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #read(data: string): void {
    const marker = this.#marker;
    // Search the new data on its own, and the seam with the previous read for a split marker, so
    // the 64 KiB reads of a fast writer are never copied.
    const seam =
      this.#tail === '' ? -1 : (this.#tail + data.slice(0, marker.length - 1)).indexOf(marker);
    const at = seam === -1 ? data.indexOf(marker) : -1;
    const end =
      seam !== -1 ? seam + marker.length - this.#tail.length : at === -1 ? -1 : at + marker.length;
    if (end === -1) {
      this.#outputBytes += Buffer.byteLength(data);
      this.#tail = (data.length >= marker.length ? data : this.#tail + data).slice(
        -(marker.length - 1),
      );
      return;
    }
    this.#outputBytes += Buffer.byteLength(data.slice(0, Math.max(0, end - marker.length)));
    this.#tail = data.slice(end).slice(-(marker.length - 1));
    const prompted = this.#prompted;
    this.#prompted = undefined;
    prompted?.();
  }
}
