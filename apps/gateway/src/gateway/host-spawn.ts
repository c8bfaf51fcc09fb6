import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hostEntryPath } from '../entry-points.js';
import { hostProcessEnv } from '../process-environment.js';

/**
 * V8 options of a host. A host lives as long as its session and idles most of that time: with
 * V8's default the young generation of a host grows to 32 MB over a few thousand runs, and stays
 * (an idle host measured 67 MB after 500 runs of `true`, 74 MB after 2,000); capped at 1 MB per
 * semi-space it stays at 61–62 MB. Its garbage is short-lived (output chunks, messages), so the
 * smaller young generation costs a flood little (see the gateway benchmark's host CPU figure).
 * What its runs leave in the old generation V8 collects only as that fills: `gc` lets the host
 * collect it once it sits idle (see `IdleCollection`). A full collection compacts only the pages
 * V8 judges fragmented enough, so the old generation still kept pages of which a collection had
 * freed most: an idle host measured 60.3 MB after 300 runs and 66.7 MB after 6,300, with about
 * 6 MB of live objects in both. Compacting at every full collection (the idle ones, and the rare
 * ones V8 starts in a flood) gives those pages back: 59.6 MB after 300 runs, 59.8 MB after 6,300.
 * The host's code is compiled by Sparkplug at most, never optimised (`--max-opt=1`): TurboFan's own
 * machine code (pages of the node binary) and what it compiled stayed resident once a few hundred
 * runs had made it work, 5 MB for a host idle after 340 runs (55.5 MB; 50.8 MB with Maglev as the
 * top tier), and Maglev's another 1.4 MB (50.5 MB against 49.1 after 340 runs, 50.0 against 48.5
 * after one). A host's hot work is in Node's own code (JSON, strings, writes): without an
 * optimiser a 200 MB flood cost it the same CPU (3.1 s against 3.2 s, measured side by side), and a
 * run of `true` too (1.2 ms).
 */
const HOST_NODE_OPTIONS: readonly string[] = [
  '--max-semi-space-size=1',
  '--expose-gc',
  '--compact-on-every-full-gc',
  '--max-opt=1',
];

/** File in the session directory that receives a host's stderr. */
export const HOST_STDERR_FILE = 'host.log';

/** Options of {@link spawnHost}. */
export interface SpawnHostOptions {
  sid: string;
  sessionDir: string;
  /**
   * Environment of the host (and so of the shell); must name the state directory absolutely.
   * Variables only the shell needs are carried past the host's own start, and the variables a host
   * sets for itself are kept from the shell (`hostProcessEnv`).
   */
  env: NodeJS.ProcessEnv;
}

/** A session host just spawned, and what became of it so far. */
export interface SpawnedHost {
  readonly child: ChildProcess;
  /** Its stderr, whose tail explains a failed start. */
  readonly stderrPath: string;
  /** `Date.now()` at the spawn. */
  readonly spawnedAt: number;
  /** How it ended, once it has. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Settles with the error if the spawn itself failed (no such executable, …). */
  readonly spawnError: Promise<Error>;
}

/**
 * Spawns a session host as a detached process in its own session (it outlives this gateway and
 * the terminal), stderr to `host.log` in the session directory. Returns at once: `waitForHost`
 * (in `host-launcher`) waits until it listens.
 */
export function spawnHost(options: SpawnHostOptions): SpawnedHost {
  const stderrPath = path.join(options.sessionDir, HOST_STDERR_FILE);
  const stderrFd = fs.openSync(stderrPath, 'w', 0o600);
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...HOST_NODE_OPTIONS, hostEntryPath(), options.sid], {
    detached: true,
    stdio: ['ignore', 'ignore', stderrFd],
    env: hostProcessEnv(options.env),
    cwd: options.sessionDir,
  });
  fs.closeSync(stderrFd);
  child.unref();
  let exit: SpawnedHost['exit'];
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  return {
    child,
    stderrPath,
    spawnedAt,
    get exit() {
      return exit;
    },
    spawnError,
  };
}
