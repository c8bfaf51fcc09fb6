import { createTransportPair } from '@lifeline/transport/testing';
import { describe, expect, test } from 'vitest';
import { PeerExitedError, RpcError, RpcErrorCode } from '../errors.js';
import type { HandlerContext } from '../peer.js';
import { dialects, type DialectName, type OutboundNotification } from './dialects.js';
import { HandlerPool } from './handler-pool.js';

function pool(dialect: DialectName, maxConcurrentHandlers = Number.POSITIVE_INFINITY) {
  const notified: OutboundNotification[] = [];
  const pings: (() => void)[] = [];
  const handlers = new HandlerPool({
    transport: createTransportPair()[0],
    dialect: dialects[dialect],
    maxConcurrentHandlers,
    bindCurrentTransport: true,
    notify: (notification) => notified.push(notification),
    pingPeer: () => new Promise<void>((resolve) => pings.push(resolve)),
    onHandlerError: undefined,
  });
  const answers: object[] = [];
  const respond = (answer: object) => answers.push(answer);
  return { handlers, notified, pings, answers, respond };
}

/** A handler that waits until its signal aborts, then rejects with the reason. */
const untilAborted = (_params: unknown, context: HandlerContext) =>
  new Promise((_resolve, reject) => {
    context.signal.addEventListener('abort', () => reject(context.signal.reason as Error));
  });

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('HandlerPool', () => {
  test('over the cap a request waits; cancelled while waiting, it is answered -32800 without running', async () => {
    const { handlers, answers, respond } = pool('lifeline', 1);
    let runs = 0;
    handlers.setHandler(
      'work',
      (params, context) => {
        runs += 1;
        return untilAborted(params, context);
      },
      undefined,
    );
    handlers.handle(1, 'work', {}, respond);
    handlers.handle(2, 'work', {}, respond);
    expect([handlers.active, handlers.waiting]).toEqual([1, 1]);
    handlers.cancel(2);
    handlers.cancel(1);
    await settled();
    expect(runs).toBe(1);
    expect(answers).toHaveLength(2);
    for (const answer of answers)
      expect(answer).toMatchObject({ error: { code: RpcErrorCode.Cancelled } });
  });

  test('MCP: a request its caller cancelled is not answered', async () => {
    const { handlers, answers, respond } = pool('mcp');
    handlers.setHandler('tools/call', untilAborted, undefined);
    handlers.handle(7, 'tools/call', {}, respond);
    handlers.cancel(7);
    await settled();
    expect(answers).toEqual([]);
  });

  test('MCP: progress goes by the request’s _meta.progressToken, and the answer waits for a ping round trip', async () => {
    const { handlers, notified, pings, answers, respond } = pool('mcp');
    handlers.setHandler(
      'tools/call',
      (_params, context) => {
        context.progress({ progress: 1, total: 2 });
        context.progress(2);
        return 'done';
      },
      undefined,
    );
    handlers.handle(3, 'tools/call', { _meta: { progressToken: 'tok' } }, respond);
    expect(notified).toEqual([
      { method: 'notifications/progress', params: { progressToken: 'tok', progress: 1, total: 2 } },
      { method: 'notifications/progress', params: { progressToken: 'tok', progress: 2 } },
    ]);
    await settled();
    expect(answers).toEqual([]);
    pings[0]?.();
    await settled();
    expect(answers).toEqual([{ jsonrpc: '2.0', id: 3, result: 'done' }]);
  });

  test('LSP: progress goes as $/progress for the partialResultToken; without a token there is none', () => {
    const { handlers, notified, respond } = pool('lsp');
    handlers.setHandler(
      'refs',
      (_params, context) => {
        context.progress(['a']);
        return null;
      },
      undefined,
    );
    handlers.handle(1, 'refs', { partialResultToken: 'p' }, respond);
    handlers.handle(2, 'refs', {}, respond);
    expect(notified).toEqual([{ method: '$/progress', params: { token: 'p', value: ['a'] } }]);
  });

  test('rpc.* names are refused, as JSON-RPC reserves them', () => {
    const { handlers } = pool('lifeline');
    expect(() => handlers.setHandler('rpc.discover', () => null, undefined)).toThrow(
      /reserved: JSON-RPC 2.0 keeps rpc\.\*/,
    );
    expect(() => handlers.setHandler('$/custom', () => null, undefined)).not.toThrow();
  });

  test('when the peer goes, running handlers are aborted with PeerExitedError and waiting ones never start', async () => {
    const { handlers, respond } = pool('lifeline', 1);
    const reasons: unknown[] = [];
    let runs = 0;
    handlers.setHandler(
      'work',
      (params, context) => {
        runs += 1;
        context.signal.addEventListener('abort', () => reasons.push(context.signal.reason));
        return untilAborted(params, context);
      },
      undefined,
    );
    handlers.handle(1, 'work', {}, respond);
    handlers.handle(2, 'work', {}, respond);
    handlers.closeAll(new PeerExitedError(undefined, { reason: 'eof' }));
    await settled();
    expect(runs).toBe(1);
    expect(reasons).toHaveLength(1);
    expect(PeerExitedError.isInstance(reasons[0])).toBe(true);
  });

  test('a handler’s RpcError is answered with its code and data; any other error as -32603 without its stack', () => {
    const { handlers, answers, respond } = pool('lifeline');
    handlers.setHandler(
      'typed',
      () => {
        throw new RpcError(-32005, 'typed failure', { data: { at: 1 } });
      },
      undefined,
    );
    handlers.setHandler(
      'crash',
      () => {
        throw new Error('boom');
      },
      undefined,
    );
    handlers.handle(1, 'typed', undefined, respond);
    handlers.handle(2, 'crash', undefined, respond);
    handlers.handle(3, 'missing', undefined, respond);
    expect(answers).toEqual([
      { jsonrpc: '2.0', id: 1, error: { code: -32005, message: 'typed failure', data: { at: 1 } } },
      {
        jsonrpc: '2.0',
        id: 2,
        error: { code: RpcErrorCode.InternalError, message: 'Internal error in "crash": boom' },
      },
      {
        jsonrpc: '2.0',
        id: 3,
        error: { code: RpcErrorCode.MethodNotFound, message: 'Method not found: "missing"' },
      },
    ]);
  });
});
