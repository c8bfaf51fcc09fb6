import { parseArgs } from 'node:util';

/** What `pnpm chaos` was asked to do. */
export interface ChaosArguments {
  /** Random kill iterations on top of the named scenarios. */
  readonly iterations: number;
  /** Seed of the run's choices; `undefined` for a fresh one. */
  readonly seed: number | undefined;
  readonly help: boolean;
}

/** Iterations of `pnpm chaos` when none are asked for. */
export const DEFAULT_ITERATIONS = 200;

/** How to call `pnpm chaos`. */
export const usage = `usage: pnpm chaos [--iterations N] [--seed S]
  --iterations N   random SIGKILL iterations (gateway 80 %, session host 20 %), default ${DEFAULT_ITERATIONS}
  --seed S         replay the choices of an earlier run (its seed is printed first)
Every named scenario (SIGTERM, SIGHUP, exit 137, closed stdout, frozen gateway, crash at startup,
SIGKILL of gateway and host) runs once as well.`;

/**
 * Reads the command line of `pnpm chaos`.
 * @throws Error saying which argument is wrong and what it takes
 */
export function parseChaosArguments(argv: readonly string[]): ChaosArguments {
  const { values } = parseArgs({
    args: argv.filter((argument) => argument !== '--'),
    options: {
      iterations: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const iterations =
    values.iterations === undefined
      ? DEFAULT_ITERATIONS
      : wholeNumber('--iterations', values.iterations, 100_000);
  const seed =
    values.seed === undefined ? undefined : wholeNumber('--seed', values.seed, 0xffff_ffff);
  return { iterations, seed, help: values.help };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > max)
    throw new Error(`${flag} takes a whole number from 0 to ${max}, not "${text}"`);
  return value;
}
