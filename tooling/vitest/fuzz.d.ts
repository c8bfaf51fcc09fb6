import type { Parameters } from 'fast-check';

/**
 * fast-check parameters for one property: 1000 runs by default (`LIFELINE_FUZZ_RUNS` raises it),
 * a seed that fast-check prints on failure (`LIFELINE_FUZZ_SEED` replays it), logged in fuzz mode.
 * @param label what is being checked, printed with the seed in fuzz mode
 * @param overrides extra fast-check parameters
 */
export declare function fuzzParameters<T = unknown>(
  label: string,
  overrides?: Parameters<T>,
): Parameters<T>;
