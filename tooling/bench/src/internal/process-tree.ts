import fs from 'node:fs';

// The gateway's own check (a zombie counts as gone), so benchmarks judge processes as it does.
import { isProcessAlive } from '../../../../apps/gateway/src/state/writer-lock.js';

export { isProcessAlive };

/**
 * Every live descendant of `pid` (children, grandchildren, …), read from `/proc`. Processes that
 * left the tree (a daemon that double-forked) are not found; on a system without `/proc` the list
 * is empty.
 */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    const child = Number(entry);
    if (!Number.isInteger(child)) continue;
    const parent = parentPid(child);
    if (parent === undefined) continue;
    const siblings = children.get(parent) ?? [];
    siblings.push(child);
    children.set(parent, siblings);
  }
  const found: number[] = [];
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

/**
 * Sends SIGKILL to every pid that still runs and waits until none does.
 * @returns the pids still alive after `timeoutMs` (empty when all of them are gone)
 */
export async function killAll(pids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return waitForExit(pids, timeoutMs);
}

/**
 * Waits until none of `pids` runs, polling every 10 ms.
 * @returns the pids still alive after `timeoutMs`
 */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isProcessAlive);
    if (alive.length === 0 || performance.now() >= deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `/proc/<pid>/stat` counts CPU time in clock ticks, which Linux fixes at 100 per second for userspace. */
const clockTicksPerSecond = 100;

/**
 * CPU time (user + system) `pid` has used so far, in seconds, at 10 ms resolution; NaN when the
 * process is gone or there is no `/proc`. CPU time is what a benchmark on a shared machine can
 * still measure well: other load stretches wall time much more than it changes the work done.
 */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  if (!fields) return Number.NaN;
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** CPU time (user + system) this process has used so far, in seconds. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function statFields(pid: number): string[] | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may itself hold spaces and parentheses: split after the last one.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function parentPid(pid: number): number | undefined {
  const parent = Number(statFields(pid)?.[1]);
  return Number.isInteger(parent) ? parent : undefined;
}
