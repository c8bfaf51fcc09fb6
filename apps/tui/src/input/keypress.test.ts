import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { ATTACH_KEY_SEQUENCE, actionFor } from './key-bindings.js';
import { KeypressParser, neutralisePaste, type InputEvent } from './keypress.js';

function parse(...chunks: string[]): InputEvent[] {
  const parser = new KeypressParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.flush()];
}

describe('KeypressParser', () => {
  test('names the keys a person presses', () => {
    const names = parse('a\r\x7f\t\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[3~\x1b[5~\x1bOA').map(
      (event) => event.kind === 'key' && event.name,
    );
    expect(names).toEqual([
      'char',
      'return',
      'backspace',
      'tab',
      'up',
      'down',
      'right',
      'left',
      'home',
      'end',
      'delete',
      'pageup',
      'up',
    ]);
  });

  test('reads Ctrl, Alt and xterm modifiers, and keeps the exact bytes', () => {
    const [ctrlC, altX, ctrlRight] = parse('\x03\x1bx\x1b[1;5C');
    expect(ctrlC).toMatchObject({ name: 'char', char: 'c', ctrl: true, sequence: '\x03' });
    expect(altX).toMatchObject({ name: 'char', char: 'x', meta: true, sequence: '\x1bx' });
    expect(ctrlRight).toMatchObject({ name: 'right', ctrl: true, sequence: '\x1b[1;5C' });
  });

  test('Ctrl with a letter or with [ \\ ] ^ _ is read as that key', () => {
    expect(parse('\x01\x1a').map((event) => event.kind === 'key' && event.char)).toEqual([
      'a',
      'z',
    ]);
    const [ctrlBackslash, ctrlBracket, ctrlCaret, ctrlUnderscore] = parse('\x1c\x1d\x1e\x1f');
    expect(ctrlBackslash).toMatchObject({ name: 'char', char: '\\', ctrl: true, sequence: '\x1c' });
    expect(ctrlBracket).toMatchObject({ name: 'char', char: ']', ctrl: true, sequence: '\x1d' });
    expect(ctrlCaret).toMatchObject({ name: 'char', char: '^', ctrl: true, sequence: '\x1e' });
    expect(ctrlUnderscore).toMatchObject({ name: 'char', char: '_', ctrl: true, sequence: '\x1f' });
    expect(parse('\x1b')).toEqual([expect.objectContaining({ name: 'escape', sequence: '\x1b' })]);
  });

  test('a lone Escape is a key once input goes quiet', () => {
    const parser = new KeypressParser();
    expect(parser.push('\x1b')).toEqual([]);
    expect(parser.flush()).toEqual([expect.objectContaining({ name: 'escape' })]);
  });

  test('a bracketed paste is one event with its text taken literally, however it is split', () => {
    const pasted = 'line one\r\nline two\x03 \x1b[A tail';
    const whole = `\x1b[200~${pasted}\x1b[201~x`;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: whole.length }), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = points.map((point, index) => whole.slice(points[index - 1] ?? 0, point));
        chunks.push(whole.slice(points.at(-1) ?? 0));
        expect(parse(...chunks)).toEqual([
          { kind: 'paste', text: pasted },
          expect.objectContaining({ kind: 'key', name: 'char', char: 'x' }),
        ]);
      }),
      fuzzParameters('keypress: a paste split anywhere'),
    );
  });

  test('a pasted end marker cannot end the paste early and have the rest typed as keys', () => {
    const events = parse('\x1b[200~safe\x1b[201~rm -rf ~\r\x1b[201~', 'x');
    expect(events).toEqual([
      { kind: 'paste', text: 'safe\x1b[201~rm -rf ~\r' },
      expect.objectContaining({ kind: 'key', char: 'x' }),
    ]);
    expect(parse('\x1b[200~one\x1b[201~\x1b[200~two\x1b[201~')).toEqual([
      { kind: 'paste', text: 'one' },
      { kind: 'paste', text: 'two' },
    ]);
  });

  test('a paste cannot end the bracketed paste of the program it is forwarded to', () => {
    expect(neutralisePaste('safe\x1b[201~rm -rf ~\r')).toBe('saferm -rf ~\r');
  });

  test('multi-byte characters and emoji are one key each', () => {
    expect(parse('é😀').map((event) => event.kind === 'key' && event.char)).toEqual(['é', '😀']);
  });

  test('never throws and never loses a byte of plain text, whatever arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 10 }), (chunks) => {
        const events = parse(...chunks);
        const plain = chunks.join('');
        if (!/[\x00-\x1f\x7f]/.test(plain)) {
          expect(
            events.map((event) => (event.kind === 'key' ? event.sequence : event.text)).join(''),
          ).toBe(plain);
        }
      }),
      fuzzParameters('keypress: fuzzed input'),
    );
  });
});

describe('key bindings', () => {
  test('map keys to actions per context', () => {
    const [up, enter, ctrlC, ctrlD, escape] = parse('\x1b[A\r\x03\x04\x1b\x1b');
    expect(actionFor(up as never, 'prompt')).toBe('history-previous');
    expect(actionFor(up as never, 'picker')).toBe('picker-up');
    expect(actionFor(enter as never, 'prompt')).toBe('submit');
    expect(actionFor(ctrlC as never, 'prompt')).toBe('interrupt');
    expect(actionFor(ctrlD as never, 'prompt')).toBe('quit-if-empty');
    expect(actionFor(escape as never, 'picker')).toBe('picker-cancel');
  });

  test('Ctrl+] hands the terminal to the running program', () => {
    const [ctrlBracket] = parse(ATTACH_KEY_SEQUENCE);
    expect(ATTACH_KEY_SEQUENCE).toBe('\x1d');
    expect(actionFor(ctrlBracket as never, 'prompt')).toBe('attach');
  });
});
