import { describe, expect, test } from 'vitest';
import { createEmulatedScreen } from './emulated-screen.js';

/** Everything a screen hands out for `chunks`, its end included. */
function linesOf(chunks: string[], size = { cols: 20, rows: 5 }): string[] {
  const screen = createEmulatedScreen(size);
  return [...chunks.flatMap((chunk) => screen.push(chunk)), ...screen.end()];
}

describe('createEmulatedScreen', () => {
  test('a redraw from the top of a screen a narrower terminal wrapped joins nothing to the rows above', () => {
    // A full-screen program's rows wrapped again as the terminal got narrower; it redraws from home.
    const screen = createEmulatedScreen({ cols: 30, rows: 4 });
    screen.push('header one\r\nprocess 1 with a long name xx\r\nprocess 2 short\r\n');
    screen.resize({ cols: 15, rows: 3 });
    const redrawn = screen.push('\x1b[Hheader two\x1b[K\r\nprocess 1\x1b[K\r\nprocess 2\x1b[K');
    const lines = [...redrawn, ...screen.end()];
    expect(lines.at(-3)).toBe('header two');
    expect(lines.slice(-2)).toEqual(['process 1', 'process 2']);
    expect(lines.every((line) => !/\S(header|process) \d/.test(line))).toBe(true);
  });

  test('an empty line that ends the output is kept when the screen changed its size under it', () => {
    for (const size of [
      { cols: 12, rows: 5 },
      { cols: 30, rows: 8 },
    ]) {
      const screen = createEmulatedScreen({ cols: 20, rows: 5 });
      const lines = screen.push('y1\r\n\r\n');
      screen.resize(size);
      lines.push(...screen.push('y2\r\n\r\n'), ...screen.end());
      expect(lines, `${size.cols}×${size.rows}`).toEqual(['y1', '', 'y2', '']);
    }
  });

  test('a display redrawn in place with cursor-up leaves its last frame, once', () => {
    let output = '\r\n\r\n';
    for (let update = 1; update <= 1000; update += 1)
      output += `\x1b[2A\r\x1b[Kstep ${update}\r\n\x1b[Kbar ${update % 10}\r\n`;
    expect(linesOf([output])).toEqual(['step 1000', 'bar 0']);
  });

  test("a line editor's line taller than the screen, drawn again from its first row at each change (fish): each row leaves once", () => {
    // A prompt and four lines on a screen of three rows. At each change the line editor goes back
    // up to its first line (the top holds the cursor), then down over the lines to draw the one
    // that changed: each line it comes down over past the bottom scrolls a row away.
    const lines = ['w> echo 1', '   echo 2', '   echo 3', '   echo 4'];
    let output = lines.join('\r\n');
    for (let change = 1; change <= 50; change += 1)
      output += `\x1b[${lines.length - 1}A\r${'\r\n'.repeat(lines.length - 1)}   echo 4`;
    const left = (options: { lineEditor?: boolean }) =>
      createEmulatedScreen({ cols: 20, rows: 3 }, options).push(output);
    // Only the row the line grew past the bottom with: the rows drawn again are its line again.
    expect(left({ lineEditor: true })).toEqual(['w> echo 1']);
    // A run's screen hands out every row that leaves, as a terminal keeps it.
    expect(left({})).toHaveLength(51);
  });

  test('the same line editor going up a row at a time with ESC M, as it does under TERM=tmux-256color or screen: each row leaves once', () => {
    const lines = ['w> echo 1', '   echo 2', '   echo 3', '   echo 4'];
    let output = lines.join('\r\n');
    for (let change = 1; change <= 50; change += 1)
      output += `${'\x1bM'.repeat(lines.length - 1)}\r${lines.join('\r\n')}`;
    const screen = createEmulatedScreen({ cols: 20, rows: 3 }, { lineEditor: true });
    expect(screen.push(output)).toEqual(['w> echo 1']);
  });

  test("rows the TUI scrolls off a line editor's screen after it went above the top, and rows it prints once it placed the cursor by row number, are handed out", () => {
    const screen = createEmulatedScreen({ cols: 20, rows: 3 }, { lineEditor: true });
    const wentAbove = 'w> echo 1\r\n   echo 2\r\n   echo 3\r\n   echo 4\x1b[3A';
    expect(screen.push(wentAbove)).toEqual(['w> echo 1']);
    expect(screen.scrollToCursorRow()).toEqual([]);
    screen.push('\x1b[2B');
    expect(screen.scrollToCursorRow()).toEqual(['   echo 2', '   echo 3']);
    // Ctrl+L: the screen erased, the line drawn again from its top.
    screen.push('\x1b[10A\x1b[H\x1b[2J');
    expect(screen.push('w> echo 1\r\n   echo 2\r\n   echo 3\r\n   echo 4')).toEqual(['w> echo 1']);
  });

  test('a line that wraps over thousands of rows comes out in pieces of whole rows, 64 Ki code units and up, nothing lost, each piece drawn where the terminal wrapped it', () => {
    const cols = 100;
    const long = Array.from({ length: 200_000 }, (_, index) =>
      String.fromCharCode(97 + (index % 26)),
    ).join('');
    for (const chunks of [
      [`${long}\r\nnext\r\n`],
      [...(long.match(/.{1,7000}/g) ?? []), '\r\nnext\r\n'],
    ]) {
      const lines = linesOf(chunks, { cols, rows: 25 });
      expect(lines.at(-1)).toBe('next');
      const pieces = lines.slice(0, -1);
      expect(pieces.join('')).toBe(long);
      for (const piece of pieces.slice(0, -1)) {
        expect(piece.length).toBeGreaterThanOrEqual(64 * 1024);
        expect(piece.length % cols).toBe(0);
      }
    }
  });

  test('a row thousands of columns wide, of styled emoji, accented letters and plain text, comes out whole and in its styles', () => {
    const cols = 3000;
    // 500 pieces of 6 columns: an emoji (2 columns, 2 code units), e + a combining acute, 3 letters.
    const pieces = Array.from(
      { length: 500 },
      (_, index) => `\x1b[3${index % 2 ? 1 : 2}m🙂e\u0301\x1b[0m${String(index).padStart(3, '0')}`,
    );
    const [row] = linesOf([`${pieces.join('')}\r\n`], { cols, rows: 3 });
    const text = pieces.map((piece) => piece.replace(/\x1b\[[0-9;]*m/g, '')).join('');
    expect(row?.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
    expect(row?.match(/\x1b\[31m🙂e\u0301/g)).toHaveLength(250);
    expect(row?.match(/\x1b\[32m🙂e\u0301/g)).toHaveLength(250);
    // A narrow row after it comes out alone, with nothing of the wide one.
    expect(linesOf(['ab\r\n'], { cols, rows: 3 })).toEqual(['ab']);
  });

  test('lines that scroll off come out as they scroll, in order, each once, however the output is cut', () => {
    const numbers = Array.from({ length: 5000 }, (_, index) => `${index + 1}`);
    const output = numbers.map((line) => `${line}\r\n`).join('');
    const screen = createEmulatedScreen({ cols: 20, rows: 5 });
    const early = screen.push(output.slice(0, 30));
    // 30 characters end 9 lines and start the 10th: a screen of 5 rows keeps 6 to 10.
    expect(early).toEqual(numbers.slice(0, 5));
    const rest = [
      ...screen.push(output.slice(30, 7001)),
      ...screen.push(output.slice(7001)),
      ...screen.end(),
    ];
    expect([...early, ...rest]).toEqual(numbers);
  });

  test('scrolled to the cursor row (the user saw the rows above it): they are handed out once, the line being written goes on at the top', () => {
    const screen = createEmulatedScreen({ cols: 20, rows: 5 });
    expect(screen.push('one\r\ntwo\r\nName? ')).toEqual([]);
    expect(screen.scrollToCursorRow()).toEqual(['one', 'two']);
    expect(screen.rows(true)).toEqual(['Name? ']);
    expect(screen.cursor()).toEqual({ row: 0, column: 6 });
    // Nothing above the cursor now: nothing more to hand out.
    expect(screen.scrollToCursorRow()).toEqual([]);
    expect([...screen.push('bob\r\nhi bob\r\n'), ...screen.end()]).toEqual(['Name? bob', 'hi bob']);

    // A full-screen program's rows are not the transcript's.
    const editor = createEmulatedScreen({ cols: 20, rows: 5 });
    editor.push('\x1b[?1049hline 1\r\nline 2');
    expect(editor.scrollToCursorRow()).toEqual([]);
  });

  test('a screen that grows (a pager given the whole terminal) hands out each line once, and no row it never showed', () => {
    const numbers = Array.from({ length: 100 }, (_, index) => `${index + 1}`);
    const output = numbers.map((line) => `${line}\r\n`).join('');
    for (const pager of ['', '\x1b[?1049hpage\x1b[?1049l']) {
      const screen = createEmulatedScreen({ cols: 20, rows: 5 });
      // A few lines through the emulator first, then many that skip it (plain lines).
      const lines = [...screen.push(output.slice(0, 12)), ...screen.push(output.slice(12))];
      screen.push(pager.slice(0, pager.indexOf('page') + 4));
      screen.resize({ cols: 20, rows: 12 });
      lines.push(...screen.push(pager.slice(pager.indexOf('page') + 4)), ...screen.end());
      expect(lines, pager === '' ? 'no pager' : 'a pager').toEqual(numbers);
    }
  });

  test('empty lines the program printed stay, at its end too; the rows under the cursor are not lines', () => {
    expect(linesOf(['\r\n'])).toEqual(['']);
    expect(linesOf(['a\r\n\r\n\r\nb\r\n\r\n'])).toEqual(['a', '', '', 'b', '']);
    // Scrolled through the screen, and with the cursor left on a line the program wrote.
    expect(linesOf(['1\r\n2\r\n3\r\n4\r\n5\r\n\r\n\r\n'])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '',
      '',
    ]);
    expect(linesOf(['top\r\n\r\n\r\nbottom\x1b[H'])).toEqual(['top', '', '', 'bottom']);
    expect(linesOf([''])).toEqual([]);
  });

  test('a screen cleared and drawn again (top without the alternate screen) leaves one screen', () => {
    const frames = Array.from(
      { length: 50 },
      (_, frame) => `\x1b[H\x1b[2Jtop frame ${frame}\r\nTasks: ${frame}\r\n%Cpu ${frame}`,
    );
    expect(linesOf(frames)).toEqual(['top frame 49', 'Tasks: 49', '%Cpu 49']);
  });

  test('a line wrapped at the edge comes out whole; wide characters and emoji keep their cells', () => {
    const wide = `${'中文X'.repeat(9)}🎉👍🏽`;
    expect(linesOf([`${wide}\r\nnext\r\n`])).toEqual([wide, 'next']);
  });

  test('combining marks, characters beyond 16 bits, colours and blanks that show come out as drawn, each style change once', () => {
    const lines = linesOf(
      [
        'cafe\u0301 e\u0301\u0327 \x1b[38;2;255;100;0mrgb\x1b[48;2;1;2;3m bg\x1b[0m\r\n',
        '\x1b[4:3;58;5;196mcurly\x1b[4:1mplain\x1b[24m none \x1b[41m   \x1b[0m\r\n',
        '\x1b[7mrev\x1b[0m   \x1b[7m  \x1b[0m   \r\n',
        '\x1b[1;31mAB\x1b[0m\x1b[1;31mCD\x1b[0m\x1b[32mEF\x1b[1;31mGH\x1b[0m 𝕏𝕐\r\n',
      ],
      { cols: 30, rows: 5 },
    );
    expect(lines).toEqual([
      'cafe\u0301 e\u0301\u0327 \x1b[38;2;255;100;0mrgb\x1b[0;38;2;255;100;0;48;2;1;2;3m bg\x1b[0m',
      // A background or reverse video shows on blanks, which stay; plain blanks at the end do not.
      '\x1b[4mcurlyplain\x1b[0m none \x1b[41m   \x1b[0m',
      '\x1b[7mrev\x1b[0m   \x1b[7m  \x1b[0m',
      '\x1b[1;31mABCD\x1b[0;32mEF\x1b[0;1;31mGH\x1b[0m 𝕏𝕐',
    ]);
  });

  test('what a program draws on the alternate screen never reaches the lines', () => {
    expect(linesOf(['before\r\n\x1b[?1049hfull screen\r\nmore\x1b[?1049lafter\r\n'])).toEqual([
      'before',
      'after',
    ]);
  });

  test('only text and colours come out: cursor moves, titles and clipboard writes do not', () => {
    const [line] = linesOf([
      '\x1b]0;title\x07\x1b]52;c;aGVsbG8=\x07\x1b[31mred\x1b[0m \x1b[1;38;5;208mbold\x1b[0m\x1b[7G!\r\n',
    ]);
    expect(line).toBe('\x1b[31mred\x1b[0m \x1b[1;38;5;208mbo\x1b[0m!\x1b[1;38;5;208md\x1b[0m');
  });

  test('rows through the cursor keep what is before it; after a resize output wraps at the new width', () => {
    const screen = createEmulatedScreen({ cols: 20, rows: 5 });
    screen.push('one\r\nname: ');
    expect(screen.rows()).toEqual(['one', 'name:']);
    expect(screen.rows(true)).toEqual(['one', 'name: ']);
    screen.resize({ cols: 10, rows: 5 });
    screen.push('\r\n0123456789abcdef');
    expect(screen.rows()).toEqual(['one', 'name:', '0123456789', 'abcdef']);
  });

  test('a row says whether its line goes on on the next: where the terminal wrapped it, not where a line fills the row and ends', () => {
    const screen = createEmulatedScreen({ cols: 10, rows: 6 });
    screen.push('0123456789abcdef\r\n0123456789\r\nshort\r\n');
    const rows = screen.rows();
    expect(rows).toEqual(['0123456789', 'abcdef', '0123456789', 'short']);
    expect(screen.rowsContinued(rows.length)).toEqual([true, false, false, false]);
    // A line wrapped onto a row past those asked for: the last asked for does not go on.
    expect(screen.rowsContinued(1)).toEqual([false]);
  });

  test('made narrower, the cursor stays on its character though lines under it wrap: a shell redrawing its line and list from there leaves no copy', () => {
    const screen = createEmulatedScreen({ cols: 40, rows: 10 });
    const list = (names: string[], width: number) =>
      names.map((name) => name.padEnd(width)).join('');
    // zsh: the line, a completion list under it, and the cursor back at the end of the line.
    screen.push('w% ls a');
    screen.push(
      `\r\n${list(['alpha', 'apple', 'avocado'], 12)}\r\n${list(['azure', 'acorn'], 12)}\x1bM\x1bM\r\x1b[3Cls a`,
    );
    expect(screen.cursor()).toEqual({ row: 0, column: 7 });
    screen.resize({ cols: 20, rows: 10 });
    expect(screen.cursor()).toEqual({ row: 0, column: 7 });
    // On SIGWINCH zsh erases from its line down and draws both again at the new width.
    screen.push(
      `\r\x1b[Jw% ls a\r\n${list(['alpha', 'apple'], 10)}\r\n${list(['avocado', 'azure'], 10)}\r\nacorn\x1b[3A\r\x1b[3Cls a`,
    );
    expect(screen.rows()).toEqual(['w% ls a', 'alpha     apple', 'avocado   azure', 'acorn']);
    expect(screen.cursor()).toEqual({ row: 0, column: 7 });
  });

  test('made narrower while a wrapped line is still being written: the line loses nothing, and goes on where it was', () => {
    const screen = createEmulatedScreen({ cols: 100, rows: 10 });
    screen.push(`${'A'.repeat(70)}${'B'.repeat(70)}`);
    screen.resize({ cols: 60, rows: 10 });
    expect(screen.cursor()).toEqual({ row: 1, column: 20 });
    const lines = [...screen.push('END\r\n'), ...screen.end()];
    expect(lines).toEqual([`${'A'.repeat(70)}${'B'.repeat(70)}END`]);
  });

  test('made narrower above a line that wraps, the cursor stays on the character it was on', () => {
    const screen = createEmulatedScreen({ cols: 10, rows: 6 });
    screen.push('top\r\n0123456789abcdefghij\r\nend');
    // On `p`, above the line that will wrap.
    screen.push('\x1b[1;3H');
    screen.resize({ cols: 5, rows: 6 });
    expect(screen.cursor()).toEqual({ row: 0, column: 2 });
    screen.push('P');
    expect(screen.rows()).toEqual(['toP', '01234', '56789', 'abcde', 'fghij', 'end']);
  });
});

test('a line whose first rows scrolled off, its end blank rows at the top: handed out once it ended, without its trailing blanks, not again by a clear, and the lines after the clear are their own', () => {
  const written = ['no line end', `      ${'\r\n'.repeat(6)}   \r\n`, '\x1b[H\x1b[2J'];
  const cleared = createEmulatedScreen({ cols: 16, rows: 8 });
  expect(written.map((piece) => cleared.push(piece))).toEqual([[], ['no line end'], []]);
  expect(cleared.end()).toEqual([]);
  // An empty line printed after the clear is one of its own.
  const then = createEmulatedScreen({ cols: 16, rows: 8 });
  const lines = [...written, '\r\n'].flatMap((piece) => then.push(piece));
  expect([...lines, ...then.end()]).toEqual(['no line end', '']);
  // The same output in other pieces.
  const whole = createEmulatedScreen({ cols: 16, rows: 8 });
  expect([...whole.push([...written, '\r\n'].join('')), ...whole.end()]).toEqual([
    'no line end',
    '',
  ]);
});

describe('a line whose first rows scrolled off and whose end is the top of the screen', () => {
  // 10 columns, 4 rows: each line of 15 characters takes two rows.
  const size = { cols: 10, rows: 4 };
  const line = (number: number) => `line-${number}-abcdefghi`;

  test('is handed out once it ended above the cursor, whole; its rows on the screen are left out there and never handed out again', () => {
    const screen = createEmulatedScreen(size);
    // The third line's first row scrolls off; its second is the screen's first, the cursor under it.
    const handed = screen.push(`${line(1)}\r\n${line(2)}\r\n${line(3)}\r\n`);
    expect(handed).toEqual([line(1), line(2)]);
    expect(screen.push(`${line(4)}\r\n`)).toEqual([line(3)]);
    expect(screen.rows(true)).toEqual(['defghi', 'line-4-abc', 'defghi', '']);
    expect(screen.rowsHandedOutAtTop()).toBe(1);
    // As those rows scroll off, nothing of the line comes again.
    expect(screen.push(`${line(5)}\r\n${line(6)}\r\n`)).toEqual([line(4), line(5)]);
    expect([...screen.push('end\r\n'), ...screen.end()]).toEqual([line(6), 'end']);
  });

  test('the same output cut anywhere hands out every line once, in order', () => {
    const output = Array.from({ length: 12 }, (_, index) => `${line(index + 1)}\r\n`).join('');
    for (const cut of [1, 3, 7, 17, output.length]) {
      const screen = createEmulatedScreen(size);
      const lines: string[] = [];
      for (let start = 0; start < output.length; start += cut)
        lines.push(...screen.push(output.slice(start, start + cut)));
      lines.push(...screen.end());
      expect(lines, `cut ${cut}`).toEqual(
        Array.from({ length: 12 }, (_, index) => line(index + 1)),
      );
    }
  });

  test('a line still being written on the cursor’s row is not handed out before it ends', () => {
    const screen = createEmulatedScreen(size);
    // 45 characters over five rows of a four-row screen, the cursor on its last.
    expect(screen.push('x'.repeat(45))).toEqual([]);
    expect(screen.rowsHandedOutAtTop()).toBe(0);
    expect([...screen.push('y\r\n'), ...screen.end()]).toEqual([`${'x'.repeat(45)}y`]);
  });

  test('made narrower, its rows at the top wrapped again (or pushed off) are left out and not handed out again', () => {
    // Its end takes two rows at 10 columns, three at 8 and at 7.
    const long = `long-${'abcdefghij'.repeat(2)}klmn`;
    for (const cols of [8, 7]) {
      const screen = createEmulatedScreen({ cols: 10, rows: 5 });
      expect(screen.push(`${line(1)}\r\n${long}\r\n${line(2)}\r\n`)).toEqual([line(1), long]);
      expect(screen.rowsHandedOutAtTop()).toBe(2);
      screen.resize({ cols, rows: 5 });
      const lines = [...screen.push(`${line(3)}\r\n${line(4)}\r\n`), ...screen.end()];
      expect(lines, `${cols} columns`).toEqual([line(2), line(3), line(4)]);
    }
  });

  test('drawn over by the program, its rows show again and are handed out as they read then', () => {
    const screen = createEmulatedScreen(size);
    screen.push(`${line(1)}\r\n${line(2)}\r\n${line(3)}\r\n${line(4)}\r\n`);
    expect(screen.rowsHandedOutAtTop()).toBe(1);
    // The program writes over the screen's first row, then goes back down.
    screen.push('\x1b[1;1HHI\x1b[4;1H');
    expect(screen.rowsHandedOutAtTop()).toBe(0);
    expect(screen.rows(true)[0]).toBe('HIfghi');
    expect([...screen.push(`${line(5)}\r\n`), ...screen.end()]).toEqual([
      'HIfghi',
      line(4),
      line(5),
    ]);
  });
});

test('a line handed out while its blank last rows are still on the screen is not handed out again as they scroll off', () => {
  // 31 columns at 16 wrap into a row of their own, erased, then over the screen's first rows again
  // from its top corner (the cursor restored): three rows of one line, its last two blank.
  const wrappedThenErased = `${'x'.repeat(31)}\r\x1b[99X`;
  const output = `red\r\n${wrappedThenErased}\x1b[?1049l${wrappedThenErased}\x1b[99;1Htext\r\r\n`;
  const screen = createEmulatedScreen({ cols: 16, rows: 5 });
  // Its first row scrolls off: the line is handed out, its blank rows still the screen's first.
  const lines = screen.push(output);
  expect(lines).toEqual(['x'.repeat(16)]);
  // They scroll off one more row later: not an empty line of their own.
  lines.push(...screen.push('\r\n'), ...screen.end());
  expect(lines).toEqual(['x'.repeat(16), '', 'text', '']);
});

test('a line at the top is handed out as the row it ended above scrolls off, wherever the output was cut: what is written over its rows after goes out as a line of its own', () => {
  // 31 columns at 16: a line of two rows, the second erased. Six line ends scroll its first row
  // off; the cursor then goes home, onto its blank second row, where `red` is written.
  const output = `\r\n${'x'.repeat(31)}\r\x1b[99X${'\r\n'.repeat(6)}\x1b[r\x1b[31mred\x1b[0m\r\n`;
  const homeAt = output.indexOf('\x1b[r');
  const lines = (cut = output.length) => {
    const screen = createEmulatedScreen({ cols: 16, rows: 7 });
    const pieces = [output.slice(0, cut), output.slice(cut)];
    return [...pieces.flatMap((piece) => screen.push(piece)), ...screen.end()];
  };
  const expected = ['', 'x'.repeat(16), '\x1b[31mred\x1b[0m'];
  // Cut after the last line end, or after the cursor went home: the same lines.
  expect(lines(homeAt)).toEqual(expected);
  expect(lines(homeAt + 3)).toEqual(expected);
  expect(lines()).toEqual(expected);
});
