import fs from 'node:fs';

/** The environment variable that marks every process one chaos iteration started, down to the shells' children. */
export const CHAOS_TAG_VARIABLE = 'LIFELINE_CHAOS_TAG';

/** A live process carrying a chaos tag. */
export interface TaggedProcess {
  readonly pid: number;
  readonly parentPid: number;
  /** Its command line, arguments joined by spaces. */
  readonly commandLine: string;
}

/** What is left of an iteration that should have ended every process it started. */
export interface Leftovers {
  /** Processes still in a tree that should be gone: gateways, session hosts, their shells and children. */
  readonly hanging: readonly TaggedProcess[];
  /** Processes whose parent died and that are not session hosts (hosts are meant to outlive theirs). */
  readonly orphans: readonly TaggedProcess[];
}

const sessionHostCommand = /\/host\.cjs s_[0-9a-z]{26}$/;

/** Whether a process is a session host (`node …/host/host.cjs <sid>`), the one kind meant to outlive its parent. */
export function isSessionHost(process: TaggedProcess): boolean {
  return sessionHostCommand.test(process.commandLine);
}

/**
 * Sorts the processes an iteration left behind: a non-host whose parent is neither the runner nor
 * another live tagged process lost its parent (an orphan); everything else still hangs in a tree.
 */
export function classifyLeftovers(
  processes: readonly TaggedProcess[],
  runnerPid: number,
): Leftovers {
  const live = new Set(processes.map((process) => process.pid));
  const hanging: TaggedProcess[] = [];
  const orphans: TaggedProcess[] = [];
  for (const process of processes) {
    const parentAlive = process.parentPid === runnerPid || live.has(process.parentPid);
    if (parentAlive || isSessionHost(process)) hanging.push(process);
    else orphans.push(process);
  }
  return { hanging, orphans };
}

/** Every live (not zombie) process whose environment carries `tag`, read from `/proc`. */
export function listTaggedProcesses(tag: string): TaggedProcess[] {
  const marker = `${CHAOS_TAG_VARIABLE}=${tag}`;
  const found: TaggedProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const environment = readProcFile(pid, 'environ');
    if (environment === undefined || !environment.split('\0').includes(marker)) continue;
    const stat = readProcFile(pid, 'stat');
    if (stat === undefined) continue;
    // The command name in parentheses may hold spaces and parentheses: split after the last one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') continue;
    const commandLine = (readProcFile(pid, 'cmdline') ?? '').split('\0').filter(Boolean).join(' ');
    found.push({ pid, parentPid: Number(fields[1]), commandLine });
  }
  return found;
}

/**
 * Waits until no process carries `tag`, polling every 25 ms.
 * @returns the tagged processes still alive after `timeoutMs` (empty when all are gone)
 */
export async function waitForTaggedGone(tag: string, timeoutMs: number): Promise<TaggedProcess[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const alive = listTaggedProcesses(tag);
    if (alive.length === 0 || performance.now() >= deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends `signal` to `pid`; a process that is already gone is not an error. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

function readProcFile(pid: number, name: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}
