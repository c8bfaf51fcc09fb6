import { createRequire } from 'node:module';
import os from 'node:os';
import type * as NodePtyModule from '@lydell/node-pty';

type NodePty = typeof NodePtyModule;
let nodePty: NodePty | undefined;

/**
 * node-pty, loaded on first use: only session hosts spawn PTYs, and the gateway (which shares
 * this bundle) starts faster without loading the native addon.
 */
function loadNodePty(): NodePty {
  nodePty ??= createRequire(import.meta.url)('@lydell/node-pty') as NodePty;
  return nodePty;
}

/** What the host needs from a pseudo-terminal running the shell. */
export interface PtyProcess {
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading the PTY: the program blocks once the kernel buffer is full. */
  pause(): void;
  resume(): void;
  kill(signal?: NodeJS.Signals): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void): void;
}

/** How to start the shell in a PTY. */
export interface PtySpawnOptions {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
}

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(os.constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/** Spawns a program in a new PTY with node-pty. */
export function spawnPty(options: PtySpawnOptions): PtyProcess {
  const child = loadNodePty().spawn(options.file, options.args, {
    name: options.env.TERM ?? 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: options.env,
  });
  return {
    pid: child.pid,
    write: (data) => {
      child.write(data);
    },
    resize: (cols, rows) => {
      child.resize(cols, rows);
    },
    pause: () => {
      child.pause();
    },
    resume: () => {
      child.resume();
    },
    kill: (signal) => {
      child.kill(signal);
    },
    onData: (listener) => {
      child.onData(listener);
    },
    onExit: (listener) => {
      child.onExit(({ exitCode, signal }) => {
        const name = signal ? (signalNames.get(signal) ?? null) : null;
        listener({ code: name ? null : exitCode, signal: name });
      });
    },
  };
}
