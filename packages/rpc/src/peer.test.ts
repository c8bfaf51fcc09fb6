import { PassThrough, Writable } from 'node:stream';
import { createStreamTransport, currentTransport, spawnTransport } from '@lifeline/transport';
import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { defineContract } from './contract.js';
import { isPeerExitedError, PeerExitedError, RpcError, RpcErrorCode } from './errors.js';
import { createPeer } from './peer.js';
import { connectedPeers, rawPeer } from './test-utils/pair.js';
import { createClient, createServer } from './typed.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A seeded shuffle, so a failure replays. */
function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

describe('calls', () => {
  test('1000 concurrent calls answered in random order each get their own result', async () => {
    const { left, right } = connectedPeers();
    const waiting: { value: number; answer: (result: number) => void }[] = [];
    const allArrived = deferred<undefined>();
    right.setRequestHandler('square', (params) => {
      const { value } = params as { value: number };
      const answer = deferred<number>();
      waiting.push({ value, answer: answer.resolve });
      if (waiting.length === 1000) allArrived.resolve(undefined);
      return answer.promise;
    });
    const calls = Array.from({ length: 1000 }, (_, value) => left.request('square', { value }));
    await allArrived.promise;
    const seed = Date.now() % 100_000;
    for (const { value, answer } of shuffled(waiting, seed)) answer(value * value);
    expect(await Promise.all(calls), `shuffle seed ${seed}`).toEqual(
      Array.from({ length: 1000 }, (_, value) => value * value),
    );
    expect(left.pendingCalls).toBe(0);
  });

  test('a slow handler never blocks ping or other requests', async () => {
    const { left, right } = connectedPeers();
    const release = deferred<string>();
    right.setRequestHandler('slow', () => release.promise);
    right.setRequestHandler('fast', () => 'quick');
    const slow = left.request('slow');
    await expect(left.request('ping')).resolves.toEqual({});
    await expect(left.request('fast')).resolves.toBe('quick');
    release.resolve('finally');
    await expect(slow).resolves.toBe('finally');
  });

  test('a concurrency cap queues handlers but still answers ping at once', async () => {
    const { left, right } = connectedPeers({}, { maxConcurrentHandlers: 1 });
    const release = deferred<undefined>();
    let started = 0;
    right.setRequestHandler('work', async () => {
      started += 1;
      await release.promise;
      return started;
    });
    const first = left.request('work');
    const second = left.request('work');
    await expect(left.request('ping')).resolves.toEqual({});
    expect(started).toBe(1);
    release.resolve(undefined);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
  });

  test('whenHandlersIdle settles once the handlers running and those queued behind the cap have answered', async () => {
    const { left, right } = connectedPeers({}, { maxConcurrentHandlers: 1 });
    await right.whenHandlersIdle();
    const release = deferred<undefined>();
    const answered: number[] = [];
    right.setRequestHandler('work', async (params) => {
      await release.promise;
      return params;
    });
    const calls = [1, 2].map((n) =>
      left.request('work', [n]).then(() => {
        answered.push(n);
      }),
    );
    await expect(left.request('ping')).resolves.toEqual({});
    let idle = false;
    const idleSettled = right.whenHandlersIdle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    release.resolve(undefined);
    await idleSettled;
    await Promise.all(calls);
    expect(answered.sort()).toEqual([1, 2]);
  });

  test('a handler error becomes -32603 with its message and without its stack', async () => {
    const onHandlerError = vi.fn();
    const raw = rawPeer({ onHandlerError });
    raw.peer.setRequestHandler('boom', () => {
      throw new Error('disk on fire');
    });
    raw.send('{"jsonrpc":"2.0","id":7,"method":"boom"}');
    const reply = (await raw.next()) as {
      id: number;
      error: { code: number; message: string; data?: unknown };
    };
    expect(reply.id).toBe(7);
    expect(reply.error.code).toBe(RpcErrorCode.InternalError);
    expect(reply.error.message).toContain('disk on fire');
    expect(JSON.stringify(reply)).not.toMatch(/at .*peer\.test|\.ts:\d+/);
    expect(onHandlerError).toHaveBeenCalledWith(expect.any(Error), 'boom');
  });

  test('a handler answers with its own RpcError code, message and data', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('find', () => {
      throw new RpcError(-32001, 'no such session', { data: { sid: 'x' } });
    });
    const error = await left.request('find').catch((caught: unknown) => caught);
    expect(RpcError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: -32001, message: 'no such session', data: { sid: 'x' } });
  });

  test('a result JSON cannot represent is answered -32603, alone or as one member of a batch', async () => {
    const onHandlerError = vi.fn();
    const raw = rawPeer({ onHandlerError });
    raw.peer.setRequestHandler('huge', () => 10n);
    raw.peer.setRequestHandler('hugeLater', async () => {
      await Promise.resolve();
      return { count: 10n };
    });
    raw.peer.setRequestHandler('fine', () => 1);
    raw.send('{"jsonrpc":"2.0","id":1,"method":"huge"}');
    expect(await raw.next()).toMatchObject({
      id: 1,
      error: {
        code: RpcErrorCode.InternalError,
        message: expect.stringMatching(/"huge" could not be serialised/) as unknown,
      },
    });
    raw.send(
      '[{"jsonrpc":"2.0","id":2,"method":"huge"},{"jsonrpc":"2.0","id":3,"method":"fine"},{"jsonrpc":"2.0","id":4,"method":"hugeLater"}]',
    );
    const batch = (await raw.next()) as {
      id: number;
      result?: unknown;
      error?: { code: number };
    }[];
    expect([...batch].sort((first, second) => first.id - second.id)).toEqual([
      {
        jsonrpc: '2.0',
        id: 2,
        error: expect.objectContaining({ code: RpcErrorCode.InternalError }) as unknown,
      },
      { jsonrpc: '2.0', id: 3, result: 1 },
      {
        jsonrpc: '2.0',
        id: 4,
        error: expect.objectContaining({ code: RpcErrorCode.InternalError }) as unknown,
      },
    ]);
    expect(onHandlerError).toHaveBeenCalledTimes(3);
    expect(onHandlerError).toHaveBeenCalledWith(expect.any(TypeError), 'huge');
    raw.send('{"jsonrpc":"2.0","id":5,"method":"fine"}');
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 5, result: 1 });
  });

  test('a handler sees the transport of its request as currentTransport(), before and after await', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('where', () => currentTransport() === right.transport);
    right.setRequestHandler('whereLater', async () => {
      const before = currentTransport() === right.transport;
      await new Promise((resolve) => setImmediate(resolve));
      return [before, currentTransport() === right.transport];
    });
    expect(await left.request('where')).toBe(true);
    expect(await left.request('whereLater')).toEqual([true, true]);
    expect(currentTransport()).toBeUndefined();
  });

  test('a peer that does not bind currentTransport() gives handlers their transport in the context only', async () => {
    const { left, right } = connectedPeers({}, { bindCurrentTransport: false });
    right.setRequestHandler('where', async (_params, context) => {
      await new Promise((resolve) => setImmediate(resolve));
      return [currentTransport() === undefined, context.transport === right.transport];
    });
    expect(await left.request('where')).toEqual([true, true]);
  });

  test('a concurrency cap drains a long queue of quick handlers without losing one', async () => {
    const { left, right } = connectedPeers({}, { maxConcurrentHandlers: 1 });
    const release = deferred<string>();
    let started = false;
    right.setRequestHandler('slow', () => {
      started = true;
      return release.promise;
    });
    right.setRequestHandler('quick', (params) => (params as { index: number }).index);
    const slow = left.request('slow');
    await vi.waitFor(() => expect(started).toBe(true));
    const quick = Array.from({ length: 10_000 }, (_, index) => left.request('quick', { index }));
    await expect(left.request('ping')).resolves.toEqual({});
    release.resolve('done');
    await expect(slow).resolves.toBe('done');
    expect(await Promise.all(quick)).toEqual(Array.from({ length: 10_000 }, (_, index) => index));
  });

  test('the trace hook sees every frame in both directions', async () => {
    const seen: string[] = [];
    const { left, right } = connectedPeers({
      trace: (direction, message) =>
        seen.push(`${direction}:${(message as { method?: string }).method ?? 'response'}`),
    });
    right.setRequestHandler('hello', () => 'hi');
    await left.request('hello');
    expect(seen).toEqual(['out:hello', 'in:response']);
  });

  test('unknown and duplicate response ids are counted, never fatal', async () => {
    const raw = rawPeer();
    const call = raw.peer.request('echo', { a: 1 });
    const request = (await raw.next()) as { id: number };
    raw.send('{"jsonrpc":"2.0","id":999,"result":1}');
    raw.send(`{"jsonrpc":"2.0","id":${request.id},"result":"first"}`);
    raw.send(`{"jsonrpc":"2.0","id":${request.id},"result":"second"}`);
    await expect(call).resolves.toBe('first');
    await vi.waitFor(() => {
      expect(raw.peer.stats.unknownResponses).toBe(1);
      expect(raw.peer.stats.duplicateResponses).toBe(1);
    });
    await expect(raw.peer.request('ping', undefined, { timeoutMs: 50 })).rejects.toMatchObject({
      code: RpcErrorCode.Timeout,
    });
  });
  test('a malformed response fails the call it names at once, and is never answered', async () => {
    const problems: string[] = [];
    const raw = rawPeer({ onProtocolError: (problem) => problems.push(problem) });
    for (const malformed of [
      (id: number) => `{"jsonrpc":"2.0","id":${id},"result":5,"error":null}`,
      (id: number) => `{"jsonrpc":"2.0","id":${id},"error":"it broke"}`,
      (id: number) => `{"id":${id},"result":5}`,
    ]) {
      const call = raw.peer.request('add', [2, 3], { timeoutMs: 60_000 });
      const request = (await raw.next()) as { id: number };
      raw.send(malformed(request.id));
      await expect(call).rejects.toMatchObject({
        code: RpcErrorCode.InternalError,
        message: expect.stringContaining('"add"') as unknown,
      });
    }
    // One for no call of ours is counted and reported; none of them was answered.
    raw.send('{"jsonrpc":"2.0","id":"nobody","result":1,"error":null}');
    await vi.waitFor(() => expect(raw.peer.stats.unknownResponses).toBe(1));
    expect(problems).toHaveLength(4);
    expect(raw.unread).toBe(0);
  });

  test('a cancelled request waiting for a handler slot never runs, and is answered as cancelled', async () => {
    const { left, right } = connectedPeers({}, { maxConcurrentHandlers: 1 });
    const release = deferred<undefined>();
    const started: number[] = [];
    right.setRequestHandler('work', async (params) => {
      started.push((params as { n: number }).n);
      await release.promise;
      return 'done';
    });
    const first = left.request('work', { n: 1 });
    const controller = new AbortController();
    const second = left.request('work', { n: 2 }, { signal: controller.signal });
    const third = left.request('work', { n: 3 });
    await expect(left.request('ping')).resolves.toEqual({});
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
    // By its answer the server has seen the cancellation.
    await expect(left.request('ping')).resolves.toEqual({});
    release.resolve(undefined);
    await expect(first).resolves.toBe('done');
    await expect(third).resolves.toBe('done');
    expect(started).toEqual([1, 3]);
    await vi.waitFor(() => expect(left.stats.lateResponses).toBe(1));
  });

  test('requests waiting for a handler slot when the peer goes never start', async () => {
    const { left, right } = connectedPeers({}, { maxConcurrentHandlers: 1 });
    const started: number[] = [];
    const stopped: number[] = [];
    right.setRequestHandler('work', (params, context) => {
      const { n } = params as { n: number };
      started.push(n);
      // Stops when told to, which frees its slot for whatever still waits.
      return new Promise((resolve) => {
        context.signal.addEventListener('abort', () => resolve(stopped.push(n)));
      });
    });
    const calls = [1, 2, 3].map((n) => left.request('work', { n }).catch(() => undefined));
    await expect(left.request('ping')).resolves.toEqual({});
    right.close();
    await Promise.all(calls);
    await vi.waitFor(() => expect(stopped).toEqual([1]));
    expect(started).toEqual([1]);
  });
});

