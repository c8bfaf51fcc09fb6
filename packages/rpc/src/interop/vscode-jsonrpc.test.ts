import path from 'node:path';
import { spawnTransport, type SpawnedTransport } from '@lifeline/transport';
import { afterEach, describe, expect, test } from 'vitest';
import { RpcError, RpcErrorCode } from '../errors.js';
import { createPeer, type Peer } from '../peer.js';

const fixture = path.join(import.meta.dirname, '..', '__fixtures__', 'vscode-jsonrpc-peer.mjs');
const children: SpawnedTransport[] = [];
afterEach(() => {
  for (const spawned of children.splice(0)) spawned.child.kill('SIGKILL');
});

/** A Lifeline peer speaking the LSP dialect, framed with Content-Length, to a vscode-jsonrpc child. */
function lspPeer(): Peer {
  const spawned = spawnTransport(process.execPath, [fixture], { framing: 'content-length' });
  children.push(spawned);
  return createPeer(spawned.transport, { dialect: 'lsp', defaultTimeoutMs: 20_000 });
}

/** Resolves with the params of the next `method` notification. */
function nextNotification(peer: Peer, method: string): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = peer.onNotification(method, (params) => {
      stop();
      resolve(params);
    });
  });
}

describe('against vscode-jsonrpc (Content-Length framing, LSP dialect)', () => {
  test('requests, notifications and errors with data reach it and come back', async () => {
    const peer = lspPeer();
    expect(await peer.request('echo', { text: 'héllo 🙂', list: [1, 2] })).toEqual({
      text: 'héllo 🙂',
      list: [1, 2],
    });
    const noted = nextNotification(peer, 'noted');
    peer.notify('note', { n: 7 });
    expect(await noted).toEqual({ n: 7 });
    const error = await peer.request('fail', {}).catch((caught: unknown) => caught);
    expect(RpcError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: -32042,
      message: 'the fixture refuses',
      data: { hint: 'by design' },
    });
    peer.close();
  });

  test('cancelling a call sends $/cancelRequest, and the vscode-jsonrpc handler sees its token cancelled', async () => {
    const peer = lspPeer();
    const abort = new AbortController();
    const cancelledThere = nextNotification(peer, 'waitCancelled');
    const call = peer
      .request('wait', {}, { signal: abort.signal })
      .catch((error: unknown) => Promise.reject(error as Error));
    call.catch(() => undefined);
    // Its echo comes back after the fixture has read the wait request.
    await peer.request('echo', {});
    abort.abort(new Error('no longer needed'));
    await expect(call).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
    await cancelledThere;
    peer.close();
  });

  test('stream() yields the $/progress values sent for the partialResultToken it attached', async () => {
    const peer = lspPeer();
    const stream = peer.stream('count', {});
    const values: unknown[] = [];
    for await (const value of stream) values.push(value);
    expect(values).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
    expect(await stream.result).toBe('counted');
    peer.close();
  });

  test('its requests reach Lifeline handlers, with progress by its token and errors with data', async () => {
    const peer = lspPeer();
    peer.setRequestHandler('double', (params) => ({ doubled: (params as { n: number }).n * 2 }));
    peer.setRequestHandler('report', (_params, context) => {
      context.progress({ done: 50 });
      context.progress({ done: 100 });
      return 'reported';
    });
    peer.setRequestHandler('refuse', () => {
      throw new RpcError(-32010, 'Lifeline refuses', { data: { why: 'test' } });
    });
    expect(await peer.request('ask', { method: 'double', params: { n: 21 } })).toEqual({
      result: { doubled: 42 },
      progress: [],
    });
    expect(await peer.request('ask', { method: 'report', params: {} })).toEqual({
      result: 'reported',
      progress: [{ done: 50 }, { done: 100 }],
    });
    expect(await peer.request('ask', { method: 'refuse', params: {} })).toMatchObject({
      error: { code: -32010, message: 'Lifeline refuses', data: { why: 'test' } },
    });
    peer.close();
  });

  test('its $/cancelRequest aborts the Lifeline handler’s signal, which answers RequestCancelled', async () => {
    const peer = lspPeer();
    let sawReason: unknown;
    peer.setRequestHandler('block', (_params, context) => {
      peer.notify('started', {});
      return new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => {
          sawReason = context.signal.reason;
          reject(context.signal.reason as Error);
        });
      });
    });
    const answer = await peer.request('ask', { method: 'block', params: {}, cancelOn: 'started' });
    expect(answer).toMatchObject({ error: { code: RpcErrorCode.Cancelled } });
    expect(RpcError.isInstance(sawReason) && sawReason.code).toBe(RpcErrorCode.Cancelled);
    peer.close();
  });
});
