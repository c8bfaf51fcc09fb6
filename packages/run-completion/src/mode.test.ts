import { expect, test } from 'vitest';
import { selectMode } from './mode.js';

test.each([
  [{ kind: 'bash', version: '5.2.15(1)-release' }, 'prompt-hook'],
  [{ kind: 'bash', version: '4.4.20(1)-release' }, 'prompt-hook'],
  [{ kind: 'bash', version: '4.3.48(1)-release' }, 'postamble'],
  [{ kind: 'bash', version: '3.2.57(1)-release' }, 'postamble'],
  [{ kind: 'bash' }, 'postamble'],
  [{ kind: 'zsh' }, 'prompt-hook'],
  [{ kind: 'fish' }, 'prompt-hook'],
  [{ kind: 'dash' }, 'postamble'],
  [{ kind: 'busybox' }, 'postamble'],
  [{ kind: 'ksh' }, 'postamble'],
  [{ kind: 'posix' }, 'postamble'],
  [{ kind: 'unknown' }, 'postamble'],
] as const)('selectMode(%o) is %s', (shell, mode) => {
  expect(selectMode(shell)).toBe(mode);
});
