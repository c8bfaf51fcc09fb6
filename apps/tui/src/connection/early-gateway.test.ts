import { describe, expect, test } from 'vitest';
import { isTuiInvocation, sizeArguments } from './early-gateway.js';

describe('isTuiInvocation', () => {
  test.each([[[]], [['-c']], [['--continue']], [['--resume', 's_01m80d15abc']], [['--resume=s_01m80d15abc']]])(
    '%j opens the TUI: its gateway can start before the rest loads',
    (argv) => {
      expect(isTuiInvocation(argv)).toBe(true);
    },
  );

  test.each([[['exec', '--', 'true']], [['--help']], [['sessions']], [['-c', 'extra']], [['--resume']], [['--resume=']], [['logs', '-c']]])(
    '%j is left to the full argument parser',
    (argv) => {
      expect(isTuiInvocation(argv)).toBe(false);
    },
  );
});

describe('sizeArguments', () => {
  test('passes the terminal size only when a session can have it (1–1000 each way)', () => {
    expect(sizeArguments(120, 40)).toEqual(['--size', '120x40']);
    expect(sizeArguments(1000, 1)).toEqual(['--size', '1000x1']);
    for (const [cols, rows] of [[0, 24], [80, 0], [1001, 24], [Number.NaN, 24], [80.5, 24]]) {
      expect(sizeArguments(cols ?? 0, rows ?? 0), `${String(cols)}x${String(rows)}`).toEqual([]);
    }
  });
});
