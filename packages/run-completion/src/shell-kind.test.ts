import { expect, test } from 'vitest';
import { detectShellKind } from './shell-kind.js';

test.each([
  ['/bin/bash', 'bash'],
  ['-bash', 'bash'],
  ['/usr/local/bin/zsh', 'zsh'],
  ['fish', 'fish'],
  ['/bin/dash', 'dash'],
  ['/usr/bin/ksh93', 'ksh'],
  ['/bin/busybox', 'busybox'],
  ['/bin/sh', 'posix'],
  ['/bin/ash', 'posix'],
  ['C:\\Program Files\\Git\\bin\\bash.exe', 'bash'],
  ['/usr/bin/nu', 'unknown'],
  ['', 'unknown'],
] as const)('detectShellKind(%j) is %s', (path, kind) => {
  expect(detectShellKind(path)).toBe(kind);
});
