import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import {
  CRASH_LOG_LINE_LIMIT,
  formatCrashLogLine,
  parseCrashLogLine,
  sanitiseKey,
  type CrashLogLineInput,
} from './line-format.js';

const time = '2026-11-22T00:42:57.123Z';
const line = (event: string, fields: Array<[string, string]> = [], source = 'gateway'): string =>
  formatCrashLogLine({ source, time, event, fields });

// Nothing that could start a new line or drive a terminal may appear raw.
const forbidden =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('formatCrashLogLine', () => {
  test('writes the documented shape, bare values where they are safe', () => {
    expect(
      line('child.exit', [
        ['code', '1'],
        ['signal', 'SIGKILL'],
      ]),
    ).toBe('[gateway] 2026-11-22T00:42:57.123Z child.exit code=1 signal=SIGKILL');
    expect(line('ready')).toBe('[gateway] 2026-11-22T00:42:57.123Z ready');
  });

  test('quotes values with spaces, `=`, quotes, backslashes or nothing at all', () => {
    expect(line('spawn', [['argv', 'node gateway.js --stdio']])).toContain(
      'argv="node gateway.js --stdio"',
    );
    expect(line('e', [['expr', 'a=b']])).toContain('expr="a=b"');
    expect(line('e', [['quote', 'say "hi"']])).toContain('quote="say \\"hi\\""');
    expect(line('e', [['path', 'C:\\tmp']])).toContain('path="C:\\\\tmp"');
    expect(line('e', [['empty', '']])).toContain('empty=""');
  });

  test('collapses CR, LF and CRLF to one visible \\n and escapes every other control character', () => {
    expect(line('e', [['stderr', 'one\r\ntwo\nthree\rfour']])).toContain(
      'stderr="one\\ntwo\\nthree\\nfour"',
    );
    expect(line('e', [['v', '\u001b[31mred\u0007\u007f\u0085\u2028\u202e\t']])).toContain(
      'v="\\x1b[31mred\\x07\\x7f\\x85\\u2028\\u202e\\t"',
    );
  });

  test('cannot forge a second entry or a fake source through a value, key, event or source', () => {
    const forged = line(
      'evil\n[tui] 2026-01-01T00:00:00.000Z fake',
      [['k\ney', 'x\n[tui] 2026-01-01T00:00:00.000Z forged']],
      'gate]way\n',
    );
    expect(forged).not.toMatch(/[\r\n]/);
    const entry = parseCrashLogLine(forged);
    expect(entry?.source).toBe('gate_way_');
    expect(entry?.event).toBe('evil_[tui]_2026-01-01T00:00:00.000Z_fake');
    expect(entry?.fields).toEqual({ k_ey: 'x\n[tui] 2026-01-01T00:00:00.000Z forged' });
  });

  test('caps a breadcrumb at 4096 characters with a marker saying how much was cut', () => {
    const long = line('e', [
      ['a', 'short'],
      ['b', 'x'.repeat(10_000)],
      ['c', 'never reached'],
    ]);
    expect(long.length).toBeLessThanOrEqual(CRASH_LOG_LINE_LIMIT);
    expect(long).toMatch(/ … \[truncated \d+ chars\]$/);
    const entry = parseCrashLogLine(long);
    expect(entry?.fields.a).toBe('short');
    expect(entry?.fields.b).toMatch(/^x+$/);
    expect(entry?.fields.c).toBeUndefined();
    const full = formatCrashLogLine(
      {
        source: 'gateway',
        time,
        event: 'e',
        fields: [
          ['a', 'short'],
          ['b', 'x'.repeat(10_000)],
          ['c', 'never reached'],
        ],
      },
      Number.POSITIVE_INFINITY,
    );
    const marker = ` … [truncated ${entry?.truncatedChars} chars]`;
    expect(entry?.truncatedChars).toBe(full.length - (long.length - marker.length));
  });

  test.each([
    ['with spaces', 'x y'.repeat(3000)],
    ['with escapes', 'line\n"quoted"\\'.repeat(1000)],
  ])('counts exactly the characters cut from a quoted value %s', (_kind, value) => {
    const input: CrashLogLineInput = {
      source: 'gateway',
      time,
      event: 'e',
      fields: [
        ['a', 'short'],
        ['b', value],
      ],
    };
    const long = formatCrashLogLine(input);
    const full = formatCrashLogLine(input, Number.POSITIVE_INFINITY);
    const entry = parseCrashLogLine(long);
    const keptValue = entry?.fields.b ?? '';
    expect(keptValue.length).toBeGreaterThan(0);
    expect(value.startsWith(keptValue)).toBe(true);
    const marker = ` … [truncated ${entry?.truncatedChars} chars]`;
    expect(entry?.truncatedChars).toBe(full.length - (long.length - marker.length));
  });

  test('replaces whitespace, quotes, backslashes, `=` and brackets in the source, and `=` in the event and keys', () => {
    const entry = parseCrashLogLine(
      line('child=exit', [['exit=code', '1']], 'host:a=b [c]"d\\e\tf'),
    );
    expect(entry?.source).toBe('host:a_b__c__d_e_f');
    expect(entry?.event).toBe('child_exit');
    expect(entry?.fields).toEqual({ exit_code: '1' });
  });

  test('never cuts inside an escape sequence or a surrogate pair', () => {
    for (let offset = 0; offset < 12; offset += 1) {
      const value = `${'a'.repeat(offset)}${'\u001b😀"'.repeat(2000)}`;
      const result = line('e', [['v', value]]);
      expect(result.length).toBeLessThanOrEqual(CRASH_LOG_LINE_LIMIT);
      expect(result).not.toMatch(loneSurrogate);
      const entry = parseCrashLogLine(result);
      expect(entry).toBeDefined();
      expect(value.startsWith(entry!.fields.v!)).toBe(true);
    }
  });
});

