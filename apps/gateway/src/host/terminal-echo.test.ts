import { afterEach, describe, expect, test, vi } from 'vitest';
import { linuxProc } from './proc-reader.js';
import { spawnPty, type PtyProcess } from './pty-process.js';
import { terminalReadsUnseen } from './terminal-echo.js';

const ptys: PtyProcess[] = [];
afterEach(() => {
  for (const pty of ptys.splice(0)) pty.kill('SIGKILL');
});

/** A real PTY running `script`; resolves with the path of its terminal once `script` signalled it ran. */
async function terminalRunning(script: string): Promise<string> {
  const pty = spawnPty({
    file: '/bin/sh',
    args: ['-c', `${script}; echo ready; exec sleep 30`],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm' },
    cwd: '/',
    cols: 80,
    rows: 24,
  });
  ptys.push(pty);
  let output = '';
  pty.onData((data) => {
    output += data;
  });
  await vi.waitFor(
    () => {
      expect(output).toContain('ready');
    },
    { timeout: 10_000, interval: 20 },
  );
  const terminal = linuxProc.fdTarget(pty.pid, 0);
  expect(terminal).toMatch(/^\/dev\/pts\/\d+$/);
  return terminal ?? '';
}

describe('terminalReadsUnseen', () => {
  test('tells a password being read (lines, no echo) from keys read raw without echo and from lines echoed', async () => {
    expect(terminalReadsUnseen(await terminalRunning('stty -echo'))).toBe(true);
    expect(terminalReadsUnseen(await terminalRunning('stty raw -echo'))).toBe(false);
    expect(terminalReadsUnseen(await terminalRunning('stty echo'))).toBe(false);
  });

  test('cannot tell for what is not a terminal', () => {
    expect(terminalReadsUnseen('/dev/null')).toBeUndefined();
    expect(terminalReadsUnseen('/nonexistent/pts/9')).toBeUndefined();
  });
});
