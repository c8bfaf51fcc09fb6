import { RecoveryError } from './errors.js';
import { describeValue } from './internal/describe-value.js';

/** The recovery budget and backoff. Every field has a default; see {@link DEFAULT_RECOVERY_POLICY}. */
export interface RecoveryPolicy {
  /**
   * Automatic attempts allowed within one sliding window; one more exit gives up.
   * @default 3
   */
  readonly maxAttempts: number;
  /**
   * Length of the sliding window the attempts are counted in; more than 0, since a window of no
   * length would count no attempt, and every exit would then be answered with an immediate first
   * attempt, without end. To have a child that dies at once given up on, make it longer than the
   * delays of attempts 2 to `maxAttempts` put together (750 ms by default, 600 ms at the most
   * jitter); a shorter window still holds the budget, but restarts such a child forever, at most
   * `maxDelayMs` apart.
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
 * @throws RecoveryError (`INVALID_POLICY`) for overrides that are not an object, a key that is not
 *   one of {@link RecoveryPolicy}'s (a misspelt one, say), and a value that cannot work (not a
 *   number, negative, `windowMs` not > 0, `maxAttempts` not an integer ≥ 1, `jitterRatio` outside
 *   [0, 1))
 */
export function resolveRecoveryPolicy(policy: Partial<RecoveryPolicy> = {}): RecoveryPolicy {
  const overrides: unknown = policy;
  const resolved =
    typeof overrides === 'object' && overrides !== null
      ? { ...DEFAULT_RECOVERY_POLICY, ...overrides }
      : overrides;
  assertRecoveryPolicy(resolved);
  return Object.freeze(resolved);
}

/**
 * @internal Throws unless `policy` is a whole policy that can work: every key of
 * {@link RecoveryPolicy} and no other, each with a usable value.
 * @param hint what to do, added to the message
 */
export function assertRecoveryPolicy(
  policy: unknown,
  hint?: string,
): asserts policy is RecoveryPolicy {
  const fail = (problems: string): never => {
    throw new RecoveryError(
      'INVALID_POLICY',
      `invalid recovery policy: ${problems}${hint === undefined ? '' : `; ${hint}`}`,
    );
  };
  if (typeof policy !== 'object' || policy === null) {
    fail(`expected an object, got ${describeValue(policy)}`);
  }
  const candidate = policy as Record<string, unknown>;
  const knownKeys = Object.keys(DEFAULT_RECOVERY_POLICY);
  const problems = Object.keys(candidate)
    .filter((key) => !knownKeys.includes(key))
    .map((key) => `unknown key ${JSON.stringify(key)} (the keys are ${knownKeys.join(', ')})`);
  const { maxAttempts, windowMs, jitterRatio } = candidate;
  if (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1) {
    problems.push(`maxAttempts must be an integer ≥ 1 (got ${describeValue(maxAttempts)})`);
  }
  if (!Number.isFinite(windowMs) || (windowMs as number) <= 0) {
    problems.push(`windowMs must be a finite number > 0 (got ${describeValue(windowMs)})`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'healthyAfterMs']) {
    const value = candidate[key];
    if (!Number.isFinite(value) || (value as number) < 0) {
      problems.push(`${key} must be a finite number ≥ 0 (got ${describeValue(value)})`);
    }
  }
  if (!(typeof jitterRatio === 'number' && jitterRatio >= 0 && jitterRatio < 1)) {
    problems.push(`jitterRatio must be a number in [0, 1) (got ${describeValue(jitterRatio)})`);
  }
  if (problems.length > 0) fail(problems.join('; '));
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
