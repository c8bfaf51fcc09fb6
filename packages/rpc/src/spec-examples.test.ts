// The examples of the JSON-RPC 2.0 specification, sent as raw lines to a server peer.
import { beforeEach, describe, expect, test } from 'vitest';
import { RpcErrorCode } from './errors.js';
import { rawPeer } from './test-utils/pair.js';

let raw: ReturnType<typeof rawPeer>;
const notified: unknown[] = [];

beforeEach(() => {
  notified.length = 0;
  raw = rawPeer();
  raw.peer.setRequestHandler('subtract', (params) => {
    if (Array.isArray(params)) return (params[0] as number) - (params[1] as number);
    const { minuend, subtrahend } = params as { minuend: number; subtrahend: number };
    return minuend - subtrahend;
  });
  raw.peer.setRequestHandler('sum', (params) =>
    (params as number[]).reduce((total, value) => total + value, 0),
  );
  raw.peer.setRequestHandler('get_data', () => ['hello', 5]);
  raw.peer.setRequestHandler('sentinel', () => 'end');
  raw.peer.onNotification('update', (params) => notified.push(params));
  raw.peer.onNotification('notify_hello', (params) => notified.push(params));
  raw.peer.onNotification('notify_sum', (params) => notified.push(params));
});

/**
 * Sends a line, then a sentinel request, and returns every frame the server wrote before the
 * sentinel's answer (handlers answer in the order they were dispatched).
 */
async function exchange(line: string): Promise<unknown[]> {
  raw.send(line);
  raw.send('{"jsonrpc":"2.0","id":"sentinel","method":"sentinel"}');
  const frames: unknown[] = [];
  for (;;) {
    const frame = await raw.next();
    if ((frame as { id?: unknown }).id === 'sentinel') return frames;
    frames.push(frame);
  }
}

const error = (code: number, id: unknown = null): unknown =>
  expect.objectContaining({
    jsonrpc: '2.0',
    id,
    error: expect.objectContaining({ code }) as unknown,
  });

describe('JSON-RPC 2.0 specification examples', () => {
  test('positional parameters', async () => {
    expect(
      await exchange('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'),
    ).toEqual([{ jsonrpc: '2.0', result: 19, id: 1 }]);
    expect(
      await exchange('{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}'),
    ).toEqual([{ jsonrpc: '2.0', result: -19, id: 2 }]);
  });

  test('named parameters', async () => {
    expect(
      await exchange(
        '{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}',
      ),
    ).toEqual([{ jsonrpc: '2.0', result: 19, id: 3 }]);
    expect(
      await exchange(
        '{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}',
      ),
    ).toEqual([{ jsonrpc: '2.0', result: 19, id: 4 }]);
  });

  test('notifications get no reply, even for an unknown method', async () => {
    expect(await exchange('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}')).toEqual(
      [],
    );
    expect(await exchange('{"jsonrpc": "2.0", "method": "foobar"}')).toEqual([]);
    expect(notified).toEqual([[1, 2, 3, 4, 5]]);
  });

  test('a method that does not exist', async () => {
    expect(await exchange('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}')).toEqual([
      error(RpcErrorCode.MethodNotFound, '1'),
    ]);
  });

  test('invalid JSON', async () => {
    expect(await exchange('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')).toEqual([
      error(RpcErrorCode.ParseError),
    ]);
  });

  test('an invalid request object', async () => {
    expect(await exchange('{"jsonrpc": "2.0", "method": 1, "params": "bar"}')).toEqual([
      error(RpcErrorCode.InvalidRequest),
    ]);
  });

  test('a batch that is invalid JSON', async () => {
    expect(
      await exchange(
        '[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method"]',
      ),
    ).toEqual([error(RpcErrorCode.ParseError)]);
  });

  test('an empty batch', async () => {
    expect(await exchange('[]')).toEqual([error(RpcErrorCode.InvalidRequest)]);
  });

  test('an invalid batch with one member', async () => {
    expect(await exchange('[1]')).toEqual([[error(RpcErrorCode.InvalidRequest)]]);
  });

  test('an invalid batch with three members', async () => {
    expect(await exchange('[1,2,3]')).toEqual([
      [
        error(RpcErrorCode.InvalidRequest),
        error(RpcErrorCode.InvalidRequest),
        error(RpcErrorCode.InvalidRequest),
      ],
    ]);
  });

  test('a mixed batch answers every request, in any order, and nothing for notifications', async () => {
    const [batch] = await exchange(
      JSON.stringify([
        { jsonrpc: '2.0', method: 'sum', params: [1, 2, 4], id: '1' },
        { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
        { jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: '2' },
        { foo: 'boo' },
        { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
        { jsonrpc: '2.0', method: 'get_data', id: '9' },
      ]),
    );
    expect(batch).toEqual(
      expect.arrayContaining([
        { jsonrpc: '2.0', result: 7, id: '1' },
        { jsonrpc: '2.0', result: 19, id: '2' },
        error(RpcErrorCode.InvalidRequest),
        error(RpcErrorCode.MethodNotFound, '5'),
        { jsonrpc: '2.0', result: ['hello', 5], id: '9' },
      ]),
    );
    expect(batch).toHaveLength(5);
    expect(notified).toEqual([[7]]);
  });

  test('a batch of notifications only gets no reply at all', async () => {
    expect(
      await exchange(
        '[{"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},{"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}]',
      ),
    ).toEqual([]);
    expect(notified).toEqual([[1, 2, 4], [7]]);
  });
});
