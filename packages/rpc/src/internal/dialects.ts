import type { RequestId } from './messages.js';

/**
 * The conventions a peer follows beyond JSON-RPC 2.0 itself:
 * - `lifeline`: cancellation `$/cancel {id}`; progress `$/progress {id, value}`, tagged with the
 *   request's id, so every request can stream.
 * - `lsp` (the Language Server Protocol, vscode-jsonrpc): cancellation `$/cancelRequest {id}`;
 *   progress `$/progress {token, value}` for the token the request carried as `workDoneToken` or
 *   `partialResultToken`.
 * - `mcp` (the Model Context Protocol): cancellation `notifications/cancelled {requestId, reason}`,
 *   whose request is then not answered; progress
 *   `notifications/progress {progressToken, progress, total, message}` for the token the request
 *   carried in `params._meta.progressToken`.
 */
export type DialectName = 'lifeline' | 'lsp' | 'mcp';

/** A progress token of LSP or MCP (Lifeline correlates progress by the request id instead). */
export type ProgressToken = string | number;

/** A notification to send: its method and params. */
export interface OutboundNotification {
  method: string;
  params: object;
}

/** How one dialect sends cancellation and tags, sends and reads progress. */
export interface Dialect {
  readonly name: DialectName;
  /** The notification that tells the peer to stop working on request `id`. */
  cancellation(id: RequestId, reason: string): OutboundNotification;
  /**
   * The params of a streaming request with a progress token added, and the token its progress
   * will carry. Params that carry a token already keep it; array params cannot carry one (then no
   * progress is correlated, only the result arrives).
   */
  tagStreamRequest(
    id: RequestId,
    params: unknown,
  ): { params: unknown; token: ProgressToken | undefined };
  /** Whether a request the peer cancelled is still answered (with error -32800). */
  readonly answersCancelledRequests: boolean;
  /**
   * Whether the answer to a request that reported progress waits for a `ping` round trip first.
   * MCP SDK clients handle a notification a microtask after the message that carried it, but a
   * response at once, and forget a request's progress token with its response: progress that
   * arrives in the same read as the response is dropped. The ping's answer comes back only after
   * the client has handled what it read before it.
   */
  readonly pingsBeforeAnsweringProgress: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isToken(value: unknown): value is ProgressToken {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

const lifeline: Dialect = {
  name: 'lifeline',
  cancellation: (id) => ({ method: '$/cancel', params: { id } }),
  tagStreamRequest: (id, params) => ({ params, token: id }),
  answersCancelledRequests: true,
  pingsBeforeAnsweringProgress: false,
};

const lsp: Dialect = {
  name: 'lsp',
  cancellation: (id) => ({ method: '$/cancelRequest', params: { id } }),
  tagStreamRequest(id, params) {
    if (params === undefined)
      return { params: { workDoneToken: id, partialResultToken: id }, token: id };
    if (!isRecord(params)) return { params, token: undefined };
    const own = isToken(params.partialResultToken)
      ? params.partialResultToken
      : params.workDoneToken;
    if (isToken(own)) return { params, token: own };
    return { params: { ...params, workDoneToken: id, partialResultToken: id }, token: id };
  },
  answersCancelledRequests: true,
  pingsBeforeAnsweringProgress: false,
};

const mcp: Dialect = {
  name: 'mcp',
  cancellation: (id, reason) => ({
    method: 'notifications/cancelled',
    params: { requestId: id, reason },
  }),
  tagStreamRequest(id, params) {
    if (params === undefined) return { params: { _meta: { progressToken: id } }, token: id };
    if (!isRecord(params)) return { params, token: undefined };
    const meta = isRecord(params._meta) ? params._meta : {};
    if (isToken(meta.progressToken)) return { params, token: meta.progressToken };
    return { params: { ...params, _meta: { ...meta, progressToken: id } }, token: id };
  },
  answersCancelledRequests: false,
  pingsBeforeAnsweringProgress: true,
};

/** The dialect table. */
export const dialects: Readonly<Record<DialectName, Dialect>> = { lifeline, lsp, mcp };

/**
 * The request a cancellation notification names, in any dialect (a peer understands all of them,
 * whichever it speaks): its id, `null` when the notification names no usable id, or `undefined`
 * when `method` is not a cancellation at all.
 */
export function cancelledRequest(method: string, params: unknown): RequestId | undefined | null {
  if (method !== '$/cancel' && method !== '$/cancelRequest' && method !== 'notifications/cancelled')
    return undefined;
  if (!isRecord(params)) return null;
  const id = method === 'notifications/cancelled' ? params.requestId : params.id;
  return isToken(id) ? id : null;
}

/** A progress notification of any dialect, sorted into its token and value. */
export interface InboundProgress {
  /** The progress token, or (Lifeline) the request id. */
  token: ProgressToken;
  /** What a stream yields: LSP's and Lifeline's `value`; MCP's params without the token. */
  value: unknown;
}

/**
 * Reads a progress notification of any dialect, or `undefined` when `method` and `params` are
 * not one (a `$/progress` without a token or id is not progress anyone could route).
 */
export function inboundProgress(method: string, params: unknown): InboundProgress | undefined {
  if (!isRecord(params)) return undefined;
  if (method === '$/progress') {
    if (isToken(params.token)) return { token: params.token, value: params.value };
    if (isToken(params.id)) return { token: params.id, value: params.value };
    return undefined;
  }
  if (method === 'notifications/progress' && isToken(params.progressToken)) {
    const { progressToken: _token, ...value } = params;
    return { token: params.progressToken, value };
  }
  return undefined;
}

/**
 * How a handler's progress reaches its caller: by the token the request carried (MCP's
 * `_meta.progressToken`, LSP's `partialResultToken` or `workDoneToken`), or, when the peer speaks
 * Lifeline, by the request's id. `undefined` when the caller asked for no progress.
 */
export function progressReporter(
  dialect: Dialect,
  id: RequestId | null,
  params: unknown,
): ((value: unknown) => OutboundNotification) | undefined {
  if (isRecord(params)) {
    const meta = params._meta;
    if (isRecord(meta) && isToken(meta.progressToken)) {
      const progressToken = meta.progressToken;
      return (value) => ({
        method: 'notifications/progress',
        params: isRecord(value) ? { ...value, progressToken } : { progressToken, progress: value },
      });
    }
    const token = isToken(params.partialResultToken)
      ? params.partialResultToken
      : params.workDoneToken;
    if (isToken(token)) return (value) => ({ method: '$/progress', params: { token, value } });
  }
  if (dialect.name === 'lifeline' && id !== null)
    return (value) => ({ method: '$/progress', params: { id, value } });
  return undefined;
}
