import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ServerOptions } from 'ws';
import { TransportError } from './errors.js';
import { checkCount } from './internal/option-checks.js';
import type { StreamTransport } from './stream-transport.js';
import { assertStrongToken, readTokenFile, tokensEqual } from './token-file.js';
import { handshakeTimeout, webSocketSettings, WebSocketTransport } from './websocket-transport.js';
import type { WebSocketTransportOptions } from './websocket-transport.js';

/** Options of {@link listenWebSocket}. Exactly one of `token` and `tokenFile` is required. */
export interface WebSocketServerOptions extends WebSocketTransportOptions {
  /**
   * Interface to bind. Anything but loopback exposes the server to the network: only do that
   * behind TLS termination you trust.
   * @default '127.0.0.1'
   */
  host?: string;
  /** TCP port; `0` picks a free one (read it back from `port` or `url`). @default 0 */
  port?: number;
  /** Only upgrades on this URL path are accepted (others get 404). @default any path */
  path?: string;
  /** The bearer token clients must present (≥ 192 bits). Prefer `tokenFile`. */
  token?: string;
  /** A 0600 file holding the bearer token (see `createTokenFile`). Read once, at startup. */
  tokenFile?: string;
  /**
   * Origins allowed to connect, e.g. `['http://localhost:5173']`. A request that carries an
   * `Origin` header not on this list is refused with 403; requests without one (non-browser
   * clients) are allowed.
   * @default []
   */
  allowedOrigins?: readonly string[];
  /**
   * Time from TCP accept to a completed WebSocket upgrade; slower connections are dropped.
   * @default 10000
   */
  handshakeTimeoutMs?: number;
  /**
   * Most connections at once that have not completed an authenticated upgrade. One more closes
   * the oldest of them: idle connects can neither use up the server's file descriptors nor keep
   * a client that has the token waiting longer than its own handshake takes.
   * @default 128
   */
  maxPendingConnections?: number;
  /** The same limit for the connections of one client address. @default 16 */
  maxPendingConnectionsPerAddress?: number;
}

/** Default of `maxPendingConnections`. */
const DEFAULT_MAX_PENDING_CONNECTIONS = 128;

/** Default of `maxPendingConnectionsPerAddress`. */
const DEFAULT_MAX_PENDING_CONNECTIONS_PER_ADDRESS = 16;

/** What {@link listenWebSocket} tells `onConnection` about a new client. */
export interface WebSocketConnectionInfo {
  /** The client's address. */
  remoteAddress: string | undefined;
  /** The `Origin` header, when the client sent one (it was on the allowlist). */
  origin: string | undefined;
  /** The upgrade request's headers (the `authorization` header is removed). */
  headers: IncomingHttpHeaders;
}

/** A listening WebSocket transport server. */
export interface WebSocketTransportServer {
  /** `ws://host:port` to give to clients. */
  readonly url: string;
  /** The bound interface. */
  readonly host: string;
  /** The bound port (the real one when `port` was 0). */
  readonly port: number;
  /** The transports of the clients connected now. */
  readonly connections: ReadonlySet<StreamTransport>;
  /** Stops accepting, closes every connection (reason `local`) and resolves when all are closed. */
  close(): Promise<void>;
}

function normalizeOrigin(origin: string): string {
  try {
    const url = new URL(origin);
    if (url.origin !== 'null') return url.origin.toLowerCase();
  } catch {
    // Not a URL: compare it as written.
  }
  return origin.trim().toLowerCase();
}

/** The upgrade requests the server refuses, with the reason phrase of each. */
const refusals = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const;

