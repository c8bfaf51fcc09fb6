import type { SessionEvent } from '@lifeline/protocol';
import { parseJson } from '@lifeline/transport/ndjson';

/**
 * A record of a session's event log that cannot be decoded, so the log cannot be read past it.
 * Readers and the writer throw it, rather than the bare `SyntaxError`, so that callers can refuse
 * that one session and carry on.
 */
export class EventLogDamagedError extends Error {
  override readonly name = 'EventLogDamagedError';
  constructor(
    /** The segment holding the damaged record. */
    readonly file: string,
    /** The seq the damaged record should have; undefined when not known (the first of a segment). */
    readonly seq: number | undefined,
    options?: ErrorOptions & {
      /** What is wrong there. @default 'the record cannot be decoded' */
      problem?: string;
    },
  ) {
    const where = seq === undefined ? `at the first record of ${file}` : `at seq ${seq} in ${file}`;
    super(
      `event log damaged ${where}: ${options?.problem ?? 'the record cannot be decoded'}; move the session directory aside to start afresh`,
      options,
    );
  }
}

/**
 * Decodes one record of a segment. Long output strings free of escapes are taken as they are
 * rather than read by the JSON parser character by character (see `parseJson`).
 * @param seq the seq the record should have, named in the error
 * @throws EventLogDamagedError when the record is not JSON
 */
export function parseRecord(text: string, file: string, seq: number | undefined): SessionEvent {
  try {
    return parseJson(text) as SessionEvent;
  } catch (error) {
    throw new EventLogDamagedError(file, seq, { cause: error });
  }
}
