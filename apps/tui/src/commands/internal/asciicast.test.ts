import type { SessionEvent } from '@lifeline/protocol';
import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { AsciicastEncoder } from './asciicast.js';
import { validateAsciicast } from '../../test-utils/asciicast-validator.js';

const t0 = 1_795_000_000_123;

function encodeAll(
  events: SessionEvent[],
  options?: ConstructorParameters<typeof AsciicastEncoder>[0],
): string[] {
  const encoder = new AsciicastEncoder(options);
  return [...events.flatMap((event) => encoder.push(event)), ...encoder.end()];
}

describe('AsciicastEncoder', () => {
  test('header sized by the first resize, output and later resizes timed from the first event', () => {
    const lines = encodeAll(
      [
        { type: 'host_start', pid: 1, cwd: '/', seq: 0, time: t0 },
        { type: 'resize', cols: 120, rows: 40, seq: 1, time: t0 + 1 },
        { type: 'output', data: '$ ', seq: 2, time: t0 + 250 },
        { type: 'input', data: 'ls\r', seq: 3, time: t0 + 300 },
        { type: 'resize', cols: 100, rows: 30, seq: 4, time: t0 + 1500 },
        { type: 'output', data: 'a\r\n', seq: 5, time: t0 + 2001 },
      ],
      { title: 'work', env: { SHELL: '/bin/bash' } },
    );
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        version: 2,
        width: 120,
        height: 40,
        timestamp: Math.floor(t0 / 1000),
        title: 'work',
        env: { SHELL: '/bin/bash' },
      },
      [0.25, 'o', '$ '],
      [1.5, 'r', '100x30'],
      [2.001, 'o', 'a\r\n'],
    ]);
  });

  test("the header's TERM is the one the log's first host_start recorded; a log without one has none", () => {
    const header = (events: SessionEvent[]) =>
      JSON.parse(encodeAll(events, { env: { SHELL: '/bin/zsh' } })[0] ?? '') as {
        env?: Record<string, string>;
      };
    expect(
      header([
        { type: 'host_start', pid: 1, cwd: '/', term: 'screen-256color', seq: 0, time: t0 },
        { type: 'resize', cols: 80, rows: 24, seq: 1, time: t0 },
        { type: 'host_start', pid: 2, cwd: '/', term: 'xterm-kitty', seq: 2, time: t0 },
      ]).env,
    ).toEqual({ SHELL: '/bin/zsh', TERM: 'screen-256color' });
    expect(
      header([
        { type: 'host_start', pid: 1, cwd: '/', seq: 0, time: t0 },
        { type: 'resize', cols: 80, rows: 24, seq: 1, time: t0 },
      ]).env,
    ).toEqual({ SHELL: '/bin/zsh' });
  });

  test('a log without a resize: the fallback size, and an empty log is a header alone', () => {
    expect(
      JSON.parse(
        encodeAll([{ type: 'output', data: 'x', seq: 0, time: t0 }], {
          fallbackSize: { cols: 90, rows: 20 },
        })[0] ?? '',
      ),
    ).toMatchObject({ width: 90, height: 20 });
    expect(encodeAll([])).toHaveLength(1);
  });

  test('any event sequence gives a valid recording whose output is the log output, in order', () => {
    const event = fc.oneof(
      fc.record({
        type: fc.constant('output' as const),
        data: fc.string({ unit: 'binary', maxLength: 20 }),
      }),
      fc.record({
        type: fc.constant('resize' as const),
        cols: fc.integer({ min: 1, max: 1000 }),
        rows: fc.integer({ min: 1, max: 1000 }),
      }),
      fc.record({ type: fc.constant('input' as const), data: fc.string({ maxLength: 5 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(event, fc.integer({ min: -5000, max: 5000 })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (specs, lookahead) => {
          let time = t0;
          const events = specs.map(([payload, step], seq) => {
            time += step;
            return { ...payload, seq, time };
          });
          const lines = encodeAll(events, { lookahead });
          const problems = validateAsciicast(`${lines.join('\n')}\n`);
          const output = lines
            .slice(1)
            .map((line) => JSON.parse(line) as [number, string, string])
            .filter((frame) => frame[1] === 'o')
            .map((frame) => frame[2]);
          const expected = events.filter((item) => item.type === 'output').map((item) => item.data);
          return problems.length === 0 && JSON.stringify(output) === JSON.stringify(expected);
        },
      ),
      fuzzParameters('asciicast encoding'),
    );
  });

  test('the validator used on real recordings rejects what players would choke on', () => {
    const header = '{"version":2,"width":80,"height":24,"timestamp":1}';
    expect(validateAsciicast(`${header}\n[0.5,"o","a"]\n[1,"r","90x30"]\n`)).toEqual([]);
    expect(validateAsciicast(`${header}\n[1,"o","a"]\n[0.5,"o","b"]\n`)).toEqual([
      'line 3: time 0.5 goes back from 1',
    ]);
    expect(validateAsciicast('{"version":1,"width":80,"height":24,"timestamp":1}\n')).toEqual([
      'version is 1, not 2',
    ]);
    expect(validateAsciicast(`${header}\n[0,"x",1]\n[0,"r","wide"]`)).toEqual([
      'the file does not end with a newline',
      'line 2: unknown code x',
      'line 2: data is not a string',
    ]);
  });
});