function refuse(
  socket: Duplex,
  status: keyof typeof refusals,
  extraHeaders: readonly string[] = [],
): void {
  const body = `${refusals[status]}\n`;
  const head = [
    `HTTP/1.1 ${status} ${refusals[status]}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...extraHeaders,
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function presentedToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Serves transports over WebSocket: one JSON message per text frame, bound to 127.0.0.1 by
 * default, `perMessageDeflate` off, `maxPayload` enforced.
 *
 * Every upgrade is checked before the WebSocket exists: an `Origin` not on `allowedOrigins` is
 * answered 403; a missing or wrong `Authorization: Bearer <token>` is answered 401 (compared in
 * constant time); a connection that has not completed its upgrade within `handshakeTimeoutMs`
 * is dropped, and so is the oldest of them when there are more than `maxPendingConnections` (or
 * `maxPendingConnectionsPerAddress` from one address). Each connection gets a heartbeat: any inbound byte counts as liveness, silence
 * beyond `heartbeatTimeoutMs` closes it with `timeout`.
 */
export async function listenWebSocket(
  options: WebSocketServerOptions,
  onConnection: (transport: StreamTransport, info: WebSocketConnectionInfo) => void,
): Promise<WebSocketTransportServer> {
  if ((options.token === undefined) === (options.tokenFile === undefined)) {
    throw new TransportError(
      'INVALID_OPTION',
      'listenWebSocket needs exactly one of `token` and `tokenFile`; a WebSocket server never runs without authentication.',
    );
  }
  const token = options.token ?? (await readTokenFile(options.tokenFile as string));
  assertStrongToken(token);
  const settings = webSocketSettings(options);
  const handshakeTimeoutMs = handshakeTimeout(options.handshakeTimeoutMs);
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map(normalizeOrigin));
  const host = options.host ?? '127.0.0.1';
  const connections = new Set<StreamTransport>();
  const handshakeTimers = new Map<Duplex, NodeJS.Timeout>();
  const pendingAddresses = new Map<Duplex, string>();
  const maxPending = checkCount(
    'maxPendingConnections',
    options.maxPendingConnections,
    DEFAULT_MAX_PENDING_CONNECTIONS,
  );
  const maxPendingPerAddress = checkCount(
    'maxPendingConnectionsPerAddress',
    options.maxPendingConnectionsPerAddress,
    DEFAULT_MAX_PENDING_CONNECTIONS_PER_ADDRESS,
  );
  const forgetPending = (socket: Duplex): void => {
    clearTimeout(handshakeTimers.get(socket));
    handshakeTimers.delete(socket);
    pendingAddresses.delete(socket);
  };
  /** Makes room for one more pending connection from `address`, oldest first. */
  const dropOldestPending = (address: string): void => {
    const fromAddress = [...pendingAddresses].filter(([, from]) => from === address);
    const oldest =
      fromAddress.length >= maxPendingPerAddress
        ? fromAddress[0]?.[0]
        : pendingAddresses.size >= maxPending
          ? pendingAddresses.keys().next().value
          : undefined;
    if (oldest === undefined) return;
    forgetPending(oldest);
    oldest.destroy();
  };

  // Loaded on first use: importing this package loads neither Node's HTTP modules nor ws (nor the
  // TLS stack ws pulls in); a process that never serves WebSocket clients starts without them.
  const [{ default: http }, { WebSocketServer }] = await Promise.all([
    import('node:http'),
    import('ws'),
  ]);
  const server = http.createServer((_request, response) => {
    response.writeHead(426, {
      Connection: 'close',
      Upgrade: 'websocket',
      'Content-Type': 'text/plain',
    });
    response.end('This endpoint only speaks WebSocket.\n');
  });
  // `closeTimeout` (ws ≥ 8.18) is missing from @types/ws.
  const serverOptions: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    maxPayload: settings.maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
    closeTimeout: settings.closeTimeoutMs,
  };
  const webSocketServer = new WebSocketServer(serverOptions);

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    dropOldestPending(address);
    const timer = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
    timer.unref();
    handshakeTimers.set(socket, timer);
    pendingAddresses.set(socket, address);
    socket.once('close', () => {
      forgetPending(socket);
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {
      // A client that vanishes mid-handshake is not our error.
    });
    if (options.path !== undefined) {
      const pathname = new URL(request.url ?? '/', 'ws://localhost').pathname;
      if (pathname !== options.path) {
        refuse(socket, 404);
        return;
      }
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(normalizeOrigin(origin))) {
      refuse(socket, 403);
      return;
    }
    const presented = presentedToken(request);
    if (presented === undefined || !tokensEqual(token, presented)) {
      refuse(socket, 401, ['WWW-Authenticate: Bearer']);
      return;
    }
    webSocketServer.handleUpgrade(request, socket, head, (ws) => {
      forgetPending(socket);
      const transport = new WebSocketTransport(ws, socket, settings);
      connections.add(transport);
      void transport.closed.then(() => connections.delete(transport));
      const headers = { ...request.headers };
      delete headers.authorization;
      onConnection(transport, { remoteAddress: request.socket.remoteAddress, origin, headers });
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new TransportError(
              'ADDRESS_IN_USE',
              `Cannot listen on ${host}:${options.port ?? 0}: the address is in use.`,
              {
                cause: error,
              },
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  server.on('error', () => {
    // Errors after listening concern single connections, which handle their own.
  });

  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `ws://${formatHost(address.address)}:${address.port}`,
    host: address.address,
    port: address.port,
    connections,
    close(): Promise<void> {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of handshakeTimers.keys()) socket.destroy();
        const open = [...connections];
        for (const transport of open) transport.close();
        server.closeAllConnections();
        await Promise.all([serverClosed, ...open.map((transport) => transport.closed)]);
        webSocketServer.close();
      })();
      return closing;
    },
  };
}
