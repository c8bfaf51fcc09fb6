import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { waitsForTerminalInput } from './input-wait.js';
import { lineEditorWaitsForKey } from './line-editor-wait.js';
import type { ProcReader } from './proc-reader.js';
import { spawnPty, type PtyProcess } from './pty-process.js';

const spawned: PtyProcess[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const pty of spawned.splice(0)) pty.kill('SIGKILL');
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** An interactive bash of no user files in a PTY, with everything it printed so far. */
function interactiveBash() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-editor-wait-'));
  folders.push(home);
  const pty = spawnPty({
    file: '/bin/bash',
    args: ['--norc', '--noprofile', '-i'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TERM: 'xterm-256color',
      HOME: home,
      PS1: 'ready$ ',
    },
    cwd: home,
    cols: 80,
    rows: 24,
  });
  spawned.push(pty);
  let printed = '';
  pty.onData((data) => {
    printed += data;
  });
  return { pty, printed: () => printed };
}

test('bash at its prompt waits for a key; running a command or a key binding, it does not', async () => {
  const { pty, printed } = interactiveBash();
  await vi.waitFor(
    () => {
      expect(printed()).toContain('ready$ ');
      expect(lineEditorWaitsForKey(pty.pid)).toBe(true);
    },
    { timeout: 10_000, interval: 10 },
  );
  // cat reads the terminal; bash waits for it.
  pty.write('cat\r');
  await vi.waitFor(
    () => {
      expect(printed()).toContain('cat\r\n');
      expect(lineEditorWaitsForKey(pty.pid)).toBe(false);
    },
    { timeout: 10_000, interval: 10 },
  );
  pty.write('\x03');
  await vi.waitFor(() => expect(lineEditorWaitsForKey(pty.pid)).toBe(true), {
    timeout: 10_000,
    interval: 10,
  });
  // A key binding that runs a command: bash runs it instead of reading keys.
  pty.write(`bind -x '"\\C-t": cat'\r`);
  await vi.waitFor(() => expect(printed().match(/ready\$ /g)).toHaveLength(3), {
    timeout: 10_000,
    interval: 10,
  });
  pty.write('\x14');
  await vi.waitFor(() => expect(lineEditorWaitsForKey(pty.pid)).toBe(false), {
    timeout: 10_000,
    interval: 10,
  });
}, 60_000);

test('bash reading a loop of its own from a pipe waits for no key, though the pipe is its input then', async () => {
  // As startup files and prompt hooks do: keys typed meanwhile are not read by anyone yet.
  const { pty, printed } = interactiveBash();
  await vi.waitFor(() => expect(printed()).toContain('ready$ '), { timeout: 10_000 });
  pty.write('while read -r line; do :; done < <(sleep 30); echo looped\r');
  await vi.waitFor(
    () => {
      const children = fs.readFileSync(`/proc/${pty.pid}/task/${pty.pid}/children`, 'utf8');
      expect(children.trim()).not.toBe('');
      expect(fs.readFileSync(`/proc/${pty.pid}/syscall`, 'utf8')).toMatch(/^0 0x0 /);
    },
    { timeout: 10_000, interval: 10 },
  );
  expect(lineEditorWaitsForKey(pty.pid)).toBe(false);
  expect(waitsForTerminalInput(pty.pid, { includeShell: true })).toBe(false);
}, 60_000);

test('a wait on another descriptor than the terminal, or on an architecture not known, is none', () => {
  const bitmapOf3 = Buffer.from([0b1000, 0, 0, 0, 0, 0, 0, 0]);
  const proc: ProcReader = {
    stat: () => undefined,
    syscall: () => '270 0x4 0x1000 0x0 0x0 0x7ffeaeb63140 0x0 0x0 0x0',
    fdTarget: (_pid, fd) => (fd === 0 ? '/dev/pts/4' : 'pipe:[1234]'),
    fdInfo: () => undefined,
    memory: (_pid, address, length) =>
      address === 0x1000n ? bitmapOf3.subarray(0, length) : undefined,
    children: () => [],
  };
  expect(lineEditorWaitsForKey(200, proc, 'x64')).toBe(false);
  const onTerminal: ProcReader = { ...proc, fdTarget: () => '/dev/pts/4' };
  expect(lineEditorWaitsForKey(200, onTerminal, 'x64')).toBe(true);
  expect(lineEditorWaitsForKey(200, onTerminal, 'mips')).toBe(false);
});
