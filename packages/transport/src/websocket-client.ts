import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { TransportError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import type { StreamTransport } from './stream-transport.js';
import { readTokenFile } from './token-file.js';
import { handshakeTimeout, webSocketSettings, WebSocketTransport } from './websocket-transport.js';
import type { WebSocketTransportOptions } from './websocket-transport.js';

/** Options of {@link connectWebSocket}. */
export interface WebSocketConnectOptions extends WebSocketTransportOptions {
  /** The bearer token to present. */
  token?: string;
  /** A 0600 file holding the bearer token (read with `readTokenFile`). */
  tokenFile?: string;
  /** An `Origin` header to send (browsers always send one; Node clients usually should not). */
  origin?: string;
  /** Extra headers for the upgrade request. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Time allowed for TCP connect plus the upgrade; when it runs out the connect rejects with
   * `UNREACHABLE`.
   * @default 10000
   */
  handshakeTimeoutMs?: number;
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'ENOENT',
]);

function connectError(url: string, error: Error & { code?: string }): TransportError {
  if (error.code !== undefined && unreachableCodes.has(error.code)) {
    return new TransportError(
      'UNREACHABLE',
      `Cannot reach ${url} (${error.code}); is the server running there?`,
      {
        cause: error,
      },
    );
  }
  return new TransportError(
    'HANDSHAKE_FAILED',
    `The WebSocket handshake with ${url} failed: ${error.message}`,
    {
      cause: error,
    },
  );
}

function responseError(url: string, statusCode: number): TransportError {
  if (statusCode === 401) {
    return new TransportError(
      'UNAUTHORIZED',
      `${url} refused the connection (401): the bearer token is missing or wrong.`,
      {
        statusCode,
      },
    );
  }
  if (statusCode === 403) {
    return new TransportError(
      'FORBIDDEN_ORIGIN',
      `${url} refused the connection (403): the Origin header is not on the server's allowlist.`,
      { statusCode },
    );
  }
  return new TransportError(
    'HANDSHAKE_FAILED',
    `${url} answered ${statusCode} instead of upgrading to WebSocket.`,
    {
      statusCode,
    },
  );
}

/**
 * Connects to a WebSocket transport server (compression off, `maxPayload` enforced, heartbeat on).
 *
 * Rejects with a `TransportError` whose `code` tells a CLI what to say: `UNAUTHORIZED` (401:
 * token missing or wrong), `FORBIDDEN_ORIGIN` (403), `UNREACHABLE` (refused, unknown host, timed
 * out), `HANDSHAKE_FAILED` (something else answered), `INVALID_OPTION` (not a ws:// URL).
 */
export async function connectWebSocket(
  url: string | URL,
  options: WebSocketConnectOptions = {},
): Promise<StreamTransport> {
  const target = String(url);
  const settings = webSocketSettings(options);
  const timeoutMs = handshakeTimeout(options.handshakeTimeoutMs);
  const token =
    options.token ??
    (options.tokenFile === undefined ? undefined : await readTokenFile(options.tokenFile));
  const headers: Record<string, string> = { ...options.headers };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;

  // Loaded on first use: importing this package never loads ws (nor the TLS stack it pulls in).
  const { WebSocket: WebSocketClient } = await import('ws');
  let ws: WebSocket;
  try {
    // `closeTimeout` (ws ≥ 8.18) is missing from @types/ws.
    const clientOptions: WebSocket.ClientOptions & { closeTimeout: number } = {
      headers,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      maxPayload: settings.maxPayload,
      perMessageDeflate: false,
      followRedirects: false,
      closeTimeout: settings.closeTimeoutMs,
    };
    ws = new WebSocketClient(target, clientOptions);
  } catch (error) {
    throw new TransportError(
      'INVALID_OPTION',
      `Cannot connect to ${describeValue(url instanceof URL ? url.href : url)}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  return new Promise<StreamTransport>((resolve, reject) => {
    let settled = false;
    let socket: Socket | undefined;
    const ignore = (): void => undefined;
    ws.on('error', ignore);
    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(
        new TransportError(
          'UNREACHABLE',
          `No WebSocket handshake from ${target} within ${timeoutMs} ms.`,
        ),
      );
    }, timeoutMs);
    ws.once('upgrade', (response: IncomingMessage) => {
      socket = response.socket;
    });
    ws.once('unexpected-response', (request: ClientRequest, response: IncomingMessage) => {
      response.resume();
      request.destroy();
      fail(responseError(target, response.statusCode ?? 0));
    });
    ws.on('error', (error: Error & { code?: string }) => fail(connectError(target, error)));
    ws.once('close', () =>
      fail(
        new TransportError('UNREACHABLE', `${target} closed the connection during the handshake.`),
      ),
    );
    ws.once('open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners('error');
      ws.removeAllListeners('close');
      ws.removeAllListeners('unexpected-response');
      resolve(new WebSocketTransport(ws, socket, settings));
    });
  });
}
