// Vitest global setup for the whole run: afterwards, no lifeline process started by the tests may
// still be running. Leftovers are killed, and the run fails with their command lines.
//
// Only this run's own processes are ever looked at: the run gets a private temporary directory
// (TMPDIR, inherited by the test workers), every test world makes its LIFELINE_HOME below it, and a
// process counts as ours only when its environment names a LIFELINE_HOME there. Lifeline processes
// of anyone else on the machine (a TUI in use, another checkout's test run) are never touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const lifelineProcess =
  /(?:apps\/gateway|apps\/tui|@lifeline\/gateway|node_modules\/lifeline)\/dist\/cli\.js/;

function environmentOf(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/** This run's lifeline processes still alive (not zombies), with their command lines. */
function runPids(runDirectory: string): Map<number, string> {
  const found = new Map<number, string>();
  const ownHome = `LIFELINE_HOME=${runDirectory}${path.sep}`;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const commandLine = fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .replaceAll('\0', ' ')
        .trim();
      if (!lifelineProcess.test(commandLine)) continue;
      if (!environmentOf(pid).some((variable) => variable.startsWith(ownHome))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      if (!zombie) found.set(pid, commandLine);
    } catch (error) {
      // The process ended while we looked, or is another user's (its environment is not ours to read).
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ESRCH' && code !== 'EACCES') throw error;
    }
  }
  return found;
}

export default function noLeftoverProcesses(): () => Promise<void> {
  const runDirectory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'test-run-')));
  process.env.TMPDIR = runDirectory;
  return async () => {
    let leftovers: [number, string][] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      leftovers = [...runPids(runDirectory)];
      if (leftovers.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const [pid] of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone in the meantime.
      }
    }
    fs.rmSync(runDirectory, { recursive: true, force: true });
    if (leftovers.length === 0) return;
    // An error thrown here is only reported: the exit code makes the run fail.
    process.exitCode = 1;
    throw new Error(
      `the tests left ${leftovers.length} lifeline process(es) running (now killed):\n${leftovers.map(([pid, command]) => `  ${pid} ${command}`).join('\n')}`,
    );
  };
}
