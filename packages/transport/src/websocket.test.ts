import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { TransportError } from './errors.js';
import type { StreamTransport } from './stream-transport.js';
import { createTokenFile, generateToken } from './token-file.js';
import type { CloseInfo, Transport } from './transport.js';
import { connectWebSocket } from './websocket-client.js';
import { listenWebSocket } from './websocket-server.js';
import type { WebSocketServerOptions, WebSocketTransportServer } from './websocket-server.js';

const token = generateToken();
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function echoServer(options: Partial<WebSocketServerOptions> = {}): Promise<{
  server: WebSocketTransportServer;
  accepted: StreamTransport[];
}> {
  const accepted: StreamTransport[] = [];
  const server = await listenWebSocket({ token, ...options }, (transport) => {
    accepted.push(transport);
    transport.receive({ message: (message) => transport.send({ echo: message }) });
  });
  cleanups.push(() => server.close());
  return { server, accepted };
}

function nextMessages(transport: Transport, count: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const messages: unknown[] = [];
    transport.receive({
      message: (message) => {
        messages.push(message);
        if (messages.length === count) resolve(messages);
      },
    });
  });
}

async function connectError(
  url: string,
  options: Parameters<typeof connectWebSocket>[1],
): Promise<TransportError> {
  const error: unknown = await connectWebSocket(url, options).then(
    (transport) => {
      transport.close();
      return new Error('connected');
    },
    (caught: unknown) => caught,
  );
  if (!TransportError.isInstance(error)) throw error;
  return error;
}

/** A raw ws client that never answers pings (and sends nothing unless told to). */
async function silentClient(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, autoPong: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  cleanups.push(() => ws.terminate());
  return ws;
}

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
}

