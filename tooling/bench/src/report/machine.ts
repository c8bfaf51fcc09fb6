import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a benchmark ran on: part of every report, since figures only compare within one machine. */
export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
  date: string;
}

/** Describes this machine now. */
export function describeMachine(now = new Date()): MachineDescription {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    date: now.toISOString(),
  };
}

/** Records the machine a suite ran on, beside its results. */
export function writeMachine(resultsDir: string, suite: string): void {
  const file = path.join(resultsDir, 'machine.json');
  let machines: Record<string, MachineDescription> = {};
  try {
    machines = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, MachineDescription>;
  } catch {
    machines = {};
  }
  machines[suite] = describeMachine();
  fs.writeFileSync(file, `${JSON.stringify(machines, null, 2)}\n`);
}
