import { isAscii } from 'node:buffer';
import { eventTypes, type SessionEvent } from '@lifeline/protocol';
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
 * that, spliced into another message, it can end nothing but itself) carrying what the gateway
 * routes by: a seq, a time and a known type. Its other fields are the
 * host's, trusted as its answers are once it proved it holds the session's secret (each client
 * checks what it is sent against the contract). An output record is read from its bytes, only
 * its data decoded when it holds escapes; any other record is parsed (it is short).
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

/**
 * The event of an output record, read from its bytes when its data needs no decoding, else with
 * only its data decoded (terminal output escapes its line ends): the rest of the record is the
 * head the writer starts it with.
 */
function outputEvent(record: Buffer): SessionEvent | undefined {
  const head = outputHead.exec(record.toString('latin1', 0, Math.min(record.length, 80)));
  if (head === null) return undefined;
  const dataStart = head[0].length;
  const dataEnd = record.length - 2;
  if (dataEnd < dataStart || record[dataEnd] !== quote || record[dataEnd + 1] !== closingBrace)
    return undefined;
  const data =
    record.indexOf(backslash, dataStart) === -1
      ? plainData(record, dataStart, dataEnd)
      : decodedData(record, dataStart, dataEnd);
  if (data === undefined) return undefined;
  return { seq: Number(head[1]), time: Number(head[2]), type: 'output', data };
}

/**
 * Data without a backslash, `record[start, end)`: its characters are its bytes, once it is known
 * to hold no quote (so nothing follows it in the record) and no raw control character.
 */
function plainData(record: Buffer, start: number, end: number): string | undefined {
  if (record.indexOf(quote, start) !== end || !isJsonText(record)) return undefined;
  return textOf(record, start, end);
}

/**
 * Data with escapes: the string token from the quote before `start` to the one at `end`, decoded.
 * The parser accepts it only as one string, so the record holds nothing after the data.
 */
function decodedData(record: Buffer, start: number, end: number): string | undefined {
  try {
    return JSON.parse(textOf(record, start - 1, end + 1)) as string;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** `bytes[start, end)` as text (UTF-8; read as Latin-1 when ASCII, the same and faster). */
function textOf(bytes: Buffer, start: number, end: number): string {
  const part = bytes.subarray(start, end);
  return part.toString(isAscii(part) ? 'latin1' : 'utf8');
}

const knownTypes: ReadonlySet<string> = new Set(eventTypes);

/**
 * The event of any other record (not output), decoded, when it has what the gateway routes by.
 * Not checked against the event schema: per event, that check cost the gateway more than the
 * rest of forwarding it.
 */
function parsedEvent(record: Buffer): SessionEvent | undefined {
  let value: unknown;
  try {
    value = parseJson(record.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  return isRoutable(value) ? (value as SessionEvent) : undefined;
}

function isRoutable(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { seq, time, type } = value as Record<string, unknown>;
  // An output record is always written as `outputEvent` reads it: one that is not goes the slow way.
  return (
    isCount(seq) &&
    isCount(time) &&
    typeof type === 'string' &&
    type !== 'output' &&
    knownTypes.has(type)
  );
}

const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;
