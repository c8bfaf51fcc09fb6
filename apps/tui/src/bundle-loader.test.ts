// The compiled code of a bundle kept in the state directory (what `lifeline exec` starts from where
// Node keeps no compile cache of its own): kept private, used only when it was made from this very
// bundle, and never in the way of running it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runWithCodeCache } from './bundle-loader.js';

const fixture = path.join(import.meta.dirname, '__fixtures__', 'small-bundle.cjs');

let directory: string;
let cacheDirectory: string;
let cacheFile: string;
let runs = 0;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-bundle-loader-'));
  cacheDirectory = path.join(directory, 'state', 'cache');
  cacheFile = path.join(cacheDirectory, 'small-bundle.cjs.v8-code-cache');
});
afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/**
 * A copy of the bundle in a directory of its own, as a new build or install puts it: V8 finds code
 * it compiled in this process for the same source only at the same path, so each run compiles
 * (or reads the cache) as a new process would.
 */
function install(source = fs.readFileSync(fixture, 'utf8')): string {
  runs += 1;
  const installed = path.join(directory, `install-${runs}`, 'small-bundle.cjs');
  fs.mkdirSync(path.dirname(installed));
  fs.writeFileSync(installed, source);
  return installed;
}

/** Runs a copy of the bundle and checks that it works as when required. */
function run(): { cacheUsed: boolean; keepCode(): void } {
  const bundle = install();
  const loaded = runWithCodeCache(bundle, cacheDirectory);
  const exported = loaded.exports as {
    greet(name: string): string;
    file: string;
    directory: string;
  };
  expect(exported.greet('ada')).toBe('hello ada');
  expect(exported.file).toBe(bundle);
  expect(exported.directory).toBe(path.dirname(bundle));
  return loaded;
}

describe('runWithCodeCache', () => {
  test('keeps the code in a private file, and the next run starts from it', () => {
    const first = run();
    expect(first.cacheUsed).toBe(false);
    expect(fs.existsSync(cacheFile)).toBe(false);
    first.keepCode();
    expect(fs.statSync(cacheDirectory).mode & 0o777).toBe(0o700);
    expect(fs.statSync(cacheFile).mode & 0o777).toBe(0o600);

    expect(run().cacheUsed).toBe(true);
  });

  test('compiles afresh when the cache is damaged, and keeping replaces it', () => {
    run().keepCode();
    const good = fs.readFileSync(cacheFile);
    // The right key with garbage after it: V8 refuses it.
    fs.writeFileSync(cacheFile, Buffer.concat([good.subarray(0, 32), Buffer.alloc(4096, 0x5a)]));
    const damaged = run();
    expect(damaged.cacheUsed).toBe(false);
    damaged.keepCode();
    expect(run().cacheUsed).toBe(true);
  });

  test('does not use a cache made from another build of the bundle', () => {
    run().keepCode();
    // Of the same length, which is all V8 itself compares of the source.
    const bundle = install(fs.readFileSync(fixture, 'utf8').replace('hello', 'HELLO'));
    const rebuilt = runWithCodeCache(bundle, cacheDirectory);
    expect(rebuilt.cacheUsed).toBe(false);
    expect((rebuilt.exports as { greet(name: string): string }).greet('ada')).toBe('HELLO ada');
  });

  test('neither reads nor writes a cache where others may write', () => {
    run().keepCode();
    const made = fs.readFileSync(cacheFile);
    fs.chmodSync(cacheDirectory, 0o777);
    const exposed = run();
    expect(exposed.cacheUsed).toBe(false);

    fs.writeFileSync(cacheFile, 'planted');
    exposed.keepCode();
    expect(fs.readFileSync(cacheFile, 'utf8')).toBe('planted');
    fs.chmodSync(cacheDirectory, 0o700);
    fs.writeFileSync(cacheFile, made);
    expect(run().cacheUsed).toBe(true);
  });

  test('runs the bundle where the cache directory cannot be made', () => {
    fs.writeFileSync(path.join(directory, 'state'), 'a file where a directory would go');
    const loaded = run();
    expect(loaded.cacheUsed).toBe(false);
    loaded.keepCode();
    expect(fs.existsSync(cacheFile)).toBe(false);
  });
});
