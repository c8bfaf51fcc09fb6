import fs from 'node:fs';
import path from 'node:path';
import { connectUnixSocket } from '@lifeline/transport';
import { spawnHost, type SpawnHostOptions, type SpawnedHost } from './host-spawn.js';

/** Options of {@link launchHost}. */
export interface LaunchHostOptions extends SpawnHostOptions {
  socketPath: string;
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
 * Starts a session host (`spawnHost`) and resolves once its socket accepts connections.
 * @returns the host's pid
 */
export async function launchHost(options: LaunchHostOptions): Promise<number> {
  return waitForHost(spawnHost(options), options.socketPath, options.timeoutMs);
}

/**
 * Resolves once a spawned host's socket accepts connections.
 * @returns the host's pid
 * @throws HostLaunchError when it exits first, cannot be spawned, or does not listen in time
 */
export async function waitForHost(
  host: SpawnedHost,
  socketPath: string,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const socketAppeared = watchForSocket(socketPath);
  let delay = 10;
  try {
    for (;;) {
      if (host.exit) {
        const tail = readTail(host.stderrPath);
        throw new HostLaunchError(
          `the session host exited during start-up (${host.exit.signal ?? `code ${String(host.exit.code)}`})${tail ? `: ${tail.trim().split('\n').at(-1) ?? ''}` : ''}`,
          tail,
        );
      }
      try {
        const transport = await connectUnixSocket(socketPath, { connectTimeoutMs: 1000 });
        transport.close();
        return host.child.pid ?? 0;
      } catch {
        // Not listening yet.
      }
      const waited = await Promise.race([
        host.spawnError,
        socketAppeared.next().then(() => 'socket' as const),
        new Promise<'timer'>((resolve) => setTimeout(() => resolve('timer'), delay)),
      ]);
      if (waited instanceof Error)
        throw new HostLaunchError(`cannot start the session host: ${waited.message}`, '');
      if (Date.now() > deadline) {
        host.child.kill('SIGKILL');
        throw new HostLaunchError(
          `the session host did not listen on ${socketPath} within ${timeoutMs} ms`,
          readTail(host.stderrPath),
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
    next: () =>
      watcher
        ? new Promise<void>((resolve) => (signal = resolve))
        : new Promise<void>(() => undefined),
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
