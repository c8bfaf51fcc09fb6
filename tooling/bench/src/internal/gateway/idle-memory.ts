import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { killAll } from '../process-tree.js';
import { removeTmuxSocket } from '../tmux-socket.js';

const run = promisify(execFile);

/** Resident set size of `pid` now (VmRSS), in MB; NaN when it is gone. */
export function residentMb(pid: number): number {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Number.NaN;
    throw error;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? (Number(match[1]) * 1024) / 1e6 : Number.NaN;
}

const sampleMs = 250;
/**
 * Samples in a row that must agree (within {@link settledSpreadMb}) before a process counts as
 * settled: 8 s, longer than the housekeeping an idle process may still do after its last work (a
 * session host collects its garbage 6 s after it, and gives the freed pages back then).
 */
const stableSamples = 33;
/**
 * How far those samples may spread: 16 pages. An idle process's timers still make a little garbage,
 * which touches a fresh page of the young generation every few seconds until the next scavenge
 * (a session host: one page every ~2 s); one page would never count that as settled.
 */
const settledSpreadMb = (16 * 4096) / 1e6;
const settleTimeoutMs = 30_000;

/**
 * The RSS of an idle process once it has settled: sampled every 250 ms until the samples of 8 s
 * agree within 64 KB, so that a process still starting (or still freeing what its last work used)
 * is not caught half way.
 * @throws Error when the process is gone, or never settles within 30 s
 */
export async function settledResidentMb(pid: number, what: string): Promise<number> {
  const started = performance.now();
  const samples: number[] = [];
  for (;;) {
    const sample = residentMb(pid);
    if (Number.isNaN(sample)) throw new Error(`${what} (pid ${pid}) exited while being measured`);
    samples.push(sample);
    const recent = samples.slice(-stableSamples);
    if (
      recent.length === stableSamples &&
      Math.max(...recent) - Math.min(...recent) <= settledSpreadMb
    )
      return sample;
    if (performance.now() - started > settleTimeoutMs)
      throw new Error(
        `the RSS of ${what} did not settle in ${settleTimeoutMs} ms: ${samples.join(', ')} MB`,
      );
    await new Promise((resolve) => setTimeout(resolve, sampleMs));
  }
}

/** The Node floor: `node -e 'setInterval(()=>{}, 1e9)'`, settled. */
export async function nodeFloorResidentMb(env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(()=>{}, 1e9)'], {
    env,
    stdio: 'ignore',
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${process.execPath}`);
  try {
    return await settledResidentMb(pid, "node -e 'setInterval(()=>{}, 1e9)'");
  } finally {
    await killAll([pid]);
  }
}

/**
 * A tmux server with one detached session running bash, on a socket of its own (`-L`), settled:
 * the memory a tmux session costs. The server is ended afterwards.
 */
export async function tmuxServerResidentMb(env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const socket = `lifeline-bench-memory-${process.pid}`;
  const tmux = (...args: string[]) =>
    run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, cwd });
  await tmux('new-session', '-d', '-s', 'bench', 'bash --norc -i');
  try {
    const { stdout } = await tmux('display-message', '-p', '#{pid}');
    const pid = Number.parseInt(stdout.trim(), 10);
    if (!Number.isInteger(pid)) throw new Error(`tmux did not tell its server's pid: "${stdout}"`);
    return await settledResidentMb(pid, 'the tmux server');
  } finally {
    await tmux('kill-server');
    removeTmuxSocket(env, socket);
  }
}
