import { describe, expect, test } from 'vitest';
import { RunRowsAboveFrame, runRowsAboveFrameText } from './run-rows-above-frame.js';

describe('runRowsAboveFrameText', () => {
  test('each row is a line; a row its terminal wrapped goes on with the next, filled out to the width', () => {
    const above = new RunRowsAboveFrame();
    above.rows = ['one', 'abcd ', 'ef', '\x1b[31mred\x1b[0m'];
    // The second row was cut of its trailing blank as a row; it filled 6 columns.
    above.continued = [false, true, false, false];
    expect(runRowsAboveFrameText(above, 6)).toBe('one\nabcd  ef\n\x1b[31mred\x1b[0m\n');
  });

  test('a last row said to go on still ends its line; none gives no text', () => {
    const above = new RunRowsAboveFrame();
    above.rows = ['abcdef'];
    above.continued = [true];
    expect(runRowsAboveFrameText(above, 6)).toBe('abcdef\n');
    expect(runRowsAboveFrameText(new RunRowsAboveFrame(), 6)).toBe('');
  });
});
