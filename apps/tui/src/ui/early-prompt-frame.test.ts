import xterm from '@xterm/headless';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import {
  EARLY_PROMPT_MIN_COLUMNS,
  EMPTY_EARLY_LINE,
  attachingHint,
  earlyPromptErased,
  earlyPromptFrame,
  typedAtEarlyPrompt,
  type EarlyLine,
} from './early-prompt-frame.js';

/** The frame's lines as a terminal shows them: escape sequences removed. */
function shownLines(frame: string): string[] {
  return frame
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .split('\n')
    .slice(0, -1);
}

/** The line after each of `chunks` was typed, in turn. */
function typed(chunks: readonly string[], columns = 80): EarlyLine {
  return chunks.reduce((line, chunk) => typedAtEarlyPrompt(line, chunk, columns), EMPTY_EARLY_LINE);
}

describe('earlyPromptFrame', () => {
  test('draws what the app draws first: the gateway starting, and the line waiting for the session', () => {
    expect(shownLines(earlyPromptFrame(EMPTY_EARLY_LINE, 100))).toEqual([
      'lifeline · starting gateway…',
      `›  ${attachingHint()}`,
    ]);
  });

  test('shows what was typed, with the cursor after it and no hint', () => {
    expect(shownLines(earlyPromptFrame(typed(['ls -l']), 100))).toEqual([
      'lifeline · starting gateway…',
      '› ls -l ',
    ]);
  });

  test('on a narrow terminal, every line fits it', () => {
    expect(shownLines(earlyPromptFrame(EMPTY_EARLY_LINE, 20))).toEqual([
      'lifeline',
      `›  ${attachingHint().slice(0, 17)}`,
    ]);
  });

  test('no line is ever wider than the terminal, whatever is typed', () => {
    const key = fc.oneof(
      fc.constantFrom('\x7f', '\r', '\x1b[A', '\x03', 'é', '界', '😀'),
      fc.string({ minLength: 1, maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 40 }),
        fc.integer({ min: EARLY_PROMPT_MIN_COLUMNS, max: 40 }),
        (keys, columns) => {
          for (const line of shownLines(earlyPromptFrame(typed(keys, columns), columns)))
            expect(stringWidth(line)).toBeLessThanOrEqual(columns);
        },
      ),
      fuzzParameters('early prompt: lines fit the terminal', { numRuns: 300 }),
    );
  });
});

describe('typedAtEarlyPrompt', () => {
  test('Backspace takes the last character away', () => {
    expect(typed(['ech', 'oo', '\x7f', ' 界\x7f'])).toEqual({ text: 'echo ', echoing: true });
  });

  test('any other key leaves the line as it is: the app shows it once loaded', () => {
    for (const key of ['\r', '\x1b[D', '\x03', '\x1b[200~pasted\x1b[201~']) {
      const line = typed(['ls', key, ' -l']);
      expect(line).toEqual({ text: 'ls', echoing: false });
    }
  });

  test('stops before the line would outgrow the terminal', () => {
    expect(typed(['abcdefgh'], 8)).toEqual({ text: 'abcde', echoing: false });
  });

  test('a key that changes nothing shown returns the same line', () => {
    expect(typedAtEarlyPrompt(EMPTY_EARLY_LINE, '\x7f', 80)).toBe(EMPTY_EARLY_LINE);
  });
});

test('the early frame is erased whole on a terminal made narrower since it was drawn', async () => {
  const terminal = new xterm.Terminal({ cols: 100, rows: 10, allowProposedApi: true });
  const write = (data: string) =>
    new Promise<void>((resolve) => terminal.write(data.replaceAll('\n', '\r\n'), resolve));
  await write('before\n');
  await write(earlyPromptFrame(EMPTY_EARLY_LINE, 100));
  terminal.resize(30, 10);
  await write(earlyPromptErased(EMPTY_EARLY_LINE, 100, 30));
  const buffer = terminal.buffer.active;
  const rows = Array.from({ length: buffer.length }, (_, row) =>
    buffer.getLine(row)?.translateToString(true),
  ).filter((row) => row !== '');
  expect(rows).toEqual(['before']);
  terminal.dispose();
  // At the width it was drawn at: its two lines and the cursor's row, nothing above them.
  expect(earlyPromptErased({ text: 'echo 日本', echoing: true }, 100, 100)).toBe(
    '\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G',
  );
});
