import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { EchoParams } from './payload.js';

/** One live client connected to its own child-process server over stdio pipes. */
export interface RpcConnection {
  /** Calls `echo`; resolves with the echoed params. */
  echo(params: EchoParams): Promise<EchoParams>;
  /** Asks the server for `count` notifications of `bytes` each; resolves once all of them and the answer arrived. */
  notifications(count: number, bytes: number): Promise<void>;
  /**
   * Starts `count` calls the server never answers; resolves with them once the server has read
   * them all (a later echo came back).
   */
  hold(count: number): Promise<PromiseLike<unknown>[]>;
  /** SIGKILLs the child. */
  kill(): void;
  /** Kills the child if it is still alive and waits for it to exit. */
  dispose(): Promise<void>;
}

/** A library measured by the rpc suite. */
export interface RpcSubject {
  /** Shown in the table. */
  name: string;
  /** How its pending calls learn that the child died (shown when the kill figure is reported). */
  exitDetection: string;
  /** Spawns the child server and connects (handshake included). */
  connect(): Promise<RpcConnection>;
}

const fixturesDir = path.resolve(import.meta.dirname, '../../fixtures');
/** Inside the bench package, so that the compiled fixtures import the same packages. */
const compiledFixturesDir = path.resolve(
  import.meta.dirname,
  '../../../node_modules/.cache/rpc-fixtures',
);
let compiled = false;

/**
 * Compiles the fixtures to JavaScript, once per run: children run as users' servers do, not
 * through a TypeScript loader, whose extra thread and modules make a process take about 3 ms
 * longer to die (which the SIGKILL figure would count). Packages stay imports; the fixtures' own
 * modules are bundled, the zod contract in a chunk of its own that only `--typed` loads.
 */
function compileFixtures(): void {
  if (compiled) return;
  const entryPoints = fs
    .readdirSync(fixturesDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(fixturesDir, name));
  fs.rmSync(compiledFixturesDir, { recursive: true, force: true });
  buildSync({
    entryPoints,
    outdir: compiledFixturesDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  compiled = true;
}

/** `node` arguments that run a fixture of `src/fixtures/` (compiled to JavaScript). */
export function fixtureArguments(fixture: string, ...extra: string[]): string[] {
  compileFixtures();
  return [path.join(compiledFixturesDir, fixture.replace(/\.ts$/, '.mjs')), ...extra];
}

/** Rejects with a clear message when an echo came back different from what was sent. */
export function checkEcho(sent: EchoParams, received: unknown): EchoParams {
  const echoed = received as Partial<EchoParams> | null | undefined;
  if (echoed?.seq !== sent.seq || echoed.data?.length !== sent.data.length) {
    // JSON.stringify returns undefined for undefined, whatever its declared type says.
    const shown = (JSON.stringify(received) as string | undefined) ?? 'undefined';
    throw new Error(`echo ${sent.seq} came back as ${shown.slice(0, 120)}`);
  }
  return echoed as EchoParams;
}

/** Counts notifications of one blast and resolves when all `count` arrived. */
export class NotificationCounter {
  #received = 0;
  #expected = Number.POSITIVE_INFINITY;
  #done: (() => void) | undefined;

  /** Called by the subject's notification listener. */
  readonly hit = (): void => {
    this.#received += 1;
    if (this.#received === this.#expected) this.#done?.();
  };

  /** Starts counting a blast of `count`; resolves when all arrived. */
  expect(count: number): Promise<void> {
    this.#received = 0;
    this.#expected = count;
    if (count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#done = resolve;
    });
  }
}

/** Resolves once `child` has exited (at once if it already has). */
export function exited(child: {
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
  once(event: 'exit', listener: () => void): unknown;
}): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
