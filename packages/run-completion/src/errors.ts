const marker = Symbol.for('@lifeline/run-completion.error');

/**
 * Stable codes carried by {@link RunCompletionError}. Branch on `error.code`, never on the message.
 *
 * - `INVALID_OPTION`: an option or argument is out of range or of the wrong type.
 * - `INVALID_TOKEN`: a session token is shorter than 128 bits or uses characters outside base64url.
 * - `INVALID_COMMAND`: a command is not a string, is empty, contains control characters, or
 *   (prompt-hook mode) spans several lines.
 * - `REGISTRATION_LIMIT`: `maxRegistrations` runs are already registered and not yet settled.
 * - `UNKNOWN_RUN`: `register()` was given a run that this coordinator did not prepare, or one it
 *   already registered.
 * - `DUPLICATE_RUN_ID`: a caller-chosen run id is already in use by a registered run.
 * - `REENTRANT_INGEST`: `ingest()` was called from inside one of the coordinator's own callbacks.
 * - `UNSUPPORTED_SHELL`: the requested shell and mode cannot work together (fish has no
 *   postamble mode; a shell of unknown kind has no prompt-hook integration).
 */
export type RunCompletionErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_TOKEN'
  | 'INVALID_COMMAND'
  | 'REGISTRATION_LIMIT'
  | 'UNKNOWN_RUN'
  | 'DUPLICATE_RUN_ID'
  | 'REENTRANT_INGEST'
  | 'UNSUPPORTED_SHELL';

/** Options accepted by the {@link RunCompletionError} constructor. */
export interface RunCompletionErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@lifeline/run-completion`. Check with
 * {@link RunCompletionError.isInstance} (it survives duplicate copies of the package) and branch on
 * {@link RunCompletionError.code}.
 */
export class RunCompletionError extends Error {
  /** @internal */
  readonly [marker] = true;
  override readonly name = 'RunCompletionError';
  /** What went wrong, as a stable machine-readable code. */
  readonly code: RunCompletionErrorCode;

  constructor(
    code: RunCompletionErrorCode,
    message: string,
    options: RunCompletionErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** True for any `RunCompletionError`, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is RunCompletionError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
