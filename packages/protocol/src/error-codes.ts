/**
 * Application error codes carried in JSON-RPC errors by gateways and hosts (the
 * implementation-defined -32000…-32099 range), so clients can react without parsing messages.
 */
export const LifelineErrorCode = {
  /** No session has this id. `error.data`: `{ sid }`. */
  SessionNotFound: -32001,
  /** A command or input is larger than the limit. `error.data`: `{ limit, size }`. */
  PayloadTooLarge: -32002,
  /**
   * The session host could not be started or reached, or (`reason: 'no-shell'`) keys were sent to
   * a session where no shell runs (they are never typed into a new one). `error.data`:
   * `{ sid, reason }`.
   */
  HostUnavailable: -32003,
  /**
   * A run could not start before its timeout because another run of the session still runs; the
   * command was not typed. `error.data`: `{ sid, runningRunId }`.
   */
  SessionBusy: -32004,
  /**
   * The session's event log is damaged (a record missing or unreadable) at the seq named: the
   * events before it were served, none after it can be. `error.data`: `{ sid, seq, file }`.
   */
  SessionUnreadable: -32005,
  /**
   * The gateway ran out of a system resource it needed (file descriptors: `EMFILE`, `ENFILE`; room
   * on the disk of its state directory: `ENOSPC`, `EDQUOT`), so nothing was done (no session was
   * created); try again once fewer connections are open, or once there is room. `error.data`:
   * `{ errno }`.
   */
  OutOfResources: -32006,
  /**
   * A live session already has the name a session was to be started or renamed with, so nothing
   * was done: choose another, or rename that one first. `error.data`: `{ name, sid }` (the holder).
   */
  NameTaken: -32007,
  /**
   * The session's shell had ended, and the directory it was in no longer exists: a new shell would
   * start in the home directory instead, so the command someone typed was not run, and the session
   * now starts its next shell there (the same command sent again runs there). `error.data`:
   * `{ sid, cwd, newCwd }`.
   */
  DirectoryGone: -32008,
} as const;

/** One of the application error codes. */
export type LifelineErrorCode = (typeof LifelineErrorCode)[keyof typeof LifelineErrorCode];
