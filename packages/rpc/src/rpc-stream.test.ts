import { describe, expect, test, vi } from 'vitest';
import { RpcErrorCode } from './errors.js';
import type { OverflowPolicy } from './rpc-stream.js';
import { connectedPeers } from './test-utils/pair.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
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
        return { name, progress, result, resultWasLast: order.lastIndexOf('progress') < order.indexOf('result') };
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

  test('error fails the stream, cancels the call and says how to fix it', async () => {
    const { stream, release } = overflowRun('error');
    const failure = await stream.result.catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: RpcErrorCode.StreamOverflow });
    expect((failure as Error).message).toMatch(/raise bufferSize/);
    release();
    await expect(collect(stream)).rejects.toMatchObject({ code: RpcErrorCode.StreamOverflow });
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
    const stream = left.stream('forever', {}, { timeoutMs: Number.POSITIVE_INFINITY, overflow: 'drop-oldest' });
    for await (const value of stream) if ((value as number) >= 3) break;
    await vi.waitFor(() => expect(aborted).toBe(true));
    await expect(stream.result).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
  });
});
