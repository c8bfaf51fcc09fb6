import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const packageDir = path.resolve(import.meta.dirname, '..');

function chaos(...args: string[]) {
  return spawnSync(path.join(packageDir, 'node_modules/.bin/tsx'), ['src/main.ts', ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('--help prints how to call it and runs nothing', () => {
  const result = chaos('--help');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('usage: pnpm chaos [--iterations N] [--seed S]');
  expect(result.stdout).not.toContain('chaos: seed');
});

test('a bad argument exits 2 with what is wrong and the usage, before starting anything', () => {
  const result = chaos('--iterations', 'many');
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(
    'chaos: --iterations takes a whole number from 0 to 100000, not "many"',
  );
  expect(result.stderr).toContain('usage: pnpm chaos');
});
