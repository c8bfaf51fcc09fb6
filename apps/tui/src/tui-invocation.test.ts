import { describe, expect, test } from 'vitest';
import { isTuiInvocation } from './tui-invocation.js';

describe('isTuiInvocation', () => {
  test.each([
    [[]],
    [['-c']],
    [['--continue']],
    [['--resume', 's_01m80d15abc']],
    [['--resume=s_01m80d15abc']],
  ])('%j opens the TUI: its gateway can start before the rest loads', (argv) => {
    expect(isTuiInvocation(argv)).toBe(true);
  });

  test.each([
    [['exec', '--', 'true']],
    [['--help']],
    [['sessions']],
    [['-c', 'extra']],
    [['--resume']],
    [['--resume=']],
    [['logs', '-c']],
  ])('%j is left to the full argument parser', (argv) => {
    expect(isTuiInvocation(argv)).toBe(false);
  });
});