describe('timeouts and cancellation', () => {
  test('a call times out, the peer is told, and the late answer is dropped and counted', async () => {
    const { left, right } = connectedPeers();
    const release = deferred<string>();
    const handlerSignal = deferred<AbortSignal>();
    right.setRequestHandler('slow', (_params, context) => {
      handlerSignal.resolve(context.signal);
      return release.promise;
    });
    const error = await left
      .request('slow', undefined, { timeoutMs: 30 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: RpcErrorCode.Timeout });
    expect((error as Error).message).toMatch(/"slow" got no answer within 30 ms/);
    const signal = await handlerSignal.promise;
    await vi.waitFor(() => expect(signal.aborted).toBe(true));
    release.resolve('too late');
    await vi.waitFor(() => expect(left.stats.lateResponses).toBe(1));
    expect(left.pendingCalls).toBe(0);
  });

  test('calls with different timeouts each time out after their own, earliest first, and answered calls never do', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('never', () => new Promise(() => undefined));
    right.setRequestHandler('now', () => 'answered');
    const order: number[] = [];
    const waiting = [80, 20, 50].map((timeoutMs) =>
      left.request('never', undefined, { timeoutMs }).catch((error: unknown) => {
        order.push(timeoutMs);
        return error;
      }),
    );
    await expect(left.request('now', undefined, { timeoutMs: 30 })).resolves.toBe('answered');
    const errors = await Promise.all(waiting);
    expect(order).toEqual([20, 50, 80]);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      expect.stringContaining('within 80 ms'),
      expect.stringContaining('within 20 ms'),
      expect.stringContaining('within 50 ms'),
    ]);
    expect(left.pendingCalls).toBe(0);
  });

  test('a timeout longer than setTimeout can count (2^31 ms) still waits for the answer', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('soon', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'in time';
    });
    await expect(left.request('soon', undefined, { timeoutMs: 2 ** 31 })).resolves.toBe('in time');
  });

  test('MCP: a client that never answers the ping sent before the answer to a request that reported progress gets the answer half a second later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const raw = mcpServerReportingProgress();
      await callAndReadItsPing(raw, 1);
      await vi.advanceTimersByTimeAsync(450);
      expect(raw.unread).toBe(0);
      await vi.advanceTimersByTimeAsync(50);
      const frames = [await raw.next(), await raw.next()];
      expect(frames).toContainEqual({ jsonrpc: '2.0', id: 1, result: { content: [] } });
      // The client that does answer its pings gets the answer as soon as it does.
      const second = await callAndReadItsPing(raw, 2);
      raw.send(`{"jsonrpc":"2.0","id":${second.id},"result":{}}`);
      expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [] } });
    } finally {
      vi.useRealTimers();
    }
  });

  test('MCP: whenHandlersIdle waits for an answer held behind its ping, so a server that closes when idle still sends it', async () => {
    const raw = mcpServerReportingProgress();
    const ping = await callAndReadItsPing(raw, 1);
    // The handler has returned; its answer waits for the ping.
    let idle = false;
    const idleSettled = raw.peer.whenHandlersIdle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    raw.send(`{"jsonrpc":"2.0","id":${ping.id},"result":{}}`);
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [] } });
    await idleSettled;
  });

  test('timeouts follow fake timers, even when the clock itself is not faked', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { left, right } = connectedPeers();
      right.setRequestHandler('never', () => new Promise(() => undefined));
      let outcome: unknown;
      const call = left
        .request('never', undefined, { timeoutMs: 10_000 })
        .catch((error: unknown) => (outcome = error));
      await vi.advanceTimersByTimeAsync(9_000);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1_000);
      await call;
      expect(outcome).toMatchObject({ code: RpcErrorCode.Timeout });
    } finally {
      vi.useRealTimers();
    }
  });

  test('a pending call keeps the process alive for its timeout; once it settles, nothing does', async () => {
    const timers = () =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const { left, right } = connectedPeers();
    const release = deferred<string>();
    right.setRequestHandler('wait', () => release.promise);
    const before = timers();
    const call = left.request('wait', undefined, { timeoutMs: 60_000 });
    expect(timers()).toBe(before + 1);
    release.resolve('done');
    await expect(call).resolves.toBe('done');
    expect(timers()).toBe(before);
  });

  test('an infinite timeout must be asked for, and a bad one is refused by its call, which sends nothing', async () => {
    const raw = rawPeer();
    await expect(raw.peer.request('x', undefined, { timeoutMs: 0 })).rejects.toThrow(
      /timeoutMs must be a positive number/,
    );
    await expect(raw.peer.request('x', undefined, { timeoutMs: Number.NaN })).rejects.toThrow(
      TypeError,
    );
    // A number read from the environment is a string: refused, not concatenated into a deadline.
    const fromEnvironment = '1000' as unknown as number;
    await expect(raw.peer.request('slow', {}, { timeoutMs: fromEnvironment })).rejects.toThrow(
      new TypeError('timeoutMs must be a positive number of milliseconds or Infinity, got "1000"'),
    );
    expect(() => raw.peer.stream('slow', {}, { timeoutMs: fromEnvironment })).toThrow(
      new TypeError('timeoutMs must be a positive number of milliseconds or Infinity, got "1000"'),
    );
    expect(raw.peer.pendingCalls).toBe(0);
    raw.peer.notify('after');
    await expect(raw.next()).resolves.toEqual({ jsonrpc: '2.0', method: 'after' });
  });

  test.each([
    ['left calls right', 'left'],
    ['right calls left', 'right'],
  ] as const)('cancellation works both ways: %s', async (_name, caller) => {
    const peers = connectedPeers();
    const [client, server] =
      caller === 'left' ? [peers.left, peers.right] : [peers.right, peers.left];
    const aborted = deferred<unknown>();
    const started = deferred<undefined>();
    server.setRequestHandler(
      'wait',
      (_params, context) =>
        new Promise((_resolve, reject) => {
          started.resolve(undefined);
          context.signal.addEventListener('abort', () => {
            aborted.resolve(context.signal.reason);
            reject(context.signal.reason as Error);
          });
        }),
    );
    const controller = new AbortController();
    const call = client.request('wait', {}, { signal: controller.signal });
    await started.promise;
    controller.abort(new Error('user pressed Ctrl+C'));
    await expect(call).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
    expect(await aborted.promise).toMatchObject({ code: RpcErrorCode.Cancelled });
    await vi.waitFor(() => expect(client.stats.lateResponses).toBe(1));
  });

  test('a cancelled call rejects even when its $/cancel cannot be written', async () => {
    /** A device that fails (EIO) when the cancellation is written to it. */
    class FailingOnCancel extends Writable {
      override _write(_chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
        done();
      }
      override write(chunk: unknown, ...rest: never[]): boolean {
        if (String(chunk).includes('$/cancel'))
          throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        return super.write(chunk, ...rest);
      }
    }
    const peer = createPeer(
      createStreamTransport({ input: new PassThrough(), output: new FailingOnCancel() }),
    );
    const controller = new AbortController();
    const call = peer.request('work', {}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
    await expect(peer.closed).resolves.toMatchObject({ reason: 'error' });
  });

  test('an already aborted signal rejects without sending anything', async () => {
    const raw = rawPeer();
    const controller = new AbortController();
    controller.abort();
    await expect(raw.peer.request('x', {}, { signal: controller.signal })).rejects.toMatchObject({
      code: RpcErrorCode.Cancelled,
    });
    expect(raw.unread).toBe(0);
  });

  test('a signal that is not an AbortSignal is refused by its call, which sends nothing', async () => {
    const sent: unknown[] = [];
    const { left } = connectedPeers({
      trace: (direction, frame) => {
        if (direction === 'out') sent.push(frame);
      },
    });
    const client = createClient(
      left,
      defineContract({
        requests: { echo: { params: z.string(), result: z.string() } },
        notifications: {},
      }),
    );
    const mistakes: [unknown, string][] = [
      ['abort', `signal must be an AbortSignal (an AbortController's signal), got "abort"`],
      [{}, `signal must be an AbortSignal (an AbortController's signal), got an object`],
      [null, `signal must be an AbortSignal (an AbortController's signal), got null`],
      [
        new AbortController(),
        `signal must be an AbortSignal (an AbortController's signal), got an AbortController; pass controller.signal, not the controller`,
      ],
    ];
    for (const [signal, message] of mistakes) {
      const options = { signal: signal as AbortSignal };
      await expect(left.request('echo', 'hi', options)).rejects.toThrow(new TypeError(message));
      expect(() => left.stream('echo', 'hi', options)).toThrow(new TypeError(message));
      await expect(client.call('echo', 'hi', options)).rejects.toThrow(new TypeError(message));
      expect(() => client.stream('echo', 'hi', options)).toThrow(new TypeError(message));
    }
    expect(sent).toEqual([]);
    expect(left.pendingCalls).toBe(0);
  });
});

