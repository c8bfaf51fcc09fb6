import { RecoveryError } from './errors.js';

/** The recovery budget and backoff. Every field has a default; see {@link DEFAULT_RECOVERY_POLICY}. */
export interface RecoveryPolicy {
  /**
   * Automatic attempts allowed within one sliding window; one more exit gives up.
   * @default 3
   */
  readonly maxAttempts: number;
  /**
   * Length of the sliding window the attempts are counted in.
   * @default 60_000
   */
  readonly windowMs: number;
  /**
   * Delay before the second attempt; it doubles for each later one (the first is immediate).
   * @default 250
   */
  readonly baseDelayMs: number;
  /**
   * No delay is longer than this, jitter included.
   * @default 5_000
   */
  readonly maxDelayMs: number;
  /**
   * Each delay is moved by up to this fraction either way, so many clients never retry in step.
   * @default 0.2
   */
  readonly jitterRatio: number;
  /**
   * Uptime after ready that counts as healthy and re-arms the whole budget.
   * @default 60_000
   */
  readonly healthyAfterMs: number;
}

/** 3 attempts per sliding 60 s, at once then 250 ms × 2ⁿ ±20% capped at 5 s, re-armed after 60 s up. */
export const DEFAULT_RECOVERY_POLICY: RecoveryPolicy = Object.freeze({
  maxAttempts: 3,
  windowMs: 60_000,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  jitterRatio: 0.2,
  healthyAfterMs: 60_000,
});

/**
 * Fills in the defaults and checks the result.
 * @throws RecoveryError (`INVALID_POLICY`) for a value that cannot work (negative, not a number,
 *   `maxAttempts` not an integer ≥ 1, `jitterRatio` outside [0, 1))
 */
export function resolveRecoveryPolicy(policy: Partial<RecoveryPolicy> = {}): RecoveryPolicy {
  const resolved = { ...DEFAULT_RECOVERY_POLICY, ...policy };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    problems.push(`maxAttempts must be an integer ≥ 1 (got ${resolved.maxAttempts})`);
  }
  for (const key of ['windowMs', 'baseDelayMs', 'maxDelayMs', 'healthyAfterMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) {
      problems.push(`${key} must be a finite number ≥ 0 (got ${resolved[key]})`);
    }
  }
  if (!(resolved.jitterRatio >= 0 && resolved.jitterRatio < 1)) {
    problems.push(`jitterRatio must be in [0, 1) (got ${resolved.jitterRatio})`);
  }
  if (problems.length > 0) {
    throw new RecoveryError('INVALID_POLICY', `invalid recovery policy: ${problems.join('; ')}`);
  }
  return Object.freeze(resolved);
}

/**
 * Delay before attempt `attempt` (1-based): 0 for the first; then `baseDelayMs × 2^(attempt − 2)`
 * capped at `maxDelayMs`, moved by ±`jitterRatio`, and capped again.
 * @param random a uniform number in [0, 1)
 */
export function backoffDelay(
  attempt: number,
  policy: RecoveryPolicy,
  random: () => number,
): number {
  if (attempt <= 1) return 0;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
  const sample = Math.min(Math.max(random(), 0), 1);
  const jittered = exponential * (1 + policy.jitterRatio * (2 * sample - 1));
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(jittered)));
}
