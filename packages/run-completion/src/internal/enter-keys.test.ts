import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EnterKeys } from './enter-keys.js';

const pasteStart = '\x1b[200~';
const pasteEnd = '\x1b[201~';

/** Whether typed text, read whole, has a line end outside the paste brackets (the model). */
function entersOutsidePaste(keys: string): boolean {
  let inPaste = false;
  for (let index = 0; index < keys.length;) {
    if (!inPaste && keys.startsWith(pasteStart, index)) {
      inPaste = true;
      index += pasteStart.length;
    } else if (inPaste && keys.startsWith(pasteEnd, index)) {
      inPaste = false;
      index += pasteEnd.length;
    } else {
      if (!inPaste && (keys[index] === '\r' || keys[index] === '\n')) return true;
      index += 1;
    }
  }
  return false;
}

describe('EnterKeys', () => {
  test('Enter and Ctrl+J count; line ends inside a paste do not; the Enter after a paste does', () => {
    const keys = new EnterKeys();
    expect(keys.typed('echo half')).toBe(false);
    expect(keys.typed('\r')).toBe(true);
    expect(keys.typed('x\n')).toBe(true);
    expect(keys.typed(`${pasteStart}a\rb\n${pasteEnd}`)).toBe(false);
    expect(keys.typed(`${pasteStart}a\r${pasteEnd}\r`)).toBe(true);
  });

  test('however the typing is cut into pieces, an Enter counts exactly when the whole has one outside a paste', () => {
    const piece = fc.oneof(
      fc.constantFrom(pasteStart, pasteEnd, '\r', '\n', 'a', ' ', '\x1b', '[', '2', '0', '~', '1'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(40)), (parts, cuts) => {
        const whole = parts.join('');
        const points = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort(
          (a, b) => a - b,
        );
        const pieces: string[] = [];
        let from = 0;
        for (const point of points) {
          pieces.push(whole.slice(from, point));
          from = point;
        }
        pieces.push(whole.slice(from));
        const keys = new EnterKeys();
        const seen = pieces.map((text) => keys.typed(text)).some(Boolean);
        expect(seen).toBe(entersOutsidePaste(whole));
      }),
      fuzzParameters('enter keys'),
    );
  });
});
