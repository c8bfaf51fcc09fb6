import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { CliError } from './cli-error.js';
import { formatDurationSpec } from '@lifeline/protocol';
import { parseDuration, parseRunTimeout } from './duration.js';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    [' 0s ', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  test.each(['30', '', 's', '-1s', '5 m', '2w', '1e3s', 'ms5'])(
    'refuses %j with a usage error naming the flag',
    (text) => {
      const error = (() => {
        try {
          parseDuration(text, '--older-than');
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(CliError.isInstance(error) && error.code).toBe('usage');
      expect((error as Error).message).toMatch(/^--older-than takes a duration such as 500ms, 30s/);
    },
  );

  test('reads back whatever formatDurationSpec writes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        (ms) => parseDuration(formatDurationSpec(ms), '--timeout') === ms,
      ),
      fuzzParameters('duration round trip'),
    );
  });
});

describe('parseRunTimeout', () => {
  test('a refused --timeout names as examples only durations --timeout takes', () => {
    const message = (() => {
      try {
        parseRunTimeout('abc');
      } catch (caught) {
        return (caught as Error).message;
      }
      return '';
    })();
    expect(message).toBe('--timeout takes a duration such as 500ms, 30s, 5m or 2h, not "abc"');
    const named = message.match(/\d+(?:ms|s|m|h|d)/g) ?? [];
    for (const example of named) expect(parseRunTimeout(example)).toBeGreaterThan(0);
  });
});