describe('createPeer', () => {
  test.each([
    [
      { defaultTimeoutMs: 0 },
      'defaultTimeoutMs must be a positive number of milliseconds or Infinity, got 0',
    ],
    [
      { defaultTimeoutMs: -1 },
      'defaultTimeoutMs must be a positive number of milliseconds or Infinity, got -1',
    ],
    [
      { defaultTimeoutMs: 'x' },
      'defaultTimeoutMs must be a positive number of milliseconds or Infinity, got "x"',
    ],
    [
      { maxConcurrentHandlers: 0 },
      'maxConcurrentHandlers must be a positive integer or Infinity, got 0',
    ],
    [
      { maxConcurrentHandlers: '4' },
      'maxConcurrentHandlers must be a positive integer or Infinity, got "4"',
    ],
    [{ bindCurrentTransport: 'false' }, 'bindCurrentTransport must be true or false, got "false"'],
    [{ trace: 'console' }, 'trace must be a function, got "console"'],
    [{ onProtocolError: {} }, 'onProtocolError must be a function, got an object'],
    [{ dialect: 42 }, "dialect must be 'lifeline', 'lsp' or 'mcp', got 42"],
    [null, "createPeer's options must be an object (PeerOptions), got null"],
  ])('refuses the options %o when it is called, naming what is wrong', (options, message) => {
    const transport = createStreamTransport({
      input: new PassThrough(),
      output: new PassThrough(),
    });
    expect(() => createPeer(transport, options as never)).toThrow(new TypeError(message));
    // The transport is left as it was: no reader was attached.
    expect(() => transport.receive({ message: () => undefined })).not.toThrow();
    transport.close();
  });

  test('refuses what is not a transport, saying what to pass', async () => {
    const needs =
      'createPeer needs a Transport (spawnTransport(…).transport, createStreamTransport(…), connectUnixSocket(…), …), got';
    expect(() => createPeer(undefined as never)).toThrow(new TypeError(`${needs} undefined`));
    expect(() => createPeer({} as never)).toThrow(new TypeError(`${needs} an object`));
    const spawned = spawnTransport(process.execPath, ['-e', '']);
    expect(() => createPeer(spawned as never)).toThrow(
      new TypeError(
        `${needs} the { transport, child, kill } that spawnTransport returns; pass its transport`,
      ),
    );
    await createPeer(spawned.transport).closed;
  });
});

