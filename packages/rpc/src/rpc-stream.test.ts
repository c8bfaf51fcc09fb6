import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, test, vi } from 'vitest';
import { RpcErrorCode } from './errors.js';
import type { OverflowPolicy, RpcStream } from './rpc-stream.js';
import { connectedPeers } from './test-utils/pair.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

/** The engine's garbage collector, for tests that measure what a stream keeps alive. */
function garbageCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('streams', () => {
  test('concurrent interleaved streams each get their own progress, in order, before their result', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('count', async (params, context) => {
      const { name, upTo } = params as { name: string; upTo: number };
      for (let index = 1; index <= upTo; index += 1) {
        context.progress(`${name}${index}`);
        if (index % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return `${name} done`;
    });
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const outcomes = await Promise.all(
      names.map(async (name) => {
        const stream = left.stream('count', { name, upTo: 100 });
        const order: string[] = [];
        void stream.result.then(() => order.push('result'));
        const progress: string[] = [];
        for await (const value of stream) {
          progress.push(value as string);
          order.push('progress');
        }
        const result = await stream.result;
        return {
          name,
          progress,
          result,
          resultWasLast: order.lastIndexOf('progress') < order.indexOf('result'),
        };
      }),
    );
    for (const { name, progress, result, resultWasLast } of outcomes) {
      expect(progress).toEqual(Array.from({ length: 100 }, (_, index) => `${name}${index + 1}`));
      expect(result).toBe(`${name} done`);
      expect(resultWasLast).toBe(true);
    }
  });

  test('progress of a plain call is ignored and the result still arrives', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('work', (_params, context) => {
      context.progress(1);
      return 'done';
    });
    await expect(left.request('work')).resolves.toBe('done');
  });

  test('a handler may take progress and signal out of its context', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('count', (_params, { progress, signal }) => {
      progress('one');
      progress('two');
      return signal.aborted ? 'aborted' : 'counted';
    });
    const stream = left.stream('count');
    expect(await collect(stream)).toEqual(['one', 'two']);
    await expect(stream.result).resolves.toBe('counted');
  });

  function overflowRun(overflow: OverflowPolicy) {
    const { left, right } = connectedPeers();
    let release!: () => void;
    const handlerDone = new Promise<void>((resolve) => (release = resolve));
    right.setRequestHandler('burst', async (_params, context) => {
      for (let index = 0; index < 10; index += 1) context.progress(index);
      await handlerDone;
      return 'end';
    });
    const stream = left.stream('burst', {}, { bufferSize: 4, overflow });
    return { stream, release, left };
  }

  test('drop-oldest keeps the newest values and counts the dropped ones', async () => {
    const { stream, release } = overflowRun('drop-oldest');
    await vi.waitFor(() => expect(stream.dropped).toBe(6));
    release();
    expect(await collect(stream)).toEqual([6, 7, 8, 9]);
    await expect(stream.result).resolves.toBe('end');
  });

  test('drop-newest keeps the first values and counts the dropped ones', async () => {
    const { stream, release } = overflowRun('drop-newest');
    await vi.waitFor(() => expect(stream.dropped).toBe(6));
    release();
    expect(await collect(stream)).toEqual([0, 1, 2, 3]);
    await expect(stream.result).resolves.toBe('end');
  });

  test('a bufferSize or overflow policy that cannot work is refused by stream(), which sends nothing', () => {
    const { left } = connectedPeers();
    const mistakes: [object, string][] = [
      [{ bufferSize: 0 }, 'bufferSize must be a positive integer, got 0'],
      [{ bufferSize: '16' }, 'bufferSize must be a positive integer, got "16"'],
      [{ bufferSize: 1.5 }, 'bufferSize must be a positive integer, got 1.5'],
      [
        { overflow: 'drop' },
        "overflow must be 'error', 'drop-oldest' or 'drop-newest', got \"drop\"",
      ],
    ];
    for (const [options, message] of mistakes) {
      expect(() => left.stream('count', {}, options)).toThrow(new TypeError(message));
    }
    expect(left.pendingCalls).toBe(0);
  });

  test('error fails the stream, cancels the call and says how to fix it', async () => {
    const { stream, release } = overflowRun('error');
    const failure = await stream.result.catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: RpcErrorCode.StreamOverflow });
    expect((failure as Error).message).toMatch(/raise bufferSize/);
    release();
    await expect(collect(stream)).rejects.toMatchObject({ code: RpcErrorCode.StreamOverflow });
  });

  test('drop-oldest keeps no more than bufferSize values in memory, however many it drops', async () => {
    const { left, right } = connectedPeers();
    const valueCount = 400;
    const valueLength = 100_000;
    const bufferSize = 10;
    right.setRequestHandler('ticks', async (_params, context) => {
      for (let index = 0; index < valueCount; index += 1) {
        context.progress(String(index).padEnd(valueLength, 'x'));
        if (index % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return 'done';
    });
    // Nobody reads the stream while the values arrive, as with a consumer that is busy elsewhere.
    let stream: RpcStream<unknown, unknown> | undefined = left.stream(
      'ticks',
      {},
      { bufferSize, overflow: 'drop-oldest' },
    );
    await expect(stream.result).resolves.toBe('done');
    expect(stream.dropped).toBe(valueCount - bufferSize);
    const collectGarbage = garbageCollector();
    collectGarbage();
    const whileKept = process.memoryUsage().heapUsed;
    stream = undefined;
    collectGarbage();
    const keptByStream = whileKept - process.memoryUsage().heapUsed;
    // The values it holds take bufferSize * valueLength bytes; all of them would be 40 times that.
    expect(keptByStream).toBeLessThan(5 * bufferSize * valueLength);
  });

  test('breaking out of the loop cancels the call on the server', async () => {
    const { left, right } = connectedPeers();
    let aborted = false;
    right.setRequestHandler('forever', async (_params, context) => {
      context.signal.addEventListener('abort', () => (aborted = true));
      for (let index = 0; !context.signal.aborted; index += 1) {
        context.progress(index);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return 'stopped';
    });
    const stream = left.stream(
      'forever',
      {},
      { timeoutMs: Number.POSITIVE_INFINITY, overflow: 'drop-oldest' },
    );
    for await (const value of stream) if ((value as number) >= 3) break;
    await vi.waitFor(() => expect(aborted).toBe(true));
    await expect(stream.result).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
  });

  test('breaking out of the loop after the response arrived settles the result with it', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('count', (_params, context) => {
      for (let index = 0; index < 5; index += 1) context.progress(index);
      return 'counted';
    });
    const stream = left.stream('count');
    let outcome: unknown = 'pending';
    void stream.result.then(
      (value) => (outcome = value),
      (error: unknown) => (outcome = error),
    );
    for await (const value of stream) {
      expect(value).toBe(0);
      // The response arrives while the other four values are still buffered.
      await vi.waitFor(() => expect(left.pendingCalls).toBe(0));
      break;
    }
    await vi.waitFor(() => expect(outcome).toBe('counted'));
  });

  test('overlapping next() calls settle in order, each with the next value', async () => {
    const { left, right } = connectedPeers();
    right.setRequestHandler('count', (_params, context) => {
      context.progress('a');
      context.progress('b');
      return 'counted';
    });
    const iterator = left.stream('count')[Symbol.asyncIterator]();
    const settled: { read: number; result: IteratorResult<unknown> }[] = [];
    [iterator.next(), iterator.next(), iterator.next()].forEach(
      (next, read) => void next.then((result) => settled.push({ read, result })),
    );
    await vi.waitFor(() =>
      expect(settled).toEqual([
        { read: 0, result: { value: 'a', done: false } },
        { read: 1, result: { value: 'b', done: false } },
        { read: 2, result: { value: undefined, done: true } },
      ]),
    );
  });
});
