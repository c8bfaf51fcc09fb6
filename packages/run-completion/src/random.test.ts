import { describe, expect, test } from 'vitest';
import { systemRandom } from './random.js';

describe('systemRandom', () => {
  test('returns the bytes asked for, each call its own copy, never the same bytes twice', () => {
    const seen = new Set<string>();
    // Well past the pool's size, so it is drawn again on the way.
    for (let index = 0; index < 2000; index += 1) {
      const bytes = systemRandom(9);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes).toHaveLength(9);
      const key = Buffer.from(bytes).toString('hex');
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    const first = systemRandom(16);
    const copy = Uint8Array.from(first);
    systemRandom(16);
    expect(first).toEqual(copy);
  });

  test('serves requests of any length, long ones included', () => {
    for (const length of [0, 1, 255, 256, 257, 4096, 65_536]) {
      expect(systemRandom(length)).toHaveLength(length);
    }
    // 64 KiB of strong randomness is not all zeros.
    expect(systemRandom(65_536).some((byte) => byte !== 0)).toBe(true);
  });
});
