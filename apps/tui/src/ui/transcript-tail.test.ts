import { describe, expect, test } from 'vitest';
import { wrapping } from '../terminal-sequences.js';
import { TranscriptTail } from './transcript-tail.js';

describe('TranscriptTail', () => {
  test('says how many of the top rows are the rest of a line cut there, at any width', () => {
    const tail = new TranscriptTail();
    // Lines of 25 columns: three rows at 10 columns, two at 20, one at 30.
    tail.wrote(wrapping(`${'a'.repeat(25)}\n${'b'.repeat(25)}\n`));
    tail.wrote(`\x1b[2K\x1b[1A\x1b[2K\x1b[G${wrapping(`\x1b[31m${'c'.repeat(25)}\x1b[0m\n`)}`);
    expect(tail.rowsOfLineCutAtTop(20, 3)).toBe(1);
    expect(tail.rowsOfLineCutAtTop(20, 4)).toBe(0);
    expect(tail.rowsOfLineCutAtTop(10, 8)).toBe(2);
    expect(tail.rowsOfLineCutAtTop(30, 3)).toBe(0);
    // More rows than the lines take: what is above them is not known.
    expect(tail.rowsOfLineCutAtTop(30, 4)).toBeUndefined();
  });

  test('text that moves the cursor starts the lines afresh; a line not ended says nothing', () => {
    const tail = new TranscriptTail();
    tail.wrote(wrapping(`${'a'.repeat(25)}\n${'b'.repeat(25)}\n`));
    // A redraw in place: rows erased and the cursor placed, then lines.
    tail.wrote(wrapping(`\x1b[5;1H\x1b[2K${'d'.repeat(15)}\n`));
    expect(tail.rowsOfLineCutAtTop(10, 2)).toBe(0);
    expect(tail.rowsOfLineCutAtTop(10, 3)).toBeUndefined();
    tail.wrote(wrapping('half'));
    expect(tail.rowsOfLineCutAtTop(10, 2)).toBeUndefined();
    tail.wrote(' done\n');
    expect(tail.rowsOfLineCutAtTop(10, 3)).toBe(0);
  });
});
