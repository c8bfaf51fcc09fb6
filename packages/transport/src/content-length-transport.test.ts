import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { spawnTransport } from './child-process-transport.js';
import type { SpawnedTransport } from './child-process-transport.js';
import { TransportError } from './errors.js';
import { createStreamTransport } from './stream-transport.js';
import type { MalformedFrame, Transport } from './transport.js';
import { connectUnixSocket, listenUnixSocket } from './unix-socket.js';

const fixtures = path.join(import.meta.dirname, '__fixtures__');
const spawned: SpawnedTransport[] = [];

afterEach(() => {
  for (const { child } of spawned.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** Resolves with the first `count` messages the transport receives (malformed frames in `malformed`). */
function collect(
  transport: Transport,
  count: number,
  malformed: MalformedFrame[] = [],
): Promise<unknown[]> {
  return new Promise((resolve) => {
    const messages: unknown[] = [];
    transport.receive({
      message: (message) => {
        messages.push(message);
        if (messages.length === count) resolve(messages);
      },
      malformed: (frame) => malformed.push(frame),
    });
  });
}

describe('Content-Length framing', () => {
  test('a child process speaking Content-Length gets and answers every message, malformed bodies reported', async () => {
    const result = spawnTransport(
      process.execPath,
      [path.join(fixtures, 'content-length-echo.mjs')],
      {
        framing: 'content-length',
      },
    );
    spawned.push(result);
    const malformed: MalformedFrame[] = [];
    const answers = collect(result.transport, 3, malformed);
    const large = 'ü'.repeat(100_000);
    for (const message of [1, { text: '🙂 héllo' }, 'malformed please', large])
      expect(result.transport.send(message)).toBe(true);
    expect(await answers).toEqual([{ echo: 1 }, { echo: { text: '🙂 héllo' } }, { echo: large }]);
    expect(malformed.map((frame) => frame.excerpt)).toEqual(['this is not json']);
    result.transport.close();
    expect((await result.transport.closed).reason).toBe('local');
  });

  test('the child’s death closes the transport as peer-gone, as with NDJSON', async () => {
    const result = spawnTransport(
      process.execPath,
      [path.join(fixtures, 'content-length-echo.mjs')],
      {
        framing: 'content-length',
      },
    );
    spawned.push(result);
    const first = collect(result.transport, 1);
    result.transport.send({ up: true });
    await first;
    result.child.kill('SIGKILL');
    expect(await result.transport.closed).toMatchObject({ reason: 'peer-gone', signal: 'SIGKILL' });
    expect(result.transport.send('after')).toBe(false);
  });

  test('over a unix socket, both ends framed with Content-Length; an oversize frame closes the receiver as oversize', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-content-length-'));
    const socketPath = path.join(directory, 'socket');
    const serverSide: Transport[] = [];
    const server = await listenUnixSocket(
      socketPath,
      (transport) => {
        serverSide.push(transport);
        transport.receive({ message: (message) => transport.send({ echo: message }) });
      },
      { framing: 'content-length', maxFrameBytes: 1024 },
    );
    try {
      const client = await connectUnixSocket(socketPath, { framing: 'content-length' });
      const answers = collect(client, 2);
      client.send({ n: 1 });
      client.send(['ß'.repeat(400)]);
      expect(await answers).toEqual([{ echo: { n: 1 } }, { echo: ['ß'.repeat(400)] }]);
      client.send('x'.repeat(2000));
      const info = await (serverSide[0] as Transport).closed;
      expect(info.reason).toBe('oversize');
      expect(TransportError.isInstance(info.error) && info.error.code).toBe('FRAME_TOO_LARGE');
      client.close();
    } finally {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  test('an unknown framing is refused with the choices', () => {
    expect(() =>
      createStreamTransport({ output: process.stdout, framing: 'lsp' as 'ndjson' }),
    ).toThrow(/framing must be 'ndjson' or 'content-length', got "lsp"/);
  });
});