describe('peer exit', () => {
  test('every pending call rejects at once when the transport closes, and later calls at once too', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('hang', () => new Promise(() => undefined));
    const calls = Array.from({ length: 10 }, () =>
      left.request('hang').catch((error: unknown) => error),
    );
    await new Promise((resolve) => setImmediate(resolve));
    right.close();
    const errors = await Promise.all(calls);
    for (const error of errors) {
      expect(PeerExitedError.isInstance(error)).toBe(true);
      expect(isPeerExitedError(error)).toBe(true);
    }
    await left.closed;
    const after = await left.request('hang').catch((error: unknown) => error);
    expect(PeerExitedError.isInstance(after)).toBe(true);
    expect(left.notify('anything')).toBe(false);
  });

  test('isPeerExitedError sees through cause chains and AggregateError', () => {
    const exited = new PeerExitedError('x', {
      reason: 'peer-gone',
      exitCode: null,
      signal: 'SIGKILL',
    });
    expect(exited.message).toContain('SIGKILL');
    expect(
      isPeerExitedError(new Error('outer', { cause: new Error('middle', { cause: exited }) })),
    ).toBe(true);
    expect(isPeerExitedError(new AggregateError([new Error('a'), exited]))).toBe(true);
    expect(isPeerExitedError(new Error('plain'))).toBe(false);
    expect(isPeerExitedError(new RpcError(RpcErrorCode.Timeout, 'slow'))).toBe(false);
  });
});

