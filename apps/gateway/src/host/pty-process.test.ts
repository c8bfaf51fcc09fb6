import { afterEach, expect, test } from 'vitest';
import { spawnPty, type PtyProcess } from './pty-process.js';

const spawned: PtyProcess[] = [];

afterEach(() => {
  for (const pty of spawned.splice(0)) pty.kill('SIGKILL');
});

function spawnShellCommand(command: string): PtyProcess {
  const pty = spawnPty({
    file: '/bin/sh',
    args: ['-c', command],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' },
    cwd: process.cwd(),
    cols: 80,
    rows: 24,
  });
  spawned.push(pty);
  return pty;
}

/** Everything the program printed, as received before its exit was reported, and its exit. */
function untilExit(pty: PtyProcess) {
  let output = '';
  pty.onData((data) => {
    output += data;
  });
  return new Promise<{ output: string; code: number | null }>((resolve) => {
    pty.onExit(({ code }) => {
      resolve({ output, code });
    });
  });
}

test('a program that exits while its PTY is paused: what it printed last still comes before its exit', async () => {
  // Flow control pauses a PTY whose consumers are behind; the program may end meanwhile.
  const pty = spawnShellCommand('printf "last words é %s" "$(seq 1 2000 | tr "\\n" " ")"; exit 3');
  pty.pause();
  const { output, code } = await untilExit(pty);
  expect(code).toBe(3);
  expect(output.startsWith('last words é 1 2 3 ')).toBe(true);
  expect(output.trimEnd().endsWith(' 1999 2000')).toBe(true);
});

test("a program's output and exit, unpaused: all of it, once, then the exit", async () => {
  const pty = spawnShellCommand('seq 1 5000; exit 7');
  const { output, code } = await untilExit(pty);
  expect(code).toBe(7);
  const numbers = output.split('\r\n').filter((line) => line !== '');
  expect(numbers).toEqual(Array.from({ length: 5000 }, (_, index) => String(index + 1)));
});
