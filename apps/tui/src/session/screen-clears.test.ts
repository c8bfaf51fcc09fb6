import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { ScreenClearScanner, type OutputPiece } from './screen-clears.js';
import { cutAt } from '../terminal/__fixtures__/terminal-output.js';

/** The pieces of `chunks` (one stream), with the held rest flushed at the end; output joined. */
function scan(chunks: string[]): OutputPiece[] {
  const scanner = new ScreenClearScanner();
  const pieces = chunks.flatMap((chunk) => scanner.split(chunk));
  const rest = scanner.flush();
  if (rest !== '') pieces.push({ kind: 'output', data: rest });
  const joined: OutputPiece[] = [];
  for (const piece of pieces) {
    const last = joined.at(-1);
    if (piece.kind === 'output' && last?.kind === 'output')
      joined[joined.length - 1] = { kind: 'output', data: last.data + piece.data };
    else joined.push(piece);
  }
  return joined;
}

describe('ScreenClearScanner', () => {
  test('reports what `clear` sends, in stream order, before the output that holds each erase', () => {
    expect(scan(['1\r\n2\r\n\x1b[H\x1b[2J\x1b[3Jprompt$ '])).toEqual([
      { kind: 'output', data: '1\r\n2\r\n\x1b[H' },
      { kind: 'clear', clear: 'screen' },
      { kind: 'output', data: '\x1b[2J' },
      { kind: 'clear', clear: 'scrollback' },
      { kind: 'output', data: '\x1b[3Jprompt$ ' },
    ]);
  });

  test('the cursor home then an erase down is a clear of the screen (TERM=screen or tmux)', () => {
    for (const home of ['\x1b[H\x1b[J', '\x1b[1;1H\x1b[0J'])
      expect(scan([`1\r\n${home}prompt$ `])).toEqual([
        { kind: 'output', data: '1\r\n' },
        { kind: 'clear', clear: 'screen' },
        { kind: 'output', data: `${home}prompt$ ` },
      ]);
    expect(scan(['a\x1b[H\x1b', '[Jb'])).toEqual([
      { kind: 'output', data: 'a' },
      { kind: 'clear', clear: 'screen' },
      { kind: 'output', data: '\x1b[H\x1b[Jb' },
    ]);
    // Home, then anything before the erase: a redraw, not a clear.
    expect(scan(['\x1b[Hx\x1b[J'])).toEqual([{ kind: 'output', data: '\x1b[Hx\x1b[J' }]);
  });

  test('erases of part of the screen, and look-alikes, are output', () => {
    for (const data of ['\x1b[J', '\x1b[0J', '\x1b[1J', '\x1b[?2J', '\x1b[22J', '[2J', '\x1b[2K'])
      expect(scan([data])).toEqual([{ kind: 'output', data }]);
  });

  test('an erase cut in two between pieces is found whole; a start that never completes is output', () => {
    expect(scan(['a\x1b[', '2Jb'])).toEqual([
      { kind: 'output', data: 'a' },
      { kind: 'clear', clear: 'screen' },
      { kind: 'output', data: '\x1b[2Jb' },
    ]);
    const scanner = new ScreenClearScanner();
    expect(scanner.split('a\x1b[3')).toEqual([{ kind: 'output', data: 'a' }]);
    expect(scanner.flush()).toBe('\x1b[3');
    expect(scanner.flush()).toBe('');
  });

  test('property: however the stream is cut into pieces, the same erases at the same places', () => {
    const part = fc.constantFrom(
      'x',
      '\r\n',
      '\x1b',
      '[',
      '2',
      '3',
      'J',
      '\x1b[2J',
      '\x1b[3J',
      '\x1b[H',
      'H',
      '0',
      '\x1b[J',
    );
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const stream = parts.join('');
          const chunks = cutAt(stream, cuts);
          const whole = scan([stream]);
          expect(scan(chunks)).toEqual(whole);
          // Nothing is lost or added: the output is the stream.
          expect(whole.map((piece) => (piece.kind === 'output' ? piece.data : '')).join('')).toBe(
            stream,
          );
          expect(whole.filter((piece) => piece.kind === 'clear')).toHaveLength(
            stream.split(/\x1b\[(?:[23]J|(?:1;1)?H\x1b\[0?J)/).length - 1,
          );
        },
      ),
      fuzzParameters('screen clears: any cut'),
    );
  });
});
