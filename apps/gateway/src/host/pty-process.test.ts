import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

test('200 KB typed to a program in raw mode that reads none of it yet: this process goes on, and the program gets every byte, in order, once it reads', async () => {
  // Raw mode, as a line editor or a full-screen program has it: the kernel takes a few KB, then
  // refuses more until the program reads. It reads once told to, by a file this process makes.
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-pty-input-'));
  const go = path.join(directory, 'go');
  try {
    const pty = spawnShellCommand(
      `exec python3 -c "import os, sys, time, tty, hashlib; tty.setraw(0); print('raw', flush=True)
while not os.path.exists('${go}'): time.sleep(0.01)
data = sys.stdin.buffer.read(200000); print(len(data), hashlib.sha256(data).hexdigest())"`,
    );
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    await waitFor(() => output.includes('raw'));
    const text = Array.from({ length: 200_000 }, (_, index) => 'abcdefghij'[index % 10]).join('');
    pty.write(text);
    // The write returned with most of it waiting, and this process goes on.
    await new Promise((resolve) => setTimeout(resolve, 20));
    fs.writeFileSync(go, '');
    const digest = createHash('sha256').update(text).digest('hex');
    await waitFor(() => output.includes(digest));
    expect(output).toContain(`200000 ${digest}`);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}, 20_000);

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('Backspace in a line read by the terminal itself (cooked mode) erases a whole character, as a UTF-8 terminal does', async () => {
  // `head -1` reads the line the terminal put together; `od` shows what it got, in hex.
  const pty = spawnShellCommand('head -n 1 | od -An -tx1');
  const exited = untilExit(pty);
  // Typed once the program waits for the line: é (2 bytes), 日 (3 bytes), Backspace, Enter.
  pty.write('é日\x7f\r');
  const { output, code } = await exited;
  expect(code).toBe(0);
  // é and the line end; nothing left of 日.
  expect(output.trim().split(/\s+/).slice(-3)).toEqual(['c3', 'a9', '0a']);
});
