import fs from 'node:fs';
import { descendantPids, isProcessAlive } from '../process-tree.js';
import type { EchoSource } from './echo-source.js';
import { KeyEchoProbe, type KeyEchoResult } from './key-echo-probe.js';
import type { PtyScreen } from './pty-screen.js';

/** How often the producer's liveness and byte count are read. */
const producerPollMs = 10;
/** Memory is read every this many producer polls (it walks `/proc` to find the gateway). */
const memoryPollEvery = 5;

/** One flood typed into a terminal, and how to watch it. */
export interface FloodOptions {
  /** The command line, typed and followed by Enter. */
  command: string;
  /** Name of the process that writes the flood to the terminal (`cat`, `head`). */
  producer: string;
  /** Bytes the producer writes when it runs to the end; undefined for one that never ends. */
  bytes?: number;
  /** Pid under which the producer runs (the session host, or the bare shell). */
  shellRoot: () => number | undefined;
  /** Whether the screen shows that the command is over (the run's footer, the shell's prompt). */
  isDone: (screen: readonly string[]) => boolean;
  /** Longest the flood may run; then it is interrupted with Ctrl+C. */
  windowMs: number;
  /** A key is typed every this many milliseconds while the flood runs. */
  keyIntervalMs: number;
  /** A key whose echo is not on screen after this long is given up on, and may be typed again. */
  keyGiveUpMs: number;
  /** Quiet time after which the screen counts as settled. */
  settleQuietMs: number;
  /** Where the echo of a typed key is looked for. */
  echoSource: EchoSource;
  /** Processes whose peak resident memory is reported, by label; read while the flood runs. */
  memoryOf: () => Record<string, number | undefined>;
}

/** What one flood did. */
export interface FloodObservation {
  echo: KeyEchoResult;
  /** Bytes the producer wrote to the terminal (all of them unless interrupted; the last count read otherwise). */
  bytesWritten: number;
  /** Whether the window ran out and the flood was interrupted. */
  interrupted: boolean;
  /** Milliseconds from Ctrl+C until the screen showed the command over (NaN when not interrupted). */
  interruptToDoneMs: number;
  /** Milliseconds from Enter until the producer exited. */
  producerMs: number;
  /** Milliseconds from Enter until the screen settled. */
  settledMs: number;
  /** Milliseconds from the producer's exit until the screen settled. */
  settleAfterEndMs: number;
  /** Peak resident memory (VmHWM) of each process of `memoryOf`, in MB; NaN when never read. */
  peakRssMb: Record<string, number>;
}

/**
 * Types `command` into `screen`, types a key every `keyIntervalMs` while it floods the terminal,
 * interrupts it with Ctrl+C once `windowMs` has passed, and waits until the screen settles (echoes
 * of keys typed during the flood are timed until then).
 * @throws Error when the producer never starts, or the command never ends after Ctrl+C
 */
export async function runFlood(
  screen: PtyScreen,
  options: FloodOptions,
): Promise<FloodObservation> {
  const peakRssMb: Record<string, number> = {};
  const readMemory = () => {
    for (const [label, pid] of Object.entries(options.memoryOf())) {
      const peak = pid === undefined ? Number.NaN : peakResidentMb(pid);
      if (!Number.isNaN(peak)) peakRssMb[label] = Math.max(peakRssMb[label] ?? 0, peak);
    }
  };
  const startedAt = performance.now();
  screen.type(`${options.command}\r`);
  const producer = await findProducer(options.shellRoot, options.producer, 15_000);
  const probe = new KeyEchoProbe(
    screen,
    options.echoSource,
    options.keyIntervalMs,
    options.keyGiveUpMs,
  );
  probe.start();
  let bytesWritten = 0;
  let producerEndedAt: number | undefined;
  let interrupted = false;
  for (let poll = 0; producerEndedAt === undefined; poll++) {
    await delay(producerPollMs);
    if (poll % memoryPollEvery === 0) readMemory();
    const written = writtenBytes(producer);
    if (written === undefined) {
      producerEndedAt = performance.now();
    } else {
      bytesWritten = written;
      if (performance.now() - startedAt > options.windowMs) {
        interrupted = true;
        break;
      }
    }
  }
  probe.stopTyping();
  let interruptToDoneMs = Number.NaN;
  if (interrupted) {
    // Ctrl+C makes the terminal discard the output it holds, a key's echo with it: keys still
    // waiting for their echo are waited for (up to the give-up time) before it is typed.
    for (
      const stopWaitingAt = performance.now() + options.keyGiveUpMs;
      probe.keysInFlight > 0 && performance.now() < stopWaitingAt;
    ) {
      await delay(producerPollMs);
    }
    const interruptedAt = performance.now();
    screen.type('\x03');
    const exited = waitForExit(producer, interruptedAt);
    // Awaited below; this keeps a failure while the screen is awaited from going unhandled.
    exited.catch(() => undefined);
    const doneAt = await screen.waitForScreen('the command interrupted', options.isDone, 120_000);
    interruptToDoneMs = doneAt - interruptedAt;
    producerEndedAt = await exited;
  } else {
    bytesWritten = options.bytes ?? bytesWritten;
    await screen.waitForScreen('the command over', options.isDone, 300_000);
  }
  const endedAt = producerEndedAt ?? performance.now();
  for (;;) {
    readMemory();
    if (performance.now() - screen.lastRenderAt >= options.settleQuietMs && screen.idle) break;
    if (performance.now() - endedAt > 120_000)
      throw new Error('the screen was still changing two minutes after the flood ended');
    await delay(50);
  }
  return {
    echo: probe.finish(),
    bytesWritten,
    interrupted,
    interruptToDoneMs,
    producerMs: endedAt - startedAt,
    settledMs: screen.lastRenderAt - startedAt,
    settleAfterEndMs: Math.max(0, screen.lastRenderAt - endedAt),
    peakRssMb,
  };
}

/**
 * Waits for a process named `name` under `shellRoot()` (the command a flood line started).
 * @returns its pid
 * @throws Error when none starts within `timeoutMs`
 */
export async function findProducer(
  shellRoot: () => number | undefined,
  name: string,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const root = shellRoot();
    const found =
      root === undefined
        ? undefined
        : descendantPids(root).find((pid) => readOrEmpty(`/proc/${pid}/comm`).trim() === name);
    if (found !== undefined) return found;
    await delay(5);
  }
  throw new Error(
    `no \`${name}\` process started within ${timeoutMs} ms of typing the flood command`,
  );
}

/** Bytes `pid` has written so far; undefined once it is gone. */
function writtenBytes(pid: number): number | undefined {
  if (!isProcessAlive(pid)) return undefined;
  const match = /^wchar:\s+(\d+)$/m.exec(readOrEmpty(`/proc/${pid}/io`));
  return match ? Number(match[1]) : undefined;
}

async function waitForExit(pid: number, since: number): Promise<number> {
  while (isProcessAlive(pid)) {
    if (performance.now() - since > 60_000)
      throw new Error(`the flood's producer (pid ${pid}) outlived Ctrl+C by a minute`);
    await delay(10);
  }
  return performance.now();
}

/** Peak resident set size of `pid` so far (VmHWM), in MB; NaN when it is gone. */
function peakResidentMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readOrEmpty(`/proc/${pid}/status`));
  return match ? (Number(match[1]) * 1024) / 1e6 : Number.NaN;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
