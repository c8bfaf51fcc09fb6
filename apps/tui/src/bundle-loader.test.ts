// The compiled code of a bundle kept in the state directory (what `lifeline exec` starts from where
// Node keeps no compile cache of its own): kept private, used only when it was made from this very
// bundle, and never in the way of running it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runWithCodeCache, SETTLED_MS } from './bundle-loader.js';

const fixture = path.join(import.meta.dirname, '__fixtures__', 'small-bundle.cjs');

let directory: string;
let cacheDirectory: string;
let cacheFile: string;
let installed: string;
let runs = 0;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-bundle-loader-'));
  cacheDirectory = path.join(directory, 'state', 'cache');
  cacheFile = path.join(cacheDirectory, 'small-bundle.cjs.v8-code-cache');
  installed = install();
});
afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** A new copy of the bundle, as a new build or install writes it. */
function install(source = fs.readFileSync(fixture, 'utf8')): string {
  runs += 1;
  const file = path.join(directory, `install-${runs}`, 'small-bundle.cjs');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, source);
  return file;
}

/** What a loaded copy of the bundle says to `ada`. */
function greetingOf(loaded: { exports: unknown }): string {
  return (loaded.exports as { greet(name: string): string }).greet('ada');
}

/** A time at which every file written so far has long settled. */
const later = () => Date.now() + SETTLED_MS;

/**
 * Runs the installed bundle, as a new process would: through a path of its own (a symbolic link
 * to the same file), since V8 finds code it compiled in this process for the same source and
 * path without looking at the cache. Checks that it works as when required.
 */
function run(bundle = installed, now = later): { cacheUsed: boolean; keepCode(): void } {
  const link = path.join(directory, `run-${(runs += 1)}`, 'small-bundle.cjs');
  fs.mkdirSync(path.dirname(link));
  fs.symlinkSync(bundle, link);
  const loaded = runWithCodeCache(link, cacheDirectory, now);
  const exported = loaded.exports as {
    greet(name: string): string;
    file: string;
    directory: string;
  };
  expect(exported.greet('ada')).toMatch(/^h[eé]llo ada$/u);
  expect(exported.file).toBe(link);
  expect(exported.directory).toBe(path.dirname(link));
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
    const keyLength = good.indexOf(0x0a) + 1;
    fs.writeFileSync(
      cacheFile,
      Buffer.concat([good.subarray(0, keyLength), Buffer.alloc(4096, 0x5a)]),
    );
    const damaged = run();
    expect(damaged.cacheUsed).toBe(false);
    damaged.keepCode();
    expect(run().cacheUsed).toBe(true);
  });

  test('does not use a cache made from another build of the bundle', () => {
    run().keepCode();
    // Of the same length, which is all V8 itself compares of the source: a new install of it...
    const rebuiltSource = fs.readFileSync(fixture, 'utf8').replace('hello', 'HELLO');
    const rebuilt = runWithCodeCache(install(rebuiltSource), cacheDirectory, later);
    expect(rebuilt.cacheUsed).toBe(false);
    expect(greetingOf(rebuilt)).toBe('HELLO ada');
    // ...and the same file written over.
    run().keepCode();
    const { mtime } = fs.statSync(installed);
    fs.writeFileSync(installed, rebuiltSource);
    fs.utimesSync(installed, mtime, new Date(mtime.getTime() - 60_000));
    const overwritten = runWithCodeCache(installed, cacheDirectory, later);
    expect(overwritten.cacheUsed).toBe(false);
    expect(greetingOf(overwritten)).toBe('HELLO ada');
  });

  test('a bundle written a moment ago is run without a cache, and none is kept for it', () => {
    run().keepCode();
    const kept = fs.readFileSync(cacheFile);
    const justWritten = run(installed, Date.now);
    expect(justWritten.cacheUsed).toBe(false);
    fs.rmSync(cacheFile);
    justWritten.keepCode();
    expect(fs.existsSync(cacheFile)).toBe(false);
    fs.writeFileSync(cacheFile, kept, { mode: 0o600 });
    expect(run().cacheUsed).toBe(true);
  });

  test('runs a bundle that is not ASCII as UTF-8, from its cache too', () => {
    installed = install(fs.readFileSync(fixture, 'utf8').replace('hello', 'héllo'));
    run().keepCode();
    const cached = runWithCodeCache(installed, cacheDirectory, later);
    expect(cached.cacheUsed).toBe(true);
    expect(greetingOf(cached)).toBe('héllo ada');
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
