import { describe, expect, test } from 'vitest';
import { cancelledRequest, dialects, inboundProgress, progressReporter } from './dialects.js';

describe('dialects', () => {
  test.each([
    ['lifeline', { method: '$/cancel', params: { id: 4 } }],
    ['lsp', { method: '$/cancelRequest', params: { id: 4 } }],
    ['mcp', { method: 'notifications/cancelled', params: { requestId: 4, reason: 'why' } }],
  ] as const)(
    '%s cancels with its own notification, which every peer understands',
    (name, expected) => {
      const sent = dialects[name].cancellation(4, 'why');
      expect(sent).toEqual(expected);
      expect(cancelledRequest(sent.method, sent.params)).toBe(4);
    },
  );

  test('a cancellation without an id is recognised but names nothing; other methods are not cancellations', () => {
    expect(cancelledRequest('$/cancelRequest', {})).toBeNull();
    expect(cancelledRequest('notifications/message', { id: 1 })).toBeUndefined();
  });

  test('stream tokens: attached where the dialect puts them, a caller’s own token kept, array params left alone', () => {
    expect(dialects.lsp.tagStreamRequest(5, { q: 1 })).toEqual({
      params: { q: 1, workDoneToken: 5, partialResultToken: 5 },
      token: 5,
    });
    expect(dialects.lsp.tagStreamRequest(5, { partialResultToken: 'mine' })).toEqual({
      params: { partialResultToken: 'mine' },
      token: 'mine',
    });
    expect(dialects.mcp.tagStreamRequest(5, { name: 't', _meta: { other: 1 } })).toEqual({
      params: { name: 't', _meta: { other: 1, progressToken: 5 } },
      token: 5,
    });
    expect(dialects.mcp.tagStreamRequest(5, [1])).toEqual({ params: [1], token: undefined });
    expect(dialects.lifeline.tagStreamRequest(5, [1])).toEqual({ params: [1], token: 5 });
  });

  test('inbound progress of every dialect is read into token and value', () => {
    expect(inboundProgress('$/progress', { id: 1, value: 'a' })).toEqual({ token: 1, value: 'a' });
    expect(inboundProgress('$/progress', { token: 't', value: 'b' })).toEqual({
      token: 't',
      value: 'b',
    });
    expect(
      inboundProgress('notifications/progress', {
        progressToken: 2,
        progress: 1,
        total: 4,
        message: 'm',
      }),
    ).toEqual({
      token: 2,
      value: { progress: 1, total: 4, message: 'm' },
    });
    expect(inboundProgress('$/progress', { value: 'no token' })).toBeUndefined();
  });

  test('a handler reports progress by the token its request carried, or by id when speaking Lifeline', () => {
    expect(progressReporter(dialects.lsp, 1, { workDoneToken: 'w' })?.({ kind: 'report' })).toEqual(
      {
        method: '$/progress',
        params: { token: 'w', value: { kind: 'report' } },
      },
    );
    expect(progressReporter(dialects.lifeline, 1, {})?.(3)).toEqual({
      method: '$/progress',
      params: { id: 1, value: 3 },
    });
    expect(progressReporter(dialects.mcp, 1, {})).toBeUndefined();
  });
});
