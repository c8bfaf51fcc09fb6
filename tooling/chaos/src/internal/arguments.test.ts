import { describe, expect, test } from 'vitest';
import { DEFAULT_ITERATIONS, parseChaosArguments } from './arguments.js';

describe('parseChaosArguments', () => {
  test('runs the default number of iterations with a fresh seed when given nothing', () => {
    expect(parseChaosArguments([])).toEqual({
      iterations: DEFAULT_ITERATIONS,
      seed: undefined,
      help: false,
    });
  });

  test('takes --iterations and --seed, also after the `--` pnpm passes along', () => {
    expect(parseChaosArguments(['--', '--iterations', '12', '--seed', '4242'])).toEqual({
      iterations: 12,
      seed: 4242,
      help: false,
    });
    expect(parseChaosArguments(['--iterations=0'])).toMatchObject({ iterations: 0 });
  });

  test('refuses what is not a whole number, naming the flag', () => {
    expect(() => parseChaosArguments(['--iterations', 'ten'])).toThrow(
      '--iterations takes a whole number from 0 to 100000, not "ten"',
    );
    expect(() => parseChaosArguments(['--seed=-1'])).toThrow(/--seed takes a whole number/);
    expect(() => parseChaosArguments(['--seed', String(2 ** 32)])).toThrow(
      /--seed takes a whole number/,
    );
  });

  test('refuses an unknown flag', () => {
    expect(() => parseChaosArguments(['--iteration', '3'])).toThrow(/--iteration/);
  });
});
