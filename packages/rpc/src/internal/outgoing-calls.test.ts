import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { PeerExitedError, RpcError, RpcErrorCode } from '../errors.js';
import { StreamState } from '../rpc-stream.js';
import { dialects, type DialectName, type OutboundNotification } from './dialects.js';
import { OutgoingCalls } from './outgoing-calls.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function calls(dialect: DialectName = 'lifeline') {
  const sent: object[] = [];
  const notified: OutboundNotification[] = [];
  const stats = { unknownResponses: 0, duplicateResponses: 0, lateResponses: 0 };
  const outgoing = new OutgoingCalls({
    dialect: dialects[dialect],
    defaultTimeoutMs: 1000,
    send: (message) => {
      sent.push(message);
      return true;
    },
    notify: (notification) => notified.push(notification),
    onProtocolError: undefined,
    stats,
  });
  return { outgoing, sent, notified, stats };
}

/** Starts a call and returns its id and settled outcome. */
function call(
  outgoing: OutgoingCalls,
  method: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
) {
  const outcome: { value?: unknown; error?: unknown } = {};
  const id = outgoing.start(
    method,
    {},
    options,
    (value) => (outcome.value = value),
    (error) => (outcome.error = error),
    undefined,
  );
  return { id, outcome };
}

describe('OutgoingCalls', () => {
  test('a call past its deadline rejects with a timeout, tells the peer in its dialect, and its late answer is counted', () => {
    const { outgoing, notified, stats } = calls('mcp');
    const slow = call(outgoing, 'slow', { timeoutMs: 500 });
    const quick = call(outgoing, 'quick');
    vi.advanceTimersByTime(499);
    expect(slow.outcome).toEqual({});
    vi.advanceTimersByTime(1);
    expect(slow.outcome.error).toMatchObject({ code: RpcErrorCode.Timeout });
    expect(notified).toEqual([
      {
        method: 'notifications/cancelled',
        params: {
          requestId: slow.id,
          reason: expect.stringContaining('no answer within 500 ms') as unknown,
        },
      },
    ]);
    outgoing.routeResponse(slow.id ?? null, 'late', undefined);
    outgoing.routeResponse(quick.id ?? null, 'on time', undefined);
    expect(stats.lateResponses).toBe(1);
    expect(quick.outcome.value).toBe('on time');
    expect(outgoing.size).toBe(0);
  });

  test('an aborted signal rejects the call at once and sends $/cancelRequest in the LSP dialect', () => {
    const { outgoing, notified } = calls('lsp');
    const abort = new AbortController();
    const pending = call(outgoing, 'work', { signal: abort.signal });
    abort.abort(new Error('stop'));
    expect(pending.outcome.error).toMatchObject({
      code: RpcErrorCode.Cancelled,
      message: '"work" was cancelled: stop',
    });
    expect(notified).toEqual([{ method: '$/cancelRequest', params: { id: pending.id } }]);
    vi.advanceTimersByTime(5000);
    expect(notified).toHaveLength(1);
  });

  test('a stream’s request carries a progress token, and only progress with that token reaches it', async () => {
    const { outgoing, sent } = calls('lsp');
    const stream = new StreamState('count', 10, 'error', () => undefined);
    const id = outgoing.start(
      'count',
      { uri: 'a' },
      {},
      (value) => stream.finish(value),
      (error) => stream.fail(error),
      stream,
    );
    expect(sent[0]).toEqual({
      jsonrpc: '2.0',
      id,
      method: 'count',
      params: { uri: 'a', workDoneToken: id, partialResultToken: id },
    });
    expect(outgoing.routeProgress(id ?? 0, 1)).toBe(true);
    expect(outgoing.routeProgress('someone else', 2)).toBe(false);
    outgoing.routeResponse(id ?? null, 'done', undefined);
    expect(outgoing.routeProgress(id ?? 0, 3)).toBe(false);
    const values: unknown[] = [];
    for await (const value of stream) values.push(value);
    expect(values).toEqual([1]);
    expect(await stream.result).toBe('done');
  });

  test('error answers carry code and data; unknown and duplicate answers are counted', () => {
    const { outgoing, stats } = calls();
    const failing = call(outgoing, 'fail');
    outgoing.routeResponse(failing.id ?? null, undefined, {
      code: -32001,
      message: 'no',
      data: { why: 1 },
    });
    expect(RpcError.isInstance(failing.outcome.error)).toBe(true);
    expect(failing.outcome.error).toMatchObject({ code: -32001, message: 'no', data: { why: 1 } });
    outgoing.routeResponse(failing.id ?? null, 'again', undefined);
    outgoing.routeResponse(999, 'stranger', undefined);
    expect(stats).toEqual({ unknownResponses: 1, duplicateResponses: 1, lateResponses: 0 });
  });

  test('closing rejects every pending call with PeerExitedError and every later one too; no timer is left', () => {
    const { outgoing } = calls();
    const pending = [call(outgoing, 'a'), call(outgoing, 'b')];
    outgoing.closeAll({ reason: 'peer-gone', exitCode: 1, signal: null });
    for (const { outcome } of pending) expect(PeerExitedError.isInstance(outcome.error)).toBe(true);
    expect(call(outgoing, 'c').outcome.error).toMatchObject({
      message: 'the peer answering "c" is gone (peer-gone, exit code 1)',
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  test('an invalid timeout is refused without sending anything, also once the peer is gone', () => {
    const { outgoing, sent } = calls();
    expect(() => call(outgoing, 'x', { timeoutMs: 0 })).toThrow(
      new TypeError('timeoutMs must be a positive number of milliseconds or Infinity, got 0'),
    );
    expect(() => call(outgoing, 'x', { timeoutMs: '1000' as unknown as number })).toThrow(
      new TypeError('timeoutMs must be a positive number of milliseconds or Infinity, got "1000"'),
    );
    outgoing.closeAll({ reason: 'local' });
    expect(() => call(outgoing, 'x', { timeoutMs: Number.NaN })).toThrow(TypeError);
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a signal that is not an AbortSignal is refused without sending anything, also once the peer is gone; one shaped like an AbortSignal is taken', () => {
    const { outgoing, sent } = calls();
    const controller = new AbortController();
    expect(() => call(outgoing, 'x', { signal: controller as unknown as AbortSignal })).toThrow(
      new TypeError(
        "signal must be an AbortSignal (an AbortController's signal), got an AbortController; pass controller.signal, not the controller",
      ),
    );
    outgoing.closeAll({ reason: 'local' });
    expect(() => call(outgoing, 'x', { signal: 'abort' as unknown as AbortSignal })).toThrow(
      new TypeError(`signal must be an AbortSignal (an AbortController's signal), got "abort"`),
    );
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    // A polyfill's signal, or one from another realm, is not an instance of this AbortSignal.
    const { outgoing: open } = calls();
    const polyfilled = Object.assign(new EventTarget(), { aborted: false, reason: 'stop' });
    const polyfilledCall = call(open, 'y', { signal: polyfilled as unknown as AbortSignal });
    polyfilled.aborted = true;
    polyfilled.dispatchEvent(new Event('abort'));
    expect(polyfilledCall.outcome.error).toMatchObject({ code: RpcErrorCode.Cancelled });
  });
});