describe('typed contracts', () => {
  const contract = defineContract({
    requests: {
      add: { params: z.object({ a: z.number(), b: z.number() }), result: z.number() },
      greet: {
        params: z.object({ name: z.string().min(1) }),
        result: z.object({ text: z.string() }),
      },
    },
    notifications: {
      tick: z.object({ n: z.int() }),
    },
  });

  test('call, handle, notify and on are checked against the contract', async () => {
    const { left, right } = connectedPeers();
    const server = createServer(right, contract);
    const client = createClient(left, contract);
    server.handle('add', ({ a, b }) => a + b);
    server.handle('greet', ({ name }) => ({ text: `hello ${name}` }));
    const ticks: number[] = [];
    client.on('tick', ({ n }) => ticks.push(n));
    expect(await client.call('add', { a: 2, b: 3 })).toBe(5);
    expect(await client.call('greet', { name: 'ada' })).toEqual({ text: 'hello ada' });
    server.notify('tick', { n: 1 });
    server.notify('tick', { n: 2 });
    await vi.waitFor(() => expect(ticks).toEqual([1, 2]));
  });

  test('a server hears the notifications its client sends, and drops invalid ones', async () => {
    const { left, right } = connectedPeers();
    const server = createServer(right, contract);
    const client = createClient(left, contract);
    const ticks: number[] = [];
    const stop = server.on('tick', ({ n }) => ticks.push(n));
    expect(client.notify('tick', { n: 1 })).toBe(true);
    left.notify('tick', { n: 'two' });
    client.notify('tick', { n: 3 });
    await vi.waitFor(() => expect(ticks).toEqual([1, 3]));
    stop();
    server.on('tick', ({ n }) => ticks.push(-n));
    client.notify('tick', { n: 4 });
    await vi.waitFor(() => expect(ticks).toEqual([1, 3, -4]));
  });

  test('invalid params answer -32602 with the zod issue paths', async () => {
    const raw = rawPeer();
    createServer(raw.peer, contract).handle('greet', ({ name }) => ({ text: name }));
    raw.send('{"jsonrpc":"2.0","id":1,"method":"greet","params":{"name":""}}');
    const reply = (await raw.next()) as {
      error: { code: number; message: string; data: { issues: { path: string[] }[] } };
    };
    expect(reply.error.code).toBe(RpcErrorCode.InvalidParams);
    expect(reply.error.data.issues[0]?.path).toEqual(['name']);
    expect(reply.error.message).toMatch(/name: Too small/);
  });

  test('a result that breaks the contract rejects the call instead of lying to the caller', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('add', () => 'not a number');
    await expect(createClient(left, contract).call('add', { a: 1, b: 1 })).rejects.toMatchObject({
      code: RpcErrorCode.InvalidResult,
    });
  });

  test('a progress value that breaks the contract fails the stream with what was wrong', async () => {
    const streaming = defineContract({
      requests: { count: { params: z.object({}), result: z.literal('done'), progress: z.int() } },
      notifications: {},
    });
    const { left, right } = connectedPeers();
    right.setRequestHandler('count', (_params, context) => {
      context.progress(1);
      context.progress('two');
      return 'done';
    });
    const seen: number[] = [];
    const consume = async (): Promise<void> => {
      for await (const value of createClient(left, streaming).stream('count', {})) seen.push(value);
    };
    await expect(consume()).rejects.toMatchObject({
      code: RpcErrorCode.InvalidResult,
      message: expect.stringMatching(
        /a progress value of "count" does not match the contract: \(root\): .*expected number/i,
      ) as unknown,
    });
    expect(seen).toEqual([1]);
  });

  test('a result that breaks the contract names what was wrong', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('greet', () => ({ text: 7 }));
    await expect(createClient(left, contract).call('greet', { name: 'ada' })).rejects.toThrow(
      /the result of "greet" does not match the contract: text: .*expected string/i,
    );
  });

  test('reserved and duplicate names are refused when the contract is defined', () => {
    expect(() =>
      defineContract({
        requests: { 'rpc.x': { params: z.null(), result: z.null() } },
        notifications: {},
      }),
    ).toThrow(/reserved/);
    expect(() =>
      defineContract({
        requests: { a: { params: z.null(), result: z.null() } },
        notifications: { a: z.null() },
      }),
    ).toThrow(/both/);
  });

  test('LSP’s own $/ methods can be typed in a contract and served; rpc.* cannot be registered', async () => {
    const lspContract = defineContract({
      requests: { '$/ping': { params: z.object({ n: z.number() }), result: z.number() } },
      notifications: { '$/logTrace': z.object({ message: z.string() }) },
    });
    const { left, right } = connectedPeers({ dialect: 'lsp' }, { dialect: 'lsp' });
    createServer(right, lspContract).handle('$/ping', ({ n }) => n + 1);
    expect(await createClient(left, lspContract).call('$/ping', { n: 1 })).toBe(2);
    expect(() => right.setRequestHandler('rpc.discover', () => ({}))).toThrow(
      /"rpc.discover" is reserved: JSON-RPC 2.0 keeps rpc\.\* for the protocol itself/,
    );
    expect(() => right.onNotification('rpc.event', () => undefined)).toThrow(/reserved/);
  });

  test('a progress value JSON cannot carry throws into the handler that sent it', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('report', (_params, context) => {
      try {
        context.progress({ size: 1n });
        return 'sent';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(await left.stream('report').result).toBe('TypeError');
  });

  test('a contract whose parts are missing or not schemas is refused, naming where', () => {
    const mistakes: [unknown, string][] = [
      [undefined, 'defineContract needs { requests, notifications }, got undefined'],
      [
        { requests: { x: { params: 5 } } },
        'requests["x"].params must be a zod 4 schema (z.object(…), z.null(), …), got 5',
      ],
      [
        { requests: { x: { params: z.null() } }, notifications: {} },
        'requests["x"].result must be a zod 4 schema (z.object(…), z.null(), …), got undefined',
      ],
      [
        { requests: { x: { params: z.null(), result: z.null(), progress: 'number' } } },
        'requests["x"].progress must be a zod 4 schema (z.object(…), z.null(), …), got "number"',
      ],
      [
        { notifications: {} },
        'requests must be an object of { params, result } definitions ({} for none), got undefined',
      ],
      [
        { requests: {} },
        'notifications must be an object of params schemas ({} for none), got undefined',
      ],
      [
        { requests: {}, notifications: { tick: { n: z.number() } } },
        'notifications["tick"] must be a zod 4 schema (z.object(…), z.null(), …), got an object',
      ],
    ];
    for (const [definition, message] of mistakes) {
      expect(() => defineContract(definition as never)).toThrow(new TypeError(message));
    }
  });

  test('a name the contract does not declare, or a handler that is not a function, is refused when registered', async () => {
    const { left, right } = connectedPeers();
    const server = createServer(right, contract);
    const client = createClient(left, contract);
    expect(() => server.handle('notInContract' as 'add', () => 0)).toThrow(
      new TypeError(
        '"notInContract" is not a request of the contract; add it to the contract, or check its spelling (peer.setRequestHandler takes names outside it)',
      ),
    );
    // A notification is not a request, and neither is what every object inherits.
    expect(() => server.handle('tick' as 'add', () => 0)).toThrow(/^"tick" is not a request/);
    expect(() => server.handle('toString' as 'add', () => 0)).toThrow(/^"toString" is not a/);
    expect(() => client.on('add' as 'tick', () => undefined)).toThrow(
      new TypeError(
        '"add" is not a notification of the contract; add it to the contract, or check its spelling (peer.onNotification takes names outside it)',
      ),
    );
    expect(() => server.handle('add', undefined as never)).toThrow(
      new TypeError('the handler of "add" must be a function, got undefined'),
    );
    expect(() => left.onNotification('tick', 'log' as never)).toThrow(
      new TypeError('the listener of "tick" must be a function, got "log"'),
    );
    // Nothing was registered by the refused calls.
    server.handle('add', ({ a, b }) => a + b);
    await expect(client.call('add', { a: 1, b: 2 })).resolves.toBe(3);
  });

  test('a typed call or stream of a method the contract does not declare is refused before anything is sent', async () => {
    const sent: unknown[] = [];
    const { left } = connectedPeers({
      trace: (direction, frame) => {
        if (direction === 'out') sent.push(frame);
      },
    });
    const client = createClient(left, contract);
    await expect(client.call('ad' as 'add', { a: 1, b: 2 })).rejects.toThrow(
      new TypeError(
        '"ad" is not a request of the contract; add it to the contract, or check its spelling (peer.request takes names outside it)',
      ),
    );
    expect(() => client.stream('ad' as 'add', { a: 1, b: 2 })).toThrow(
      new TypeError(
        '"ad" is not a request of the contract; add it to the contract, or check its spelling (peer.stream takes names outside it)',
      ),
    );
    // A notification is not a request, and neither is what every object inherits.
    await expect(client.call('tick' as 'add', { a: 1, b: 2 })).rejects.toThrow(
      /^"tick" is not a request of the contract/,
    );
    await expect(client.call('toString' as 'add', { a: 1, b: 2 })).rejects.toThrow(
      /^"toString" is not a request of the contract/,
    );
    expect(sent).toEqual([]);
    expect(left.pendingCalls).toBe(0);
  });

  test('an unknown dialect is refused with the choices', () => {
    const transport = createStreamTransport({
      input: new PassThrough(),
      output: new PassThrough(),
    });
    expect(() => createPeer(transport, { dialect: 'jsonrpc' as 'lsp' })).toThrow(
      /dialect must be 'lifeline', 'lsp' or 'mcp', got "jsonrpc"/,
    );
    transport.close();
  });

  test('invalid notifications are dropped and counted', async () => {
    const { left, right } = connectedPeers();
    const ticks: number[] = [];
    createClient(left, contract).on('tick', ({ n }) => ticks.push(n));
    right.notify('tick', { n: 'one' });
    right.notify('tick', { n: 2 });
    await vi.waitFor(() => expect(ticks).toEqual([2]));
    expect(left.stats.droppedNotifications).toBe(1);
  });

  test('every listener of a notification gets it checked against its own schema, whoever came first', async () => {
    const { left, right } = connectedPeers();
    const raw: unknown[] = [];
    const typed: unknown[] = [];
    left.onNotification('tick', (params) => raw.push(params));
    createClient(left, contract).on('tick', (params) => typed.push(params));
    right.notify('tick', { n: 'one' });
    right.notify('tick', { n: 2 });
    await vi.waitFor(() => expect(typed).toEqual([{ n: 2 }]));
    expect(raw).toEqual([{ n: 'one' }, { n: 2 }]);
    // Each reached a listener: none was dropped.
    expect(left.stats.droppedNotifications).toBe(0);
  });

  test('a listener that throws keeps neither the next listener nor a batch’s answers from anyone', async () => {
    const handlerErrors: unknown[] = [];
    const raw = rawPeer({ onHandlerError: (error) => handlerErrors.push(error) });
    const heard: string[] = [];
    raw.peer.onNotification('note', () => {
      throw new Error('listener bug');
    });
    raw.peer.onNotification('note', () => heard.push('second'));
    raw.peer.setRequestHandler('echo', (params) => params);
    raw.send(
      '[{"jsonrpc":"2.0","id":1,"method":"echo","params":[1]},{"jsonrpc":"2.0","method":"note"},{"jsonrpc":"2.0","id":2,"method":"echo","params":[2]}]',
    );
    await expect(raw.next()).resolves.toEqual([
      { jsonrpc: '2.0', id: 1, result: [1] },
      { jsonrpc: '2.0', id: 2, result: [2] },
    ]);
    expect(heard).toEqual(['second']);
    expect(handlerErrors).toEqual([new Error('listener bug')]);
  });
});

/** An MCP peer whose `tools/call` reports progress once and answers at once. */
function mcpServerReportingProgress() {
  const raw = rawPeer({ dialect: 'mcp' });
  raw.peer.setRequestHandler('tools/call', (_params, context) => {
    context.progress({ progress: 1 });
    return { content: [] };
  });
  return raw;
}

/** Calls `tools/call` with a progress token as request `id`: its progress, then the ping sent before its answer. */
async function callAndReadItsPing(
  raw: ReturnType<typeof rawPeer>,
  id: number,
): Promise<{ id: number }> {
  raw.send(
    `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"_meta":{"progressToken":"t${id}"}}}`,
  );
  expect(await raw.next()).toMatchObject({ method: 'notifications/progress' });
  const ping = (await raw.next()) as { id: number };
  expect(ping).toMatchObject({ method: 'ping' });
  return ping;
}
