import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROTOCOL_NAME, PROTOCOL_VERSION } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
let fakeHost: net.Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (fakeHost ? fakeHost.close(resolve) : resolve(undefined)));
  fakeHost = undefined;
  await world.dispose();
});

/**
 * A program posing as a session host on `socketPath`: it says it is one (of protocol `version`),
 * answers every request as a host would (a made-up proof for the challenge), and lists every
 * method it is sent.
 */
async function listenAsFakeHost(
  socketPath: string,
  methods: string[],
  version = PROTOCOL_VERSION,
): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const send = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      method: 'ready',
      params: {
        protocol: PROTOCOL_NAME,
        version,
        pid: process.pid,
        role: 'host',
        capabilities: ['flow-control'],
      },
    });
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const message = JSON.parse(buffered.slice(0, newline)) as { id?: number; method: string };
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        methods.push(message.method);
        if (message.id === undefined) continue;
        const result =
          message.method === 'host.prove'
            ? { proof: 'ab'.repeat(32) }
            : message.method === 'host.subscribe'
              ? { lastSeq: 0 }
              : { ok: true };
        send({ jsonrpc: '2.0', id: message.id, result });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return server;
}

/** A live session whose host's socket is free for a fake to take: returns its sid and socket. */
async function sessionWithFreeSocket(): Promise<{ sid: string; socketPath: string }> {
  const first = await world.startGateway();
  const { sid, session } = await first.client.call('session.create', { cwd: world.work });
  expect(session.status).toBe('live');
  first.spawned.kill('SIGKILL');
  const record = JSON.parse(
    fs.readFileSync(path.join(world.stateDir, 'sessions', sid, 'session.json'), 'utf8'),
  ) as { socketPath: string };
  // The real host lives on (it holds the session's lock); its socket path is taken over.
  fs.rmSync(record.socketPath);
  return { sid, socketPath: record.socketPath };
}

test('a program listening on a session socket in place of its host is sent no input', async () => {
  world = new TestWorld();
  const { sid, socketPath } = await sessionWithFreeSocket();
  const methods: string[] = [];
  fakeHost = await listenAsFakeHost(socketPath, methods);

  const second = await world.startGateway();
  await expect(
    second.client.call('session.input', { sid, data: 'my-secret-password\r', masked: true }),
  ).rejects.toThrow(
    /could not prove it is the session's host: its answer to the challenge is wrong/,
  );
  expect(methods).toEqual(['host.prove']);
}, 60_000);

test('a peer of another protocol version on the socket gets the challenge and nothing else', async () => {
  world = new TestWorld();
  const { sid, socketPath } = await sessionWithFreeSocket();
  const methods: string[] = [];
  fakeHost = await listenAsFakeHost(socketPath, methods, PROTOCOL_VERSION + 1);

  const gateway = await world.startGateway();
  await expect(
    gateway.client.call('session.input', { sid, data: 'my-secret-password\r', masked: true }),
  ).rejects.toThrow(/does not answer/);
  // The challenge goes out with each connection (not after the peer's ready frame); nothing else does.
  expect(methods.length).toBeGreaterThan(0);
  expect(new Set(methods)).toEqual(new Set(['host.prove']));
}, 60_000);

test('a host that takes the connection and stays silent is given up on after one wait, with nothing sent to it but the challenge', async () => {
  world = new TestWorld();
  const { sid, socketPath } = await sessionWithFreeSocket();
  const received: string[] = [];
  fakeHost = net.createServer((socket) => {
    socket.on('data', (chunk) => received.push(chunk.toString('utf8')));
  });
  const silent = fakeHost;
  await new Promise<void>((resolve) => silent.listen(socketPath, resolve));

  const gateway = await world.startGateway();
  // One wait for its ready frame (5 s), not one per retry.
  const run = gateway.client.call('session.run', { sid, command: 'true' }, { timeoutMs: 12_000 });
  await expect(run).rejects.toMatchObject({ data: { reason: 'silent' } });
  await expect(run).rejects.toThrow(
    /the host of session s_\w+ \(pid \d+\) does not answer \(.*no ready frame within 5000 ms\); nothing was sent to it/,
  );
  expect(received.join('')).not.toMatch(/"method":"host\.(run|input|subscribe)"/);
}, 60_000);
