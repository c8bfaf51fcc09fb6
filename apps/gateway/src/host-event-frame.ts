import { isAscii } from 'node:buffer';
import { sessionEventSchema, type SessionEvent } from '@lifeline/protocol';
import { isJsonText, parseJson } from '@lifeline/transport/ndjson';

/**
 * How a host's `host.event` notification starts: the JSON-RPC envelope, up to its params. A host
 * writes the event's log record right after it and one `}` to close the envelope, so the record's
 * bytes cross to the gateway as they are on disk; the frame is the same notification a
 * serialiser would write, so any JSON-RPC peer reads it as one.
 */
export const HOST_EVENT_PREFIX = '{"jsonrpc":"2.0","method":"host.event","params":';

/** The text that ends a `host.event` frame after its record. */
export const HOST_EVENT_SUFFIX = '}';

const prefixLength = HOST_EVENT_PREFIX.length;
const closingBrace = 0x7d;
const openingBrace = 0x7b;
const quote = 0x22;
const backslash = 0x5c;

/** An output record as its writer starts it: seq, time, type, then the data up to its end. */
const outputHead = /^\{"seq":(\d{1,15}),"time":(\d{1,15}),"type":"output","data":"/;

/** A live event that came as its log record's bytes. */
export interface RecordedLiveEvent {
  event: SessionEvent;
  /** The record: the event's JSON text, UTF-8, one JSON object (a copy the caller may keep). */
  record: Buffer;
}

/**
 * Reads a `host.event` frame (its JSON text, starting with {@link HOST_EVENT_PREFIX}) without
 * decoding and serialising its record: the record is checked to be exactly one JSON object (so
 * that, spliced into another message, it can end nothing but itself) and to be an event. An
 * output record whose data needs no decoding (no backslash, no quote inside) is read from its
 * bytes; any other record is parsed (it is short, or its data has escapes to decode).
 * @returns undefined for a frame that is not such a notification, or whose record is not one
 * JSON object holding an event: decode it as any other frame, which reports what is wrong
 */
export function readHostEventFrame(frame: Buffer): RecordedLiveEvent | undefined {
  if (frame.length < prefixLength + 2 || frame[frame.length - 1] !== closingBrace) return undefined;
  if (frame.toString('latin1', 0, prefixLength) !== HOST_EVENT_PREFIX) return undefined;
  if (frame[prefixLength] !== openingBrace) return undefined;
  const record = Buffer.from(frame.subarray(prefixLength, frame.length - 1));
  const event = outputEvent(record) ?? parsedEvent(record);
  return event === undefined ? undefined : { event, record };
}

/** The event of an output record whose data needs no decoding, read from its bytes. */
function outputEvent(record: Buffer): SessionEvent | undefined {
  const head = outputHead.exec(record.toString('latin1', 0, Math.min(record.length, 80)));
  if (head === null) return undefined;
  const dataStart = head[0].length;
  const dataEnd = record.length - 2;
  // The data ends with the record; it holds no quote, hence no other member after it.
  if (dataEnd < dataStart || record[dataEnd] !== quote || record[dataEnd + 1] !== closingBrace)
    return undefined;
  if (record.indexOf(quote, dataStart) !== dataEnd || record.indexOf(backslash, dataStart) !== -1)
    return undefined;
  // No backslash: what is left to check is that no control character stands raw in the data.
  if (!isJsonText(record)) return undefined;
  const seq = Number(head[1]);
  const time = Number(head[2]);
  const data = record.subarray(dataStart, dataEnd);
  return {
    seq,
    time,
    type: 'output',
    data: data.toString(isAscii(data) ? 'latin1' : 'utf8'),
  };
}

/** The event of any other record, decoded and checked against the event schema. */
function parsedEvent(record: Buffer): SessionEvent | undefined {
  let value: unknown;
  try {
    value = parseJson(record.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const checked = sessionEventSchema.safeParse(value);
  return checked.success ? checked.data : undefined;
}
