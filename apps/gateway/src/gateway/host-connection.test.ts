import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROTOCOL_NAME, PROTOCOL_VERSION } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { HostConnection, UnprovenHostError } from './host-connection.js';

let server: net.Server | undefined;
let directory: string | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

/**
 * A session host on a socket of its own that is ending: it says it is ready, and closes each
 * connection as the challenge comes (its shell exited).
 */
async function endingHost(): Promise<string> {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-host-connection-'));
  const socketPath = path.join(directory, 'host.sock');
  server = net.createServer((socket) => {
    socket.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        method: 'ready',
        params: {
          protocol: PROTOCOL_NAME,
          version: PROTOCOL_VERSION,
          pid: process.pid,
          role: 'host',
          capabilities: ['flow-control'],
        },
      })}\n`,
    );
    socket.once('data', () => socket.destroy());
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(socketPath, resolve));
  return socketPath;
}

test('a host that closes the connection before it answers the challenge is ending, not a program posing as it', async () => {
  const socketPath = await endingHost();
  const opening = HostConnection.open(socketPath, () => Buffer.alloc(32, 1), 5000);
  await expect(opening).rejects.toThrow(/closed the connection before it answered.*it is ending/);
  await expect(opening).rejects.not.toBeInstanceOf(UnprovenHostError);
});
