import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';

/**
 * Runs `read`, turning damage found in the session's log into a `SessionUnreadable` error that
 * names the place (seq and file), so that a client is told rather than served a short answer.
 */
export function readingSession<Result>(sid: string, read: () => Result): Result {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof EventLogDamagedError)) throw error;
    throw new RpcError(LifelineErrorCode.SessionUnreadable, `session ${sid}: ${error.message}`, {
      data: { sid, seq: error.seq ?? null, file: error.file },
    });
  }
}
