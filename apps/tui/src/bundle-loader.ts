import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** Failures to keep a code cache that leave the command to run as it would without one. */
const CACHE_WRITE_FAILURES = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOENT', 'ENOTDIR'];

/**
 * A bundle whose file changed less than this long ago is run without a cache, none is made for it:
 * a file system stamps changes with a clock that moves in steps of some milliseconds, so a file
 * changed again within one step would look the same (see {@link readBundle}).
 */
export const SETTLED_MS = 2000;

/**
 * Loads a CommonJS bundle and returns its exports, compiling as little of it as Node allows. Where
 * Node keeps a compile cache of its own (22.1 and later, turned on by `enableCompileCache`), it is
 * simply required. Before that, it runs from V8's code cache kept in `cacheDirectory` (see
 * {@link runWithCodeCache}), and a cache that was missing or refused is made again as the process
 * exits, with the code V8 compiled while it ran (the functions it called included).
 * @param file absolute path of the bundle
 * @param cacheDirectory where the cache file lives, created (mode 0700) when missing
 */
export function loadBundle(file: string, cacheDirectory: string): unknown {
  if (typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function')
    return module.createRequire(file)(file);
  const loaded = runWithCodeCache(file, cacheDirectory);
  if (!loaded.cacheUsed) process.once('exit', () => loaded.keepCode());
  return loaded.exports;
}

/** A bundle run by {@link runWithCodeCache}. */
export interface LoadedBundle {
  /** What the bundle exported. */
  exports: unknown;
  /** Whether V8 started from the cache file instead of compiling the bundle. */
  cacheUsed: boolean;
  /**
   * Writes the code V8 has compiled for the bundle so far to the cache file, replacing it in one
   * step; does nothing where the directory is not private, or cannot be written.
   */
  keepCode(): void;
}

/**
 * Runs a CommonJS bundle as `require` would, starting from the V8 code cache in `cacheDirectory`
 * when there is one for it. The cache is read only from a directory of this user's that no one
 * else can write (the state directory is one), and only when it was made from this very file by
 * this Node: its first bytes name both (see {@link cacheKey}), so that the bundle need not be hashed
 * at every start. V8 checks the rest and refuses what does not fit, and the bundle is then compiled
 * as usual.
 * @param file absolute path of the bundle
 * @param cacheDirectory where the cache file lives
 * @param now the time, in ms since the epoch
 */
export function runWithCodeCache(
  file: string,
  cacheDirectory: string,
  now: () => number = Date.now,
): LoadedBundle {
  const { source, identity } = readBundle(file, now);
  const key = identity === undefined ? undefined : cacheKey(identity);
  const cacheFile = path.join(cacheDirectory, `${path.basename(file)}.v8-code-cache`);
  const cachedData = key === undefined ? undefined : readCache(cacheFile, key);
  const script = new vm.Script(module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const bundle = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  wrapper(bundle.exports, module.createRequire(file), bundle, file, path.dirname(file));
  return {
    exports: bundle.exports,
    cacheUsed: cachedData !== undefined && script.cachedDataRejected !== true,
    keepCode: () => {
      if (key !== undefined) writeCache(cacheDirectory, cacheFile, key, script);
    },
  };
}

/**
 * The bundle's source, and what tells this very content of the file from any other: its device,
 * inode, size and the times it was last written and changed, to the nanosecond. Undefined when it
 * changed while it was read, or too recently to tell (see {@link SETTLED_MS}). A bundle of ASCII
 * only (as built) is read as such, without decoding UTF-8.
 */
function readBundle(
  file: string,
  now: () => number,
): { source: string; identity: string | undefined } {
  const descriptor = fs.openSync(file, 'r');
  try {
    const before = fs.fstatSync(descriptor, { bigint: true });
    const bytes = fs.readFileSync(descriptor);
    const after = fs.fstatSync(descriptor, { bigint: true });
    const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    // Any write to the file, truncation included, moves its change time.
    const settled =
      after.ctimeNs === before.ctimeNs && now() - Number(before.ctimeMs) >= SETTLED_MS;
    const { dev, ino, size, mtimeNs, ctimeNs } = before;
    return {
      source,
      identity: settled ? `${dev}:${ino}:${size}:${mtimeNs}:${ctimeNs}` : undefined,
    };
  } finally {
    fs.closeSync(descriptor);
  }
}

/** What a cache file begins with when made from the bundle file of `identity` by this Node. */
function cacheKey(identity: string): Buffer {
  return Buffer.from(
    `lifeline code cache\0${process.version}\0${process.arch}\0${process.versions.v8}\0${identity}\n`,
  );
}

/** Whether `directory` is this user's own directory that no one else can write into. */
function isPrivateDirectory(stats: fs.Stats): boolean {
  return stats.isDirectory() && stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}

/** The cached code for `key`, or undefined when there is none that may be used. */
function readCache(cacheFile: string, key: Buffer): Buffer | undefined {
  let contents: Buffer;
  try {
    if (!isPrivateDirectory(fs.lstatSync(path.dirname(cacheFile)))) return undefined;
    const stats = fs.lstatSync(cacheFile);
    if (!stats.isFile() || stats.uid !== process.getuid?.()) return undefined;
    contents = fs.readFileSync(cacheFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return undefined;
    throw error;
  }
  if (contents.length <= key.length || !contents.subarray(0, key.length).equals(key))
    return undefined;
  return contents.subarray(key.length);
}

/** Stores the code V8 has compiled for `script` so far, replacing the cache file in one step. */
function writeCache(directory: string, cacheFile: string, key: Buffer, script: vm.Script): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!isPrivateDirectory(fs.lstatSync(directory))) return;
    fs.writeFileSync(temporary, Buffer.concat([key, script.createCachedData()]), { mode: 0o600 });
  } catch (error) {
    if (isCacheWriteFailure(error)) return;
    throw error;
  }
  try {
    fs.renameSync(temporary, cacheFile);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    if (!isCacheWriteFailure(error)) throw error;
  }
}

/** Whether `error` is one of the failures to write a cache that are left without a word. */
function isCacheWriteFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && CACHE_WRITE_FAILURES.includes(code);
}
