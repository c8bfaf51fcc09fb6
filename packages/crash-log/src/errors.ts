const marker = Symbol.for('@lifeline/crash-log.error');
/** The marker of versions before the one convention of all Lifeline packages; still recognised. */
const legacyMarker = Symbol.for('lifeline.crash-log.error');

/** Stable codes of {@link CrashLogError}. */
export type CrashLogErrorCode = 'INVALID_OPTION' | 'READ_FAILED' | 'UNSAFE_FILE';

/**
 * The one error type of `@lifeline/crash-log`. Writing a breadcrumb never throws; this is thrown
 * only for a programming error in options, or when the reader cannot read an existing log file;
 * `UNSAFE_FILE` is what a logger reports (once, on stderr) when the log path is a symlink or a
 * file of someone else's.
 */
export class CrashLogError extends Error {
  private readonly [marker] = true;
  override readonly name = 'CrashLogError';
  /** What went wrong, stable across versions. */
  readonly code: CrashLogErrorCode;

  constructor(code: CrashLogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True for a `CrashLogError`, even one from another copy of this package. */
  static isInstance(value: unknown): value is CrashLogError {
    return (
      typeof value === 'object' && value !== null && (marker in value || legacyMarker in value)
    );
  }
}
