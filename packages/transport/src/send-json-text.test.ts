import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { sendJsonText } from './send-json-text.js';
import { createStreamTransport } from './stream-transport.js';
import type { Transport, TransportReceiver } from './transport.js';

const fixtures = path.join(import.meta.dirname, '__fixtures__');
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function echoTransport() {
  const child = spawn(process.execPath, [path.join(fixtures, 'echo.mjs')], { stdio: 'pipe' });
  children.push(child);
  return { child, transport: createStreamTransport({ input: child.stdout, output: child.stdin }) };
}

describe('sendJsonText', () => {
  test('pieces of JSON text, strings and UTF-8 bytes, arrive as the value they spell, in order with other messages', async () => {
    const { child, transport } = echoTransport();
    const received: unknown[] = [];
    transport.receive({ message: (message) => received.push(message) });
    const record = Buffer.from(
      JSON.stringify({ seq: 7, data: `${'x'.repeat(300_000)} é 🙂\u001b` }),
    );
    // The bytes are reused once the call returns, as a reader reuses its buffer.
    const reused = Buffer.from(record);
    expect(sendJsonText(transport, ['{"sid":"s1",', reused.subarray(1, -1), ',"more":true}'])).toBe(
      true,
    );
    reused.fill(0x20);
    expect(transport.send({ after: 1 })).toBe(true);
    expect(sendJsonText(transport, ['[1,', Buffer.from('"two"'), ']'])).toBe(true);
    child.stdin.end();
    await transport.closed;
    expect(received).toEqual([
      { sid: 's1', ...(JSON.parse(record.toString()) as object), more: true },
      { after: 1 },
      [1, 'two'],
    ]);
  });

  test('a piece holding a raw newline is refused, and nothing is written', async () => {
    const { child, transport } = echoTransport();
    const received: unknown[] = [];
    transport.receive({ message: (message) => received.push(message) });
    expect(() => sendJsonText(transport, ['{"a":', Buffer.from('1}\n{"b":2}')])).toThrow(
      /raw newline/,
    );
    expect(() => sendJsonText(transport, ['{"a":"\n"}'])).toThrow(/raw newline/);
    transport.send({ ok: true });
    child.stdin.end();
    await transport.closed;
    expect(received).toEqual([{ ok: true }]);
  });

  test('a transport from elsewhere is sent the parsed value', () => {
    const sent: unknown[] = [];
    const foreign: Transport = {
      send: (message) => sent.push(message) > 0,
      receive: (_receiver: TransportReceiver) => undefined,
      closed: new Promise(() => undefined),
      isClosed: false,
      close: () => undefined,
    };
    expect(sendJsonText(foreign, ['{"a":', Buffer.from('[1,2]'), '}'])).toBe(true);
    expect(sent).toEqual([{ a: [1, 2] }]);
  });
});
