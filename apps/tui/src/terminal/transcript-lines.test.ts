import { describe, expect, test } from 'vitest';
import { renderInTerminal } from './__fixtures__/headless-terminal.js';
import type { RenderedTerminal } from './__fixtures__/headless-terminal.js';
import { createOutputSanitizer } from './output-sanitizer.js';
import { createTranscriptLines, transcriptLineLimits } from './transcript-lines.js';
import type { TranscriptLines, TranscriptLinesOptions } from './transcript-lines.js';

function transcript(text: string, options: TranscriptLinesOptions = {}): TranscriptLines {
  const lines = createTranscriptLines(options);
  lines.append(text);
  return lines;
}

/** Every kept line, then the one being written if any. */
function shown(lines: TranscriptLines): string[] {
  const current = lines.currentLine();
  return [...lines.lastLines(Infinity), ...(current === undefined ? [] : [current])];
}

describe('a single scrolling column', () => {
  test('a progress bar redrawn with \\r shows only its final state', () => {
    const frames = [0, 25, 50, 75, 100].map(
      (percent) => `\r[${'#'.repeat(percent / 10).padEnd(10)}] ${percent}%`,
    );
    expect(shown(transcript(`downloading\r\n${frames.join('')}\r\ndone\r\n`))).toEqual([
      'downloading',
      '[##########] 100%',
      'done',
    ]);
  });

  test('text after \\r overwrites only as far as it goes', () => {
    expect(shown(transcript('Progress 100%\rDone\n'))).toEqual(['Doneress 100%']);
  });

  test('erase in line: to the end, to the start, and the whole line', () => {
    expect(shown(transcript('loading 99%\r\x1b[Kready\n'))).toEqual(['ready']);
    expect(shown(transcript('abcdef\x1b[3D\x1b[1K\n'))).toEqual(['    ef']);
    expect(shown(transcript('abcdef\x1b[2Kxy\n'))).toEqual(['      xy']);
  });

  test('column moves: absolute, forward and back', () => {
    expect(shown(transcript('abcdef\x1b[3GX\x1b[2CY\x1b[3DZ\n'))).toEqual(['abXZeY']);
    expect(shown(transcript('ab\x1b[5Cc\n'))).toEqual(['ab     c']);
  });

  test('tabs move to the next multiple of 8 without erasing what they pass', () => {
    expect(shown(transcript('a\tb\tc\nabcdefgh\ti\n12345678\r\tX\n'))).toEqual([
      'a\tb\tc',
      'abcdefgh\ti',
      '12345678X',
    ]);
  });

  test('a tab written at the end of a line stays a tab; written over, it gives way to blanks', () => {
    // Tab-separated values, an empty last field, and a tab after a move past the end.
    expect(shown(transcript('name\tage\nx\t\nab\x1b[2C\tc\n'))).toEqual([
      'name\tage',
      'x\t',
      'ab  \tc',
    ]);
    // Written over: the columns it moved over are blanks, as the terminal shows them.
    expect(shown(transcript('a\tb\rxy\n\tz\r\x1b[4GQ\n'))).toEqual(['xy      b', '   Q    z']);
    // Past the last column a tab only moves the cursor.
    expect(shown(transcript('abcdef\tg\n', { maxColumns: 6 }))).toEqual([
      'abcdef\x1b[2m… +1 columns\x1b[0m',
    ]);
  });

  test('backspace moves back one column and stops at the start', () => {
    expect(shown(transcript('abc\b\bX\n\b\bY\n'))).toEqual(['aXc', 'Y']);
  });

  test('a wide character takes two columns, and overwriting half of one blanks the other', () => {
    expect(shown(transcript('日本語\rab\n日本\r a\n'))).toEqual(['ab本語', ' a本']);
  });

  test('runs of one- and two-column characters in other scripts take their columns', () => {
    expect(shown(transcript('résumé → 日本語のテキスト ✓\rab\n'))).toEqual([
      'absumé → 日本語のテキスト ✓',
    ]);
    expect(shown(transcript('Ελληνικά\x1b[3D\x1b[Kκά\n'))).toEqual(['Ελληνκά']);
    expect(shown(transcript('日本語のテキスト\x1b[5G中文\n'))).toEqual(['日本中文テキスト']);
    const lines = transcript('日本語のテキスト\n', { maxColumns: 7 });
    expect(lines.lastLines(1)).toEqual(['日本語\x1b[2m… +9 columns\x1b[0m']);
  });

  test('combining marks join the character before them', () => {
    expect(shown(transcript('e\u0301x\rE\n'))).toEqual(['Ex']);
    expect(shown(transcript('cafe\u0301\n'))).toEqual(['cafe\u0301']);
  });

  test('controls that mean nothing in a column, and unknown sequences, are not shown', () => {
    expect(shown(transcript('a\x07b\x1b[2Jc\x1b[?25ld\x1b]0;title\x07e\x1b(0f\n'))).toEqual([
      'abcdef',
    ]);
  });
});

