import { createRequire } from 'node:module';
import path from 'node:path';
import pty from '@lydell/node-pty';

/** The part of `@xterm/headless` the benchmark uses. */
interface HeadlessTerminal {
  readonly rows: number;
  readonly buffer: {
    readonly active: {
      readonly viewportY: number;
      getLine(index: number): { translateToString(trimRight: boolean): string } | undefined;
    };
  };
  write(data: string, callback: () => void): void;
  dispose(): void;
}

// `@xterm/headless` is a dependency of the TUI, not of the benchmark: load the TUI's copy.
const { Terminal } = createRequire(
  path.resolve(import.meta.dirname, '../../../../../apps/tui/package.json'),
)('@xterm/headless') as {
  Terminal: new (options: {
    cols: number;
    rows: number;
    scrollback: number;
    allowProposedApi: boolean;
  }) => HeadlessTerminal;
};

/** What {@link PtyScreen.start} runs, and where. */
export interface PtyScreenOptions {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  /** @default 100 */
  cols?: number;
  /** @default 30 */
  rows?: number;
}

/**
 * Flow control of the reader, as a terminal emulator does it: reading from the PTY pauses while
 * this many characters wait to be parsed, so a flood is held back by the kernel's PTY buffer
 * instead of piling up in this process.
 */
const highWatermarkChars = 1_000_000;
/** Reading resumes once the characters waiting to be parsed fall below this. */
const lowWatermarkChars = 100_000;

/** Called after each chunk of output is parsed by the terminal, with the chunk and the time. */
export type RenderListener = (chunk: string, at: number) => void;

/**
 * A program in a real PTY whose output a headless xterm renders, with the time each chunk of
 * output reached the screen (parsed by the terminal, not merely read from the PTY).
 */
export class PtyScreen {
  /** `performance.now()` right before the PTY was spawned. */
  readonly spawnedAt: number;
  readonly pid: number;
  /** Resolves with the exit code once the program has exited. */
  readonly exited: Promise<number>;
  /** Characters of output parsed by the terminal so far. */
  charsRendered = 0;
  /** `performance.now()` of the last chunk parsed by the terminal. */
  lastRenderAt: number;
  readonly #terminal: HeadlessTerminal;
  readonly #process: pty.IPty;
  readonly #listeners = new Set<RenderListener>();
  #pendingWrites = 0;
  #pendingChars = 0;
  #paused = false;

  constructor(options: PtyScreenOptions) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    // A small scrollback: only the screen is read, and a flood must not make the reader the bottleneck.
    this.#terminal = new Terminal({ cols, rows, scrollback: 200, allowProposedApi: true });
    this.spawnedAt = performance.now();
    this.lastRenderAt = this.spawnedAt;
    this.#process = pty.spawn(options.command, [...options.args], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: options.cwd,
      env: { ...options.env },
    });
    this.pid = this.#process.pid;
    this.#process.onData((chunk) => {
      this.#pendingWrites += 1;
      this.#pendingChars += chunk.length;
      if (!this.#paused && this.#pendingChars > highWatermarkChars) {
        this.#paused = true;
        this.#process.pause();
      }
      this.#terminal.write(chunk, () => {
        this.#pendingWrites -= 1;
        this.#pendingChars -= chunk.length;
        if (this.#paused && this.#pendingChars < lowWatermarkChars) {
          this.#paused = false;
          this.#process.resume();
        }
        const at = performance.now();
        this.charsRendered += chunk.length;
        this.lastRenderAt = at;
        for (const listener of [...this.#listeners]) listener(chunk, at);
      });
    });
    this.exited = new Promise((resolve) => {
      this.#process.onExit(({ exitCode }) => {
        resolve(exitCode);
      });
    });
  }

  /** Whether every chunk read from the PTY has been parsed by the terminal. */
  get idle(): boolean {
    return this.#pendingWrites === 0;
  }

  /** The rows on screen now, trailing spaces trimmed (written ones too, like a prompt's). */
  screen(): string[] {
    const buffer = this.#terminal.buffer.active;
    return Array.from({ length: this.#terminal.rows }, (_, row) =>
      (buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').trimEnd(),
    );
  }

  /** Calls `listener` after every chunk the terminal parses, until the returned function is called. */
  onRender(listener: RenderListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Waits until `predicate` holds for the screen, checked after every parsed chunk.
   * @returns `performance.now()` of the chunk after which it first held
   * @throws Error with the screen when it does not hold within `timeoutMs`
   */
  async waitForScreen(
    what: string,
    predicate: (screen: string[]) => boolean,
    timeoutMs: number,
  ): Promise<number> {
    if (predicate(this.screen())) return performance.now();
    let stop: () => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<number>((resolve, reject) => {
        stop = this.onRender((_chunk, at) => {
          if (predicate(this.screen())) resolve(at);
        });
        timer = setTimeout(() => {
          reject(
            new Error(
              `the screen did not show ${what} within ${timeoutMs} ms; it shows:\n${this.screen().join('\n')}`,
            ),
          );
        }, timeoutMs);
      });
    } finally {
      stop();
      clearTimeout(timer);
    }
  }

  /** Sends keys to the program, as a terminal does. */
  type(keys: string): void {
    this.#process.write(keys);
  }

  /** SIGKILLs the program (not its descendants) and frees the terminal. */
  kill(): void {
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    this.#listeners.clear();
  }

  /** Frees the terminal once the program is gone. */
  dispose(): void {
    this.#terminal.dispose();
  }
}
