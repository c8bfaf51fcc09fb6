import { spawnSync } from 'node:child_process';

/** `ECHO` in a Linux termios `c_lflag`. */
const echoFlag = 0o10;
/** `ICANON` in a Linux termios `c_lflag`: lines are read whole, as a password is. */
const canonicalFlag = 0o2;

/**
 * The local-mode flags (`c_lflag`) of the terminal at `path` (`/dev/pts/N`), or `undefined` when
 * they cannot be had. Asks `stty`, as Node has no `tcgetattr`: `stty -g` prints the termios fields
 * in hex, `c_lflag` fourth.
 */
function localFlags(path: string): number | undefined {
  const result = spawnSync('stty', ['-F', path, '-g'], {
    encoding: 'utf8',
    timeout: 1000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (result.status !== 0) return undefined;
  const field = result.stdout.trim().split(':')[3];
  return field !== undefined && /^[0-9a-f]+$/i.test(field) ? Number.parseInt(field, 16) : undefined;
}

/**
 * Whether the terminal at `path` reads whole lines without echoing them: how a password is read
 * (`sudo`, `ssh`, `read -s`), not how a full-screen program reads keys. `undefined` when it
 * cannot be told.
 */
export function terminalReadsUnseen(path: string): boolean | undefined {
  const flags = localFlags(path);
  return flags === undefined
    ? undefined
    : (flags & echoFlag) === 0 && (flags & canonicalFlag) !== 0;
}
