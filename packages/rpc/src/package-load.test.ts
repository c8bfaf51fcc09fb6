import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const probe = path.join(import.meta.dirname, '__fixtures__', 'load-probe.mjs');

/** The module URLs a fresh Node resolves while importing `specifier` (the built package). */
async function resolvedBy(specifier: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [probe, specifier], {
    timeout: 30_000,
  });
  return JSON.parse(stdout) as string[];
}

const isZod = (url: string): boolean => url.includes('/node_modules/zod/');

test('importing @lifeline/rpc loads no part of zod: a peer without a contract never pays for it', async () => {
  const urls = await resolvedBy('@lifeline/rpc');
  expect(urls.some((url) => url.includes('/rpc/dist/'))).toBe(true);
  expect(urls.filter(isZod)).toEqual([]);
  // The probe does see zod when it is loaded.
  expect((await resolvedBy('zod')).some(isZod)).toBe(true);
}, 60_000);