describe('styles', () => {
  test('SGR state carries across lines, and each line starts and ends in its own styles', () => {
    const lines = transcript('\x1b[1;31merror: first\nsecond\x1b[0m plain\nthird\n');
    expect(lines.lastLines(3)).toEqual([
      '\x1b[1;31merror: first\x1b[0m',
      '\x1b[1;31msecond\x1b[0m plain',
      'third',
    ]);
  });

  test('256-colour, truecolor and colon forms are rendered in the ; form', () => {
    const lines = transcript('\x1b[38:5:208ma\x1b[48;2;1;2;3mb\x1b[38:2::9:8:7mc\x1b[39;49md\n');
    expect(lines.line(0)).toBe(
      '\x1b[38;5;208ma\x1b[0;38;5;208;48;2;1;2;3mb\x1b[0;38;2;9;8;7;48;2;1;2;3mc\x1b[0md',
    );
  });

  test('attributes switch off one by one', () => {
    expect(transcript('\x1b[1;3;4mA\x1b[22mB\x1b[23;24mC\n').line(0)).toBe(
      '\x1b[1;3;4mA\x1b[0;3;4mB\x1b[0mC',
    );
  });

  test('overwriting keeps the style of each cell', () => {
    expect(transcript('\x1b[32mOK   \x1b[0m\r\x1b[31mNO\x1b[0m\n').line(0)).toBe(
      '\x1b[31mNO\x1b[0;32m   \x1b[0m',
    );
  });

  test('hyperlinks from the sanitiser are kept on their cells', () => {
    const lines = transcript('see \x1b]8;;https://example.com\x07docs\x1b]8;;\x07.\n');
    expect(lines.line(0)).toBe('see \x1b]8;;https://example.com\x07docs\x1b]8;;\x07.');
  });

  test('a line printed on its own in a terminal shows its colours', async () => {
    const lines = transcript('\x1b[38;5;208mwarning: one\ntwo\x1b[0m three\n');
    let screen: RenderedTerminal | undefined;
    try {
      screen = await renderInTerminal(lines.line(1) ?? '');
      expect(screen.row(0)).toBe('two three');
      expect(screen.foreground(0, 0)).toBe('palette:208');
      expect(screen.foreground(4, 0)).toBe('default');
    } finally {
      screen?.dispose();
    }
  });
});

