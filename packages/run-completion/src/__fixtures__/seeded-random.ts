import type { RandomBytes } from '../random.js';

/** A deterministic {@link RandomBytes} (xorshift32) for reproducible tests. */
export function seededRandom(seed = 0x2545f491): RandomBytes {
  let state = seed | 0 || 1;
  return (length) => {
    const bytes = new Uint8Array(length);
    for (let index = 0; index < length; index++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[index] = state & 0xff;
    }
    return bytes;
  };
}
