const marker = Symbol.for('@lifeline/recovery.error');
/** The marker of versions before the one convention of all Lifeline packages; still recognised. */
const legacyMarker = Symbol.for('lifeline.recovery.error');

/**
 * Stable codes of {@link RecoveryError}.
 *
 * - `INVALID_POLICY`: a recovery policy with an unknown key or a value that cannot work.
 * - `INVALID_OPTION`: another argument or option is missing or of the wrong kind (a supervisor
 *   without `start`, `planRecovery` without its context).
 */
export type RecoveryErrorCode = 'INVALID_POLICY' | 'INVALID_OPTION';

/** The one error type of `@lifeline/recovery`: thrown for bad input, never for a child's death. */
export class RecoveryError extends Error {
  private readonly [marker] = true;
  override readonly name = 'RecoveryError';
  /** What went wrong, stable across versions. */
  readonly code: RecoveryErrorCode;

  constructor(code: RecoveryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True for a `RecoveryError`, even one from another copy of this package. */
  static isInstance(value: unknown): value is RecoveryError {
    return (
      typeof value === 'object' && value !== null && (marker in value || legacyMarker in value)
    );
  }
}
