import { spawnSync } from 'node:child_process';

/** `ECHO` in a Linux termios `c_lflag`. */
const echoFlag = 0o10;

/**
 * Whether the terminal at `path` (`/dev/pts/N`) has echo switched off, as a program does while it
 * reads a password; `undefined` when it cannot be told. Asks `stty`, as Node has no `tcgetattr`:
 * `stty -g` prints the termios fields in hex, `c_lflag` fourth.
 */
export function terminalEchoIsOff(path: string): boolean | undefined {
  const result = spawnSync('stty', ['-F', path, '-g'], { encoding: 'utf8', timeout: 1000, stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.status !== 0) return undefined;
  const localFlags = result.stdout.trim().split(':')[3];
  if (localFlags === undefined || !/^[0-9a-f]+$/i.test(localFlags)) return undefined;
  return (Number.parseInt(localFlags, 16) & echoFlag) === 0;
}
