/** A seeded source of randomness: the same seed replays the same chaos. */
export interface Random {
  /** The seed it started from. */
  readonly seed: number;
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform integer in [min, max]. */
  integer(min: number, max: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
}

/**
 * A small, fast PRNG (mulberry32) over a 32-bit seed. Not for secrets: only for choosing when and
 * what to kill, reproducibly.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 0x1_0000_0000;
  };
  return {
    seed: seed >>> 0,
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
  };
}

/** A fresh 32-bit seed, for runs that were not given one. */
export function freshSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
}
