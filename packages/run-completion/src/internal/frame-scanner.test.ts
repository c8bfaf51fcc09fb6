import { describe, expect, test } from 'vitest';
import {
  completeFrame,
  continuationFrame,
  promptFrame,
  readyFrame,
  startFrame,
} from '../__fixtures__/frames.js';
import type { Chunk } from './chunk.js';
import { type Frame, MAX_FRAME_LENGTH } from './frame-syntax.js';
import { FrameScanner } from './frame-scanner.js';
import { TokenTable } from './token-table.js';

function tokenTable(entries: [string, string][]): TokenTable<unknown> {
  const table = new TokenTable<unknown>();
  for (const [known, owner] of entries) table.set(known, owner);
  return table;
}

const token = 'Abcdefghijklmnopqrstu_';
const runToken = 'RunTokenRunTokenRunTok';

type Item = string | Frame;

function scan(chunks: Chunk[], { finish = true } = {}): { items: Item[]; scanner: FrameScanner } {
  const items: Item[] = [];
  const decoder = new TextDecoder();
  const scanner = new FrameScanner(
    tokenTable([
      [token, 'session'],
      [runToken, 'run'],
    ]),
    {
      output: (data) => {
        const text = typeof data === 'string' ? data : decoder.decode(data, { stream: true });
        const last = items.at(-1);
        if (typeof last === 'string') items[items.length - 1] = last + text;
        else items.push(text);
      },
      frame: (frame) => items.push(frame),
    },
  );
  for (const chunk of chunks) scanner.push(chunk);
  if (finish) scanner.finish();
  return { items, scanner };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe.each([
  ['strings', (text: string) => text],
  ['bytes', bytes],
] as const)('FrameScanner over %s', (_name, as) => {
  test('removes each frame and reports it between the output before and after it', () => {
    const stream = `before${startFrame(token, 7)}middle${promptFrame(token, 7, 130, '/tmp/a b')}after`;
    expect(scan([as(stream)]).items).toEqual([
      'before',
      { kind: 'S', token, counter: 7, status: -1, cwd: '' },
      'middle',
      { kind: 'P', token, counter: 7, status: 130, cwd: '/tmp/a b' },
      'after',
    ]);
  });

  test('a continuation frame carries its counter, whole or cut at any byte', () => {
    const stream = `> ${continuationFrame(token, 12)}typed`;
    const expected = [
      '> ',
      { kind: 'K', token, counter: 12, status: -1, cwd: '', command: undefined },
      'typed',
    ];
    expect(scan([as(stream)]).items).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(scan([as(stream.slice(0, cut)), as(stream.slice(cut))]).items, String(cut)).toEqual(
        expected,
      );
    }
  });

  test("a start frame's command keeps the line ends inside it and drops those it ends with", () => {
    const pasted = 'echo one\necho two\r\n\n';
    expect(scan([as(`${startFrame(token, 4, pasted)}after`)]).items).toEqual([
      { kind: 'S', token, counter: 4, status: -1, cwd: '', command: 'echo one\necho two' },
      'after',
    ]);
  });

  test('a start frame whose command ends in a lone % carries the start of a line cut short', () => {
    const head = `echo ${'x'.repeat(40)} 50%25 日`;
    const cutInCharacter = `${head}%E6%97`;
    expect(
      scan([
        as(
          `\x1b_lifeline;${token};S;5;${head}%\x1b\\` +
            `\x1b_lifeline;${token};S;6;${cutInCharacter}%\x1b\\` +
            startFrame(token, 7, 'echo 100%'),
        ),
      ]).items,
    ).toEqual([
      {
        kind: 'S',
        token,
        counter: 5,
        status: -1,
        cwd: '',
        command: `echo ${'x'.repeat(40)} 50% 日…`,
        commandCut: true,
      },
      {
        kind: 'S',
        token,
        counter: 6,
        status: -1,
        cwd: '',
        command: `echo ${'x'.repeat(40)} 50% 日…`,
        commandCut: true,
      },
      { kind: 'S', token, counter: 7, status: -1, cwd: '', command: 'echo 100%' },
    ]);
  });

  test('decodes the percent-encoded cwd of a prompt frame and keeps a postamble cwd as printed', () => {
    const weird = '/tmp/100% \x1b[31mred\n\r/日本';
    const { items } = scan([
      as(promptFrame(token, 1, 0, weird) + completeFrame(runToken, 2, '/tmp/50%41')),
    ]);
    expect(items).toEqual([
      { kind: 'P', token, counter: 1, status: 0, cwd: weird },
      { kind: 'C', token: runToken, counter: -1, status: 2, cwd: '/tmp/50%41' },
    ]);
  });

  test('passes look-alike frames with a wrong, truncated or extended token through as output', () => {
    const forged = [
      promptFrame('Zbcdefghijklmnopqrstu_', 1, 0, '/'),
      promptFrame(token.slice(0, -1), 1, 0, '/'),
      promptFrame(`${token}x`, 1, 0, '/'),
      promptFrame('', 1, 0, '/'),
      `\x1b_lifeline;${'a'.repeat(80)};P;1;0;/\x1b\\`,
      '\x1b_lifelin;x\x1b\\',
      '\x1b_Gkitty=1\x1b\\\x1b]0;title\x07\x1b[1;31m',
    ].join('');
    expect(scan([as(`a${forged}b`)]).items).toEqual([`a${forged}b`]);
  });

  test('holds back only a partial frame at the end of a chunk and completes it with the next', () => {
    const frame = promptFrame(token, 3, 1, '/x');
    for (let cut = 1; cut < frame.length; cut++) {
      const { items, scanner } = scan([as(`out${frame.slice(0, cut)}`)], { finish: false });
      expect(items).toEqual(['out']);
      expect(scanner.holds).toBe(true);
      scanner.push(as(`${frame.slice(cut)}rest`));
      expect(items).toEqual([
        'out',
        { kind: 'P', token, counter: 3, status: 1, cwd: '/x' },
        'rest',
      ]);
    }
  });

  test('a held partial without a known token is released as output; one with the token is not', () => {
    const unauthenticated = scan([as(`x\x1b_lifeline;Abc`)], { finish: false });
    expect(unauthenticated.scanner.holdsReleasable).toBe(true);
    unauthenticated.scanner.releaseUnauthenticated();
    expect(unauthenticated.items).toEqual(['x\x1b_lifeline;Abc']);

    const authenticated = scan([as(`x\x1b_lifeline;${token};P;4`)], { finish: false });
    expect(authenticated.scanner.holds).toBe(true);
    expect(authenticated.scanner.holdsReleasable).toBe(false);
    authenticated.scanner.releaseUnauthenticated();
    authenticated.scanner.finish();
    expect(authenticated.items).toEqual(['x']);
  });

  test('a frame with the right token but a broken body is dropped up to the first byte that does not fit', () => {
    const items = scan([
      as(
        `a\x1b_lifeline;${token};S;12x\x1b\\b\x1b_lifeline;${token};Q;1\x1b\\c${readyFrame(token)}`,
      ),
    ]).items;
    expect(items).toEqual([
      'ax\x1b\\bQ;1\x1b\\c',
      { kind: 'R', token, counter: -1, status: -1, cwd: '' },
    ]);
  });

  test('an unterminated frame with the token is dropped once it exceeds the frame limit', () => {
    const longer = MAX_FRAME_LENGTH + 4000;
    const items = scan([as(`\x1b_lifeline;${token};C;0;/${'d'.repeat(longer)}`)]).items;
    expect(items).toHaveLength(1);
    expect(typeof items[0]).toBe('string');
    expect((items[0] as string).includes(token)).toBe(false);
    expect((items[0] as string).length).toBeLessThan(longer);
  });

  test('lone escapes and escapes inside a cwd are handled', () => {
    const items = scan([as(`\x1b\x1b${completeFrame(runToken, 0, '/a\x1bb')}\x1b`)]).items;
    expect(items).toEqual([
      '\x1b\x1b',
      { kind: 'C', token: runToken, counter: -1, status: 0, cwd: '/a\x1bb' },
      '\x1b',
    ]);
  });
});

test('FrameScanner accepts a string chunk after a byte chunk that ended inside a frame', () => {
  const frame = startFrame(token, 1);
  const { items } = scan([bytes(frame.slice(0, 9)), frame.slice(9)]);
  expect(items).toEqual([{ kind: 'S', token, counter: 1, status: -1, cwd: '' }]);
});
