import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectUnixSocket } from '@lifeline/transport';
import { gatewayCliPath } from '../entry-points.js';
import { internalProcessEnv } from '../process-environment.js';

/** File in the session directory that receives a host's stderr. */
export const HOST_STDERR_FILE = 'host.log';

/** Options of {@link launchHost}. */
export interface LaunchHostOptions {
  sid: string;
  sessionDir: string;
  socketPath: string;
  /**
   * Environment of the host (and so of the shell); must name the state directory absolutely.
   * Variables only the shell needs are carried past the host's own start (`internalProcessEnv`).
   */
  env: NodeJS.ProcessEnv;
  /** How long the host may take to listen. @default 10000 */
  timeoutMs?: number;
}

/** Why a host could not be started: what it printed, and how it ended if it did. */
export class HostLaunchError extends Error {
  override readonly name = 'HostLaunchError';
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

/**
 * Starts a session host as a detached process in its own session (it outlives this gateway and
 * the terminal) and resolves once its socket accepts connections. The host's stderr goes to
 * `host.log` in the session directory, whose tail explains a failed start.
 * @returns the host's pid
 */
export async function launchHost(options: LaunchHostOptions): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const stderrPath = path.join(options.sessionDir, HOST_STDERR_FILE);
  const stderrFd = fs.openSync(stderrPath, 'w', 0o600);
  const child = spawn(process.execPath, [gatewayCliPath(), 'host', options.sid], {
    detached: true,
    stdio: ['ignore', 'ignore', stderrFd],
    env: internalProcessEnv(options.env),
    cwd: options.sessionDir,
  });
  fs.closeSync(stderrFd);
  child.unref();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + timeoutMs;
  const socketAppeared = watchForSocket(options.socketPath);
  let delay = 10;
  try {
    for (;;) {
      if (exit) {
        const tail = readTail(stderrPath);
        throw new HostLaunchError(
          `the session host exited during start-up (${exit.signal ?? `code ${String(exit.code)}`})${tail ? `: ${tail.trim().split('\n').at(-1) ?? ''}` : ''}`,
          tail,
        );
      }
      try {
        const transport = await connectUnixSocket(options.socketPath, { connectTimeoutMs: 1000 });
        transport.close();
        return child.pid ?? 0;
      } catch {
        // Not listening yet.
      }
      const waited = await Promise.race([
        spawnError,
        socketAppeared.next().then(() => 'socket' as const),
        new Promise<'timer'>((resolve) => setTimeout(() => resolve('timer'), delay)),
      ]);
      if (waited instanceof Error) throw new HostLaunchError(`cannot start the session host: ${waited.message}`, '');
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new HostLaunchError(
          `the session host did not listen on ${options.socketPath} within ${timeoutMs} ms`,
          readTail(stderrPath),
        );
      }
      // The socket file exists from bind() on: listen() follows at once.
      delay = waited === 'socket' ? 5 : Math.min(delay * 2, 100);
    }
  } finally {
    socketAppeared.close();
  }
}

/**
 * Signals each time the socket file is created or replaced, so that a host is connected to as soon
 * as it listens rather than at the next poll. Polling stays the fallback: a watcher that cannot be
 * set up, or misses a change, only costs time.
 */
function watchForSocket(socketPath: string): { next(): Promise<void>; close(): void } {
  let signal: (() => void) | undefined;
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(socketPath), (_event, file) => {
      if (file === path.basename(socketPath)) signal?.();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    next: () => (watcher ? new Promise<void>((resolve) => (signal = resolve)) : new Promise<void>(() => undefined)),
    close: () => watcher?.close(),
  };
}

function readTail(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-4096);
  } catch {
    return '';
  }
}
