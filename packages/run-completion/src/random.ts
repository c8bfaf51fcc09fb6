/**
 * A source of cryptographically strong random bytes: returns `length` fresh bytes.
 * In Node pass `(length) => crypto.randomBytes(length)`; tests pass a seeded fake.
 */
export type RandomBytes = (length: number) => Uint8Array;

/** Bytes drawn from Web Crypto at once, and handed out a few at a time. */
const POOL_BYTES = 4096;

/** Requests longer than this are drawn on their own rather than from the pool. */
const POOLED_REQUEST_LIMIT = 256;

let pool = new Uint8Array(0);
let poolOffset = 0;

/**
 * {@link RandomBytes} backed by the global Web Crypto API (`crypto.getRandomValues`). Short
 * requests (a run id takes 9 bytes) are served from a pool drawn 4 KiB at a time: each call to
 * Web Crypto costs far more than the bytes it returns, and a session asks for a run id per run.
 * No byte is handed out twice; every call gets its own copy.
 */
export const systemRandom: RandomBytes = (length) => {
  if (length > POOLED_REQUEST_LIMIT)
    return globalThis.crypto.getRandomValues(new Uint8Array(length));
  if (poolOffset + length > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  const bytes = pool.slice(poolOffset, poolOffset + length);
  // Handed out: wiped from the pool, so the pool never holds bytes that are in use.
  pool.fill(0, poolOffset, poolOffset + length);
  poolOffset += length;
  return bytes;
};
