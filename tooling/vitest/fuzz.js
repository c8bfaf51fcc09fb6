// Property-test parameters shared by every workspace. `pnpm test` runs each property 1000 times;
// `LIFELINE_FUZZ_RUNS` raises that for long fuzzing sessions and `LIFELINE_FUZZ_SEED` replays one.
const defaultRuns = 1000;

/**
 * fast-check parameters for one property: at least 1000 runs, a logged seed.
 * @param {string} label what is being checked, printed with the seed
 * @param {import('fast-check').Parameters<unknown>} [overrides]
 * @returns {import('fast-check').Parameters<unknown>}
 */
export function fuzzParameters(label, overrides = {}) {
  const numRuns = Number(process.env.LIFELINE_FUZZ_RUNS) || defaultRuns;
  const seed = process.env.LIFELINE_FUZZ_SEED
    ? Number(process.env.LIFELINE_FUZZ_SEED)
    : (Date.now() ^ Math.floor(Math.random() * 0x100000000)) | 0;
  if (process.env.LIFELINE_FUZZ_RUNS) console.log(`[fuzz] ${label}: seed=${seed} runs=${numRuns}`);
  return { numRuns, seed, ...overrides };
}