describe('parseCrashLogLine', () => {
  test('reads back source, time, event and fields', () => {
    expect(
      parseCrashLogLine(
        '[host:s_01hzy3k7m2q9v8c4x6t1b5n0rd] 2026-11-22T00:42:57.123Z host.start pid=42 cwd="/home/me/my project"',
      ),
    ).toEqual({
      source: 'host:s_01hzy3k7m2q9v8c4x6t1b5n0rd',
      time: '2026-11-22T00:42:57.123Z',
      epochMs: Date.parse('2026-11-22T00:42:57.123Z'),
      event: 'host.start',
      fields: { pid: '42', cwd: '/home/me/my project' },
      truncatedChars: 0,
    });
  });

  test('keeps a `__proto__` key as a plain field', () => {
    const entry = parseCrashLogLine(line('e', [['__proto__', 'x']]));
    expect(Object.getPrototypeOf(entry?.fields)).toBe(Object.prototype);
    expect(Object.keys(entry?.fields ?? {})).toEqual(['__proto__']);
  });

  test.each([
    ['not a crash-log line'],
    ['[gateway] yesterday ready'],
    ['[gateway] 2026-11-22T00:42:57.123Z e stray'],
    ['[gateway] 2026-11-22T00:42:57.123Z e k="unterminated'],
    ['[gateway] 2026-11-22T00:42:57.123Z e k="bad \\q escape"'],
    ['[gateway] 2026-11-22T00:42:57.123Z e k="short \\x1"'],
  ])('rejects %j', (text) => {
    expect(parseCrashLogLine(text)).toBeUndefined();
  });
});

const anyText = fc.string({ unit: 'binary', maxLength: 300 });
const controlHeavyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\r',
      '\n',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u2028',
      '\u2029',
      '\u202e',
      '"',
      '\\',
      '=',
      ' ',
      '\t',
      '\ud800',
      '\udc00',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 300,
});
const someText = fc.oneof(anyText, controlHeavyText);
const input: fc.Arbitrary<CrashLogLineInput> = fc.record({
  source: someText,
  time: fc.constant(time),
  event: someText,
  fields: fc.array(
    fc.tuple(someText, fc.oneof(someText, fc.string({ unit: 'binary', maxLength: 6000 }))),
    {
      maxLength: 8,
    },
  ),
});

describe('properties', () => {
  test('any input → exactly one line, no raw control characters, within the cap, parseable', () => {
    fc.assert(
      fc.property(input, (breadcrumb) => {
        const result = formatCrashLogLine(breadcrumb);
        expect(result.split('\n')).toHaveLength(1);
        expect(result).not.toMatch(forbidden);
        expect(result).not.toMatch(loneSurrogate);
        expect(result.length).toBeLessThanOrEqual(CRASH_LOG_LINE_LIMIT);
        expect(parseCrashLogLine(result)).toBeDefined();
      }),
      fuzzParameters('crash-log line: any input is one safe line'),
    );
  });

  test('values round-trip exactly (line breaks as \\n); a truncated line keeps a prefix and counts what it cut', () => {
    const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.]{0,15}$/);
    const fields = fc.uniqueArray(fc.tuple(key, someText), {
      selector: ([name]) => name,
      maxLength: 8,
    });
    fc.assert(
      fc.property(fields, fc.nat(30), (pairs, repeat) => {
        // Sometimes blow the cap to exercise truncation.
        const written = pairs.map(
          ([name, value]) =>
            [name, value.repeat(repeat % 10 === 0 ? repeat * 3 : 1)] as [string, string],
        );
        const breadcrumb: CrashLogLineInput = { source: 'tui', time, event: 'e', fields: written };
        const result = formatCrashLogLine(breadcrumb);
        const entry = parseCrashLogLine(result);
        expect(entry).toBeDefined();
        const parsed = Object.entries(entry!.fields);
        const expected = written.map(([name, value]) => [
          sanitiseKey(name),
          value.replace(/\r\n?/g, '\n'),
        ]);
        if (entry!.truncatedChars === 0) {
          expect(parsed).toEqual(expected);
          return;
        }
        expect(parsed.length).toBeLessThanOrEqual(expected.length);
        parsed.forEach(([name, value], index) => {
          const [expectedName, expectedValue] = expected[index]!;
          expect(name).toBe(expectedName);
          if (index < parsed.length - 1) expect(value).toBe(expectedValue);
          else expect(expectedValue!.startsWith(value)).toBe(true);
        });
        const marker = ` … [truncated ${entry!.truncatedChars} chars]`;
        const full = formatCrashLogLine(breadcrumb, Number.POSITIVE_INFINITY);
        expect(entry!.truncatedChars).toBe(full.length - (result.length - marker.length));
      }),
      fuzzParameters('crash-log line: values round-trip'),
    );
  });
});
