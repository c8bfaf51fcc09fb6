// Vitest global setup for the whole run: afterwards, no lifeline process started by the tests may
// still be running. Leftovers are killed, and the run fails with their command lines.
import fs from 'node:fs';

const lifelineProcess = /(?:apps\/gateway|apps\/tui|@lifeline\/gateway|node_modules\/lifeline)\/dist\/cli\.js/;

function lifelinePids(): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      if (!zombie && lifelineProcess.test(commandLine)) found.set(pid, commandLine);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export default function noLeftoverProcesses(): () => Promise<void> {
  const before = lifelinePids();
  return async () => {
    let leftovers: [number, string][] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      leftovers = [...lifelinePids()].filter(([pid]) => !before.has(pid));
      if (leftovers.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const [pid] of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone in the meantime.
      }
    }
    // An error thrown here is only reported: the exit code makes the run fail.
    process.exitCode = 1;
    throw new Error(
      `the tests left ${leftovers.length} lifeline process(es) running (now killed):\n${leftovers.map(([pid, command]) => `  ${pid} ${command}`).join('\n')}`,
    );
  };
}
