import { DURATION_UNIT_MS, formatDurationSpec, MAX_RUN_TIMEOUT_MS } from '@lifeline/protocol';
import { CliError } from './cli-error.js';

type Unit = keyof typeof DURATION_UNIT_MS;
const whole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
// What the messages give as examples, each in one unit.
const examples = ['500ms', '30s', '5m', '2h', '7d'] as const;
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * Parses a duration such as `500ms`, `30s`, `5m`, `2h`, `7d`, or a sum of them (`1h30m`,
 * `1.5s`), into whole milliseconds.
 * @param flag the flag it was given to, for the error message
 * @param longestMs the longest duration the flag takes, so that the message's examples are all
 *   accepted
 * @default longestMs no limit
 * @throws CliError `usage` for anything else (a bare number, an unknown unit, a negative value)
 */
export function parseDuration(
  text: string,
  flag: string,
  longestMs = Number.POSITIVE_INFINITY,
): number {
  const trimmed = text.trim();
  if (!whole.test(trimmed)) {
    const accepted = examples.filter((example) => parseDuration(example, flag) <= longestMs);
    const listed = `${accepted.slice(0, -1).join(', ')} or ${accepted.at(-1) ?? ''}`;
    throw new CliError('usage', `${flag} takes a duration such as ${listed}, not "${text}"`);
  }
  let total = 0;
  for (const match of trimmed.matchAll(part)) {
    total += Number(match[1]) * DURATION_UNIT_MS[match[2] as Unit];
  }
  const rounded = Math.round(total);
  if (!Number.isSafeInteger(rounded)) throw new CliError('usage', `${flag} ${text} is too long`);
  return rounded;
}

/**
 * `--timeout` of a command that waits for a run: a duration from 1 ms to the gateway's longest.
 * @throws CliError `usage` for anything else
 */
export function parseRunTimeout(text: string): number {
  const timeoutMs = parseDuration(text, '--timeout', MAX_RUN_TIMEOUT_MS);
  if (timeoutMs < 1 || timeoutMs > MAX_RUN_TIMEOUT_MS) {
    throw new CliError(
      'usage',
      `--timeout must be between 1ms and ${formatDurationSpec(MAX_RUN_TIMEOUT_MS)}, not ${text}`,
    );
  }
  return timeoutMs;
}

/** Milliseconds to a tenth of a millisecond, as every duration is printed: `1207.1`, not `1207.0531349999999`. */
export function roundToTenthMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