describe('WebSocket server and client', () => {
  test('binds loopback by default and round-trips one message per frame', async () => {
    const { server, accepted } = await echoServer();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const client = await connectWebSocket(server.url, { token });
    const replies = nextMessages(client, 3);
    for (const message of [1, { two: '🙂' }, [3]]) expect(client.send(message)).toBe(true);
    await expect(replies).resolves.toEqual([{ echo: 1 }, { echo: { two: '🙂' } }, { echo: [3] }]);
    client.close();
    await expect(client.closed).resolves.toEqual({ reason: 'local' });
    await expect(accepted[0]?.closed).resolves.toEqual({ reason: 'eof' });
    expect(client.send('after close')).toBe(false);
  });

  test('a missing or wrong token is refused with 401 before any connection exists', async () => {
    const { server, accepted } = await echoServer();
    const missing = await connectError(server.url, {});
    expect(missing.code).toBe('UNAUTHORIZED');
    expect(missing.statusCode).toBe(401);
    const wrong = await connectError(server.url, { token: generateToken() });
    expect(wrong.code).toBe('UNAUTHORIZED');
    const truncated = await connectError(server.url, { token: token.slice(0, -1) });
    expect(truncated.code).toBe('UNAUTHORIZED');
    expect(accepted).toHaveLength(0);
  });

  test('an Origin not on the allowlist is refused with 403; listed or absent origins are accepted', async () => {
    const { server, accepted } = await echoServer({ allowedOrigins: ['http://localhost:5173'] });
    const refused = await connectError(server.url, { token, origin: 'http://evil.example' });
    expect(refused.code).toBe('FORBIDDEN_ORIGIN');
    expect(refused.statusCode).toBe(403);
    const listed = await connectWebSocket(server.url, { token, origin: 'http://LOCALHOST:5173' });
    const withoutOrigin = await connectWebSocket(server.url, { token });
    expect(accepted).toHaveLength(2);
    listed.close();
    withoutOrigin.close();
  });

  test('with no allowlist, any browser Origin is refused', async () => {
    const { server } = await echoServer();
    expect((await connectError(server.url, { token, origin: 'http://127.0.0.1:8080' })).code).toBe(
      'FORBIDDEN_ORIGIN',
    );
  });

  test('nothing listening: connect rejects with UNREACHABLE', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await connectError(`ws://127.0.0.1:${port}`, { token });
    expect(error.code).toBe('UNREACHABLE');
    expect((error.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED');
  });

  test('a server that accepts TCP but never upgrades: connect rejects with UNREACHABLE after the handshake timeout', async () => {
    const sockets: net.Socket[] = [];
    const mute = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          mute.close(() => resolve());
        }),
    );
    const { port } = mute.address() as net.AddressInfo;
    const error = await connectError(`ws://127.0.0.1:${port}`, { token, handshakeTimeoutMs: 100 });
    expect(error.code).toBe('UNREACHABLE');
  });

  test('a client that never completes its handshake is dropped after handshakeTimeoutMs', async () => {
    const { server } = await echoServer({ handshakeTimeoutMs: 100 });
    const socket = net.createConnection(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.destroyed).toBe(true);
  });

  test('idle connects beyond the pending limit close the oldest of them, and a client with the token still gets in', async () => {
    const { server } = await echoServer({
      handshakeTimeoutMs: 60_000,
      maxPendingConnections: 8,
      maxPendingConnectionsPerAddress: 3,
    });
    const idle = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const socket = net.createConnection(server.port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        return socket;
      }),
    );
    const closed = new Set<net.Socket>();
    for (const socket of idle) socket.once('close', () => closed.add(socket));
    // All from one address: only its last three may stay, long before their handshake deadline.
    await vi.waitFor(() => expect(closed.size).toBe(7), { timeout: 10_000, interval: 10 });
    const client = await connectWebSocket(server.url, { token });
    cleanups.push(() => client.close());
    client.send({ hello: 1 });
    expect(await nextMessages(client, 1)).toEqual([{ echo: { hello: 1 } }]);
    // The client made room by closing one idle connect more, the oldest one left.
    await vi.waitFor(() => expect(closed.size).toBe(8), { timeout: 10_000, interval: 10 });
    for (const socket of idle) socket.destroy();
  });

  test('a pending-connection limit that is not a positive integer is refused, naming it', async () => {
    await expect(
      listenWebSocket({ token, maxPendingConnections: '8' as unknown as number }, () => undefined),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'maxPendingConnections must be a positive integer, got "8".',
    });
    await expect(
      listenWebSocket({ token, maxPendingConnectionsPerAddress: 0 }, () => undefined),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'maxPendingConnectionsPerAddress must be a positive integer, got 0.',
    });
  });

  test('a URL that is not a WebSocket URL is refused, quoted', async () => {
    const error: unknown = await connectWebSocket('localhost:8080', { token }).catch(
      (caught: unknown) => caught,
    );
    expect(TransportError.isInstance(error) && error.code).toBe('INVALID_OPTION');
    expect((error as Error).message).toMatch(/^Cannot connect to "localhost:8080": /);
  });

  test('a frame over maxPayload closes both sides as oversize', async () => {
    const { server, accepted } = await echoServer({ maxPayload: 1024 });
    const client = await connectWebSocket(server.url, { token });
    const reply = nextMessages(client, 1);
    client.send('small');
    await expect(reply).resolves.toEqual([{ echo: 'small' }]);
    client.send('x'.repeat(4096));
    const serverInfo = (await accepted[0]?.closed) as CloseInfo;
    expect(serverInfo.reason).toBe('oversize');
    expect(TransportError.isInstance(serverInfo.error) && serverInfo.error.code).toBe(
      'FRAME_TOO_LARGE',
    );
    await expect(client.closed).resolves.toMatchObject({ reason: 'oversize' });
  });

  test('a silent peer (no pongs, no messages) is closed with timeout', async () => {
    const { server, accepted } = await echoServer({
      heartbeatIntervalMs: 30,
      heartbeatTimeoutMs: 100,
    });
    await silentClient(server.url);
    await waitFor(() => accepted.length === 1);
    const info = (await accepted[0]?.closed) as CloseInfo;
    expect(info.reason).toBe('timeout');
    expect(TransportError.isInstance(info.error) && info.error.code).toBe('HEARTBEAT_TIMEOUT');
  });

  test('any inbound frame counts as liveness: a peer that sends but never pongs stays connected', async () => {
    const { server, accepted } = await echoServer({
      heartbeatIntervalMs: 50,
      heartbeatTimeoutMs: 250,
    });
    const ws = await silentClient(server.url);
    const chatter = setInterval(() => ws.send('"still here"'), 10);
    // Three timeouts long: without the messages counting, the connection would be gone by now.
    await new Promise((resolve) => setTimeout(resolve, 750));
    clearInterval(chatter);
    expect(accepted[0]?.isClosed).toBe(false);
    await expect(accepted[0]?.closed).resolves.toMatchObject({ reason: 'timeout' });
  });

  test('a paused receiver keeps its connection, and gets everything sent meanwhile on resume', async () => {
    // A timeout that a busy machine's stalls (100 ms and more) cannot reach by themselves.
    const heartbeat = { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 400 };
    const { server, accepted } = await echoServer(heartbeat);
    const client = await connectWebSocket(server.url, { token, ...heartbeat });
    cleanups.push(() => client.close());
    await waitFor(() => accepted.length === 1);
    const serverSide = accepted[0] as StreamTransport;
    const received: unknown[] = [];
    client.receive({ message: (message) => received.push(message) });
    client.pause();
    let sent = 0;
    const ticker = setInterval(() => serverSide.send({ tick: (sent += 1) }), 10);
    // Four timeouts long: were silence while paused taken for a dead peer, both would be gone.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    clearInterval(ticker);
    expect(client.isClosed).toBe(false);
    expect(serverSide.isClosed).toBe(false);
    client.resume();
    await waitFor(() => received.length === sent);
    expect(received).toEqual(Array.from({ length: sent }, (_, index) => ({ tick: index + 1 })));
  });

  test('the client side detects a silent server too', async () => {
    const raw = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    await new Promise((resolve) => raw.once('listening', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const client of raw.clients) client.terminate();
          raw.close(() => resolve());
        }),
    );
    const { port } = raw.address() as net.AddressInfo;
    const client = await connectWebSocket(`ws://127.0.0.1:${port}`, {
      heartbeatIntervalMs: 30,
      heartbeatTimeoutMs: 100,
    });
    await expect(client.closed).resolves.toMatchObject({ reason: 'timeout' });
  });

  test('a peer that stops reading closes the transport as stalled', async () => {
    const { server, accepted } = await echoServer({ maxQueuedBytes: 1024 * 1024 });
    const ws = await silentClient(server.url);
    await waitFor(() => accepted.length === 1);
    ws.pause();
    const serverSide = accepted[0] as StreamTransport;
    const big = { data: 'x'.repeat(256 * 1024) };
    let sends = 0;
    while (serverSide.send(big)) {
      sends += 1;
      expect(sends).toBeLessThan(10_000);
      if (sends % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await expect(serverSide.closed).resolves.toMatchObject({ reason: 'stalled' });
  });

  test('a send while the peer’s clean close is under way returns false, and the close stays eof', async () => {
    const { server, accepted } = await echoServer();
    const ws = await silentClient(server.url);
    await waitFor(() => accepted.length === 1);
    const serverSide = accepted[0] as StreamTransport;
    // The peer's close frame goes out, but the peer reads nothing: the close stays under way.
    ws.pause();
    ws.close(1000);
    await waitFor(() => !serverSide.send({ late: 'reply' }));
    ws.resume();
    await expect(serverSide.closed).resolves.toMatchObject({ reason: 'eof' });
  });

  test('the peer dropping the connection closes as peer-gone', async () => {
    const { server, accepted } = await echoServer();
    const ws = await silentClient(server.url);
    await waitFor(() => accepted.length === 1);
    ws.terminate();
    await expect(accepted[0]?.closed).resolves.toMatchObject({ reason: 'peer-gone' });
  });

  test('closing the server closes every connection', async () => {
    const { server } = await echoServer();
    const client = await connectWebSocket(server.url, { token });
    await server.close();
    await expect(client.closed).resolves.toMatchObject({ reason: 'eof' });
  });
});

describe('tokens for the WebSocket server', () => {
  function temporaryFile(name: string): string {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-token-'));
    cleanups.push(() => fs.rmSync(directory, { recursive: true, force: true }));
    return path.join(directory, name);
  }

  test('server and client read the token from a 0600 file', async () => {
    const file = temporaryFile('gateway.token');
    await createTokenFile(file);
    const server = await listenWebSocket({ tokenFile: file }, (transport) => transport.close());
    cleanups.push(() => server.close());
    const client = await connectWebSocket(server.url, { tokenFile: file });
    await expect(client.closed).resolves.toMatchObject({ reason: 'eof' });
  });

  test('a token file readable by others is refused', async () => {
    const file = temporaryFile('gateway.token');
    await createTokenFile(file);
    fs.chmodSync(file, 0o644);
    await expect(listenWebSocket({ tokenFile: file }, () => undefined)).rejects.toMatchObject({
      code: 'INSECURE_TOKEN_FILE',
    });
  });

  test('a weak token or no token at all is refused', async () => {
    await expect(listenWebSocket({ token: 'hunter2' }, () => undefined)).rejects.toMatchObject({
      code: 'WEAK_TOKEN',
    });
    await expect(listenWebSocket({}, () => undefined)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});
