import fs from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { TransportError } from './errors.js';
import { checkDuration } from './internal/option-checks.js';
import { createStreamTransport, ndjsonTransportSettings } from './stream-transport.js';
import type { NdjsonTransportOptions, StreamTransport } from './stream-transport.js';

/** Default time allowed to connect to a unix socket: 5 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long the stale-socket probe waits for an answer before assuming somebody is there. */
const probeTimeoutMs = 1_000;

// The callback functions of `fs`, not `fs/promises`: that module also loads readline's interface,
// fs's directory and watcher modules, which a session host (one per session, listening here for as
// long as its session lives) kept resident: 0.6 MB.
const lstat = promisify(fs.lstat);
const rm = promisify(fs.rm);
const chmod = promisify(fs.chmod);

/**
 * Options of {@link listenUnixSocket}: the limits applied to every accepted connection (frames are
 * not offered undecoded: one `take` could not tell the connections apart).
 */
export type UnixSocketServerOptions = Omit<NdjsonTransportOptions, 'undecodedFrames'>;

/** Options of {@link connectUnixSocket}. */
export interface UnixSocketConnectOptions extends NdjsonTransportOptions {
  /** Time allowed to connect before rejecting with `UNREACHABLE`. @default 5000 */
  connectTimeoutMs?: number;
}

/** A listening unix-domain socket server. */
export interface UnixSocketTransportServer {
  /** The socket file. */
  readonly path: string;
  /** The transports of the clients connected now. */
  readonly connections: ReadonlySet<StreamTransport>;
  /** Stops accepting, closes every connection (reason `local`), removes the socket file. */
  close(): Promise<void>;
}

const unreachableCodes = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ENOTSOCK',
  'EACCES',
  'EAGAIN',
  'ETIMEDOUT',
]);

/** `alive`: something accepted a connection; `stale`: nothing listens; `busy`: cannot tell. */
async function probe(socketPath: string): Promise<'alive' | 'stale' | 'busy'> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    const timer = setTimeout(() => finish('busy'), probeTimeoutMs);
    function finish(result: 'alive' | 'stale' | 'busy'): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('connect', () => finish('alive'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'stale' : 'busy');
    });
  });
}

async function clearStaleSocket(socketPath: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stat.isSocket()) {
    throw new TransportError(
      'ADDRESS_IN_USE',
      `${socketPath} exists and is not a socket; refusing to replace it. Remove it or choose another path.`,
    );
  }
  const state = await probe(socketPath);
  if (state !== 'stale') {
    throw new TransportError(
      'ADDRESS_IN_USE',
      `A server is already listening on ${socketPath}${state === 'busy' ? ' (it did not refuse a connection)' : ''}; refusing to replace its socket.`,
    );
  }
  await rm(socketPath, { force: true });
}

/**
 * Listens on a unix-domain socket and hands every accepted connection to `onConnection` as an
 * NDJSON transport. The socket file is created with mode 0600 (put it in a 0700 directory). A
 * leftover socket file is replaced only when nothing answers on it; a live server or a file that
 * is not a socket makes this reject with `ADDRESS_IN_USE`.
 */
export async function listenUnixSocket(
  socketPath: string,
  onConnection: (transport: StreamTransport, socket: net.Socket) => void,
  options: UnixSocketServerOptions = {},
): Promise<UnixSocketTransportServer> {
  // Checked before listening: a bad option would otherwise throw at the first connection.
  ndjsonTransportSettings(options);
  await clearStaleSocket(socketPath);
  const connections = new Set<StreamTransport>();
  const server = net.createServer((socket) => {
    const transport = createStreamTransport({ ...options, input: socket, output: socket });
    connections.add(transport);
    void transport.closed.then(() => connections.delete(transport));
    onConnection(transport, socket);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new TransportError('ADDRESS_IN_USE', `Another server took ${socketPath} first.`, {
              cause: error,
            })
          : error,
      );
    };
    server.once('error', onError);
    // The socket is created by bind() inside listen(): a tight umask for that instant keeps it
    // private from the first moment (process.umask is unavailable in worker threads).
    let previousUmask: number | undefined;
    try {
      previousUmask = process.umask(0o177);
    } catch {
      previousUmask = undefined;
    }
    try {
      server.listen(socketPath, () => {
        server.removeListener('error', onError);
        resolve();
      });
    } finally {
      if (previousUmask !== undefined) process.umask(previousUmask);
    }
  });
  await chmod(socketPath, 0o600);
  server.on('error', () => {
    // Accept errors (EMFILE, …) affect single connections; the server keeps listening.
  });

  let closing: Promise<void> | undefined;
  return {
    path: socketPath,
    connections,
    close(): Promise<void> {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        const open = [...connections];
        for (const transport of open) transport.close();
        await Promise.all([serverClosed, ...open.map((transport) => transport.closed)]);
        await rm(socketPath, { force: true });
      })();
      return closing;
    },
  };
}

/**
 * Connects to a unix-domain socket. Rejects with a `TransportError` `UNREACHABLE` when nothing
 * listens there (ENOENT, ECONNREFUSED, EACCES, or no answer within `connectTimeoutMs`).
 */
export async function connectUnixSocket(
  socketPath: string,
  options: UnixSocketConnectOptions = {},
): Promise<StreamTransport> {
  const { connectTimeoutMs: requestedTimeoutMs, ...transportOptions } = options;
  // Checked before connecting: a bad option would otherwise leave the connection open.
  ndjsonTransportSettings(transportOptions);
  const connectTimeoutMs = checkDuration(
    'connectTimeoutMs',
    requestedTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const connection = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      connection.destroy();
      reject(
        new TransportError(
          'UNREACHABLE',
          `No answer from ${socketPath} within ${connectTimeoutMs} ms.`,
        ),
      );
    }, connectTimeoutMs);
    connection.once('connect', () => {
      clearTimeout(timer);
      connection.removeAllListeners('error');
      resolve(connection);
    });
    connection.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      connection.destroy();
      reject(
        new TransportError(
          'UNREACHABLE',
          `Cannot connect to ${socketPath} (${error.code ?? error.message})${error.code !== undefined && unreachableCodes.has(error.code) ? '; is the server running?' : ''}`,
          { cause: error },
        ),
      );
    });
  });
  return createStreamTransport({ ...transportOptions, input: socket, output: socket });
}