describe('bounds', () => {
  test('only the last maxLines lines are kept, and the dropped ones are counted', () => {
    const lines = createTranscriptLines({ maxLines: 3 });
    for (let number = 1; number <= 10; number++) lines.append(`line ${number}\r\n`);
    expect(lines.lineCount).toBe(10);
    expect(lines.hiddenLineCount).toBe(7);
    expect(lines.lastLines(10)).toEqual(['line 8', 'line 9', 'line 10']);
    expect(lines.line(6)).toBeUndefined();
    expect(lines.line(7)).toBe('line 8');
    expect(lines.line(10)).toBeUndefined();
  });

  test('lines are also dropped to keep within maxCharacters, the newest always kept', () => {
    const lines = createTranscriptLines({ maxCharacters: 25 });
    lines.append('0123456789\n0123456789\n0123456789\n');
    expect(lines.hiddenLineCount).toBe(1);
    lines.append(`${'x'.repeat(40)}\n`);
    expect(lines.hiddenLineCount).toBe(3);
    expect(lines.lastLines(5)).toEqual(['x'.repeat(40)]);
  });

  test('a line longer than maxColumns is cut, with a marker of how much', () => {
    const lines = transcript(`${'a'.repeat(12)}日本\n${'b'.repeat(9)}日\n`, { maxColumns: 10 });
    expect(lines.lastLines(2)).toEqual([
      `${'a'.repeat(10)}\x1b[2m… +6 columns\x1b[0m`,
      `${'b'.repeat(9)}\x1b[2m… +1 columns\x1b[0m`,
    ]);
  });

  test('erasing the overflow removes the marker', () => {
    expect(transcript(`${'a'.repeat(20)}\r\x1b[Kshort\n`, { maxColumns: 10 }).line(0)).toBe(
      'short',
    );
  });

  test('a burst of style changes cannot inflate a line past the style budget', () => {
    const colours = Array.from({ length: 10_000 }, (_, index) => `\x1b[38;5;${index % 256}mx`).join(
      '',
    );
    const line = transcript(`${colours}\n`).line(0) ?? '';
    expect(line.length).toBeLessThan(10_000 + transcriptLineLimits.maxStyleLengthPerLine + 64);
    expect(line.replace(/\x1b\[[0-9;]*m/g, '')).toBe('x'.repeat(10_000));
    expect(line.endsWith('\x1b[0m')).toBe(true);
  });

  test('options must be whole numbers of at least 1', () => {
    expect(() => createTranscriptLines({ maxLines: 0 })).toThrow(/maxLines is 0/);
    expect(() => createTranscriptLines({ maxColumns: 2.5 })).toThrow(RangeError);
  });
});

describe('streaming', () => {
  test('a sequence or a surrogate pair cut by a chunk boundary is completed by the next chunk', () => {
    const lines = createTranscriptLines();
    for (const chunk of [
      '\x1b[3',
      '1mred \ud83d',
      '\ude00\x1b]8;;https://e.',
      'com\x07x\x1b]8;;\x07\n',
    ]) {
      lines.append(chunk);
    }
    expect(lines.line(0)).toBe(
      '\x1b[31mred \ud83d\ude00\x1b]8;;https://e.com\x07x\x1b]8;;\x07\x1b[0m',
    );
  });

  test('finish keeps a last line without a line break; an empty one adds nothing', () => {
    const lines = transcript('one\ntwo');
    expect(lines.currentLine()).toBe('two');
    lines.finish();
    expect([lines.lineCount, lines.currentLine(), lines.line(1)]).toEqual([2, undefined, 'two']);
    lines.append('\r\n'.slice(1));
    lines.finish();
    expect(lines.lineCount).toBe(3);
    lines.finish();
    expect(lines.lineCount).toBe(3);
  });

  test('fed from the sanitiser with line editing allowed, a redrawn status line ends clean', () => {
    const sanitizer = createOutputSanitizer({ allowLineEditing: true });
    const lines = createTranscriptLines();
    for (const chunk of [
      '\x1b[?25l\x1b]0;npm\x07⠋ install',
      '\r\x1b[2K\x1b[1G⠙ ins',
      'tall\r\x1b[2K\x1b[1G\x1b[32madded 3 packages\x1b[0m\n\x1b[?25h',
    ]) {
      lines.append(sanitizer.write(chunk).text);
    }
    lines.append(sanitizer.flush().text);
    lines.finish();
    expect(lines.lastLines(5)).toEqual(['\x1b[32madded 3 packages\x1b[0m']);
  });
});
