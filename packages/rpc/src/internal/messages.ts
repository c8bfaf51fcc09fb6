/** A JSON-RPC request id. */
export type RequestId = string | number;

/** The error member of an error response. */
export interface ErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** What {@link classifyMessage} makes of one inbound value. */
export type ClassifiedMessage =
  | { kind: 'request'; id: RequestId | null; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'response'; id: RequestId | null; result: unknown; error: ErrorObject | undefined }
  | { kind: 'invalid'; id: RequestId | null; reason: string }
  /** Shaped like a response (an id, a result or an error, no method) but not a valid one. */
  | { kind: 'invalid-response'; id: RequestId | null; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isValidId(value: unknown): value is RequestId | null {
  return (
    value === null ||
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Sorts one (non-batch) inbound value into request, notification, response or invalid. */
export function classifyMessage(message: unknown): ClassifiedMessage {
  if (!isRecord(message))
    return { kind: 'invalid', id: null, reason: 'a JSON-RPC message must be an object' };
  const id = 'id' in message && isValidId(message.id) ? message.id : null;
  // Never answered, even when invalid: its id names a call of ours, not a request of the peer's.
  const responseShaped =
    !('method' in message) && 'id' in message && ('result' in message || 'error' in message);
  const invalid = responseShaped ? 'invalid-response' : 'invalid';
  if (message.jsonrpc !== '2.0') {
    return { kind: invalid, id, reason: 'the "jsonrpc" member must be exactly "2.0"' };
  }
  if ('method' in message) {
    if (typeof message.method !== 'string') {
      return { kind: 'invalid', id, reason: 'the "method" member must be a string' };
    }
    const params = message.params;
    if (params !== undefined && (typeof params !== 'object' || params === null)) {
      return { kind: 'invalid', id, reason: 'the "params" member must be an object or an array' };
    }
    if (!('id' in message)) return { kind: 'notification', method: message.method, params };
    if (!isValidId(message.id)) {
      return {
        kind: 'invalid',
        id: null,
        reason: 'the "id" member must be a string, a number or null',
      };
    }
    return { kind: 'request', id: message.id, method: message.method, params };
  }
  if (responseShaped) {
    if ('result' in message && 'error' in message) {
      return { kind: invalid, id, reason: 'a response has either "result" or "error", not both' };
    }
    const error = message.error;
    if (
      error !== undefined &&
      !(isRecord(error) && typeof error.code === 'number' && typeof error.message === 'string')
    ) {
      return {
        kind: invalid,
        id,
        reason: 'the "error" member must have a numeric code and a message',
      };
    }
    return {
      kind: 'response',
      id,
      result: message.result,
      error:
        error === undefined
          ? undefined
          : { code: error.code as number, message: error.message as string, data: error.data },
    };
  }
  return {
    kind: 'invalid',
    id,
    reason: 'the object is neither a request, a notification nor a response',
  };
}

/** Builds an error response. */
export function errorResponse(id: RequestId | null, error: ErrorObject): object {
  return { jsonrpc: '2.0', id, error };
}
