import { acceptsSerialized, sendSerialized } from './internal/transport-core.js';
import { SerializedMessage, type JsonTextPart } from './internal/serialized-message.js';
import { parseJson } from './ndjson.js';
import type { Transport } from './transport.js';

export type { JsonTextPart } from './internal/serialized-message.js';

const newline = 0x0a;

function holdsNewline(part: JsonTextPart): boolean {
  return typeof part === 'string' ? part.includes('\n') : part.indexOf(newline) !== -1;
}

/**
 * Sends one message whose JSON text the caller already holds, in pieces (strings, or UTF-8 bytes
 * such as records read from a file), without parsing it and serialising it again: a transport of
 * this package writes the pieces one after the other as the message's frame. The caller vouches
 * that their concatenation is one JSON value; a transport from elsewhere is given the parsed value.
 * @returns as {@link Transport.send}: `false` only when the peer is gone or the transport is closed
 * @throws TypeError when a piece holds a raw newline (JSON text never does, and it would end the
 * frame early); nothing is written
 */
export function sendJsonText(transport: Transport, parts: readonly JsonTextPart[]): boolean {
  if (parts.some(holdsNewline)) {
    throw new TypeError(
      'Cannot send JSON text holding a raw newline: JSON text has none (a newline inside a string is written \\n); nothing was written. Pass the text of one JSON value.',
    );
  }
  const serialized = new SerializedMessage(parts);
  if (acceptsSerialized(transport)) return transport[sendSerialized](serialized);
  return transport.send(parseJson(serialized.text));
}
