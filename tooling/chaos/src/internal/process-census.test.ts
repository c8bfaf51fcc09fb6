import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { isProcessAlive } from '../../../../apps/gateway/src/state/writer-lock.js';
import {
  CHAOS_TAG_VARIABLE,
  classifyLeftovers,
  listTaggedProcesses,
  waitForTaggedGone,
} from './process-census.js';

const runner = 1000;
const host = {
  pid: 40,
  parentPid: 1,
  commandLine: '/usr/bin/node --expose-gc /x/dist/host/host.cjs s_01hzy3k7m2q9v8c4x6t1b5n0rd',
};

describe('classifyLeftovers', () => {
  test('a shell whose host died is an orphan; the host itself never is', () => {
    const shell = { pid: 41, parentPid: 1, commandLine: '/bin/bash --rcfile x' };
    expect(classifyLeftovers([host, shell], runner)).toEqual({ hanging: [host], orphans: [shell] });
  });

  test('a gateway still under the runner and a shell still under its host hang, they are not orphans', () => {
    const gateway = { pid: 50, parentPid: runner, commandLine: '/usr/bin/node /x/dist/cli.js' };
    const shell = { pid: 41, parentPid: 40, commandLine: '/bin/bash' };
    const child = { pid: 42, parentPid: 41, commandLine: 'sleep 100' };
    expect(classifyLeftovers([gateway, host, shell, child], runner)).toEqual({
      hanging: [gateway, host, shell, child],
      orphans: [],
    });
  });

  test('a gateway whose wrapper died is an orphan', () => {
    const gateway = { pid: 51, parentPid: 1, commandLine: '/usr/bin/node /x/dist/cli.js' };
    expect(classifyLeftovers([gateway], runner).orphans).toEqual([gateway]);
  });
});

describe('listTaggedProcesses', () => {
  const children: number[] = [];
  afterEach(() => {
    for (const pid of children.splice(0)) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  test('finds a process and its child by the tag in their environment, and only those', async () => {
    const tag = `census-${process.pid}-${Date.now()}`;
    const parent = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], {
      env: { PATH: process.env.PATH, [CHAOS_TAG_VARIABLE]: tag },
      stdio: 'ignore',
    });
    children.push(parent.pid ?? 0);
    const untagged = spawn('/bin/sh', ['-c', 'sleep 30'], {
      env: { PATH: process.env.PATH },
      stdio: 'ignore',
    });
    children.push(untagged.pid ?? 0);
    // The shell's child is a copy of the shell until it has exec'd sleep: wait for both to be seen.
    await expect
      .poll(
        () =>
          listTaggedProcesses(tag)
            .map((entry) => entry.commandLine)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['/bin/sh -c sleep 30 & wait', 'sleep 30']);
    const found = listTaggedProcesses(tag);
    const shell = found.find((entry) => entry.pid === parent.pid);
    expect(shell?.parentPid).toBe(process.pid);
    expect(found.find((entry) => entry.pid !== parent.pid)?.commandLine).toBe('sleep 30');
    children.push(...found.map((entry) => entry.pid));
    process.kill(parent.pid ?? 0, 'SIGKILL');
    await expect
      .poll(
        () =>
          classifyLeftovers(listTaggedProcesses(tag), process.pid).orphans.map(
            (entry) => entry.commandLine,
          ),
        { timeout: 10_000 },
      )
      .toEqual(['sleep 30']);
    for (const entry of found) {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // The shell may already have ended after its child: only the child is left to kill.
      }
    }
    expect(await waitForTaggedGone(tag, 10_000)).toEqual([]);
  });
});
