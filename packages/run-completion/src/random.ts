/**
 * A source of cryptographically strong random bytes: returns `length` fresh bytes.
 * In Node pass `(length) => crypto.randomBytes(length)`; tests pass a seeded fake.
 */
export type RandomBytes = (length: number) => Uint8Array;

/** {@link RandomBytes} backed by the global Web Crypto API (`crypto.getRandomValues`). */
export const systemRandom: RandomBytes = (length) =>
  globalThis.crypto.getRandomValues(new Uint8Array(length));
