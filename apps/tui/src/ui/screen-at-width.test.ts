import { describe, expect, test } from 'vitest';
import type { LiveRun } from '../session/transcript-fold.js';
import { screenAtWidth } from './screen-at-width.js';

function run(screen: string[], continued: boolean[], cursor: LiveRun['cursor']): LiveRun {
  return {
    runId: 'r1',
    command: 'cat',
    startSeq: 0,
    startedAt: 0,
    screen,
    screenContinued: continued,
    cursor,
    awaitingEcho: false,
    waitsForInput: false,
    waitEndedWithoutLine: undefined,
  };
}

describe('screenAtWidth', () => {
  test('a screen as wide as the terminal, or narrower, is shown as it is', () => {
    const same = run(['abcdef', 'gh', ''], [true, false, false], { row: 2, column: 0 });
    expect(screenAtWidth(same, 6)).toEqual({
      rows: same.screen,
      continued: same.screenContinued,
      cursor: same.cursor,
    });
  });

  test('wider than the terminal: its lines wrapped at the width, rows going on, the cursor on its character', () => {
    // 8 columns wide, shown on 5: `abcd efg` went on with `hi` (its blank at the row's end trimmed).
    const wide = run(['abcd efg', 'hi', 'x', 'prompt>'], [true, false, false, false], {
      row: 3,
      column: 7,
    });
    expect(screenAtWidth(wide, 5)).toEqual({
      rows: ['abcd ', 'efghi', 'x', 'promp', 't>'],
      continued: [true, false, false, true, false],
      cursor: { row: 4, column: 2 },
    });
  });

  test('styles go on on the next row and end on each; a wide character that does not fit starts the next row', () => {
    const styled = run(['\x1b[31mredredred\x1b[0m ok', '漢字漢字'], [false, false], undefined);
    expect(screenAtWidth(styled, 5).rows).toEqual([
      '\x1b[31mredre\x1b[0m',
      '\x1b[31mdred\x1b[0m ',
      'ok',
      '漢字',
      '漢字',
    ]);
  });
});
