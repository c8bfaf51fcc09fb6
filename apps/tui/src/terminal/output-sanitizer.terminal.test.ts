import { afterEach, describe, expect, test } from 'vitest';
import { renderInTerminal } from './__fixtures__/headless-terminal.js';
import type { RenderedTerminal } from './__fixtures__/headless-terminal.js';
import { hostileEscapes } from './__fixtures__/hostile-escapes.js';
import { sanitizeOutput } from './output-sanitizer.js';

const rendered: RenderedTerminal[] = [];
async function render(data: string): Promise<RenderedTerminal> {
  const result = await renderInTerminal(data);
  rendered.push(result);
  return result;
}
afterEach(() => {
  for (const result of rendered.splice(0)) result.dispose();
});

// Every payload on its own line between green and truecolor text. The unterminated one goes last
// on the line, before the CR LF: its string swallows everything up to the next ESC.
const corpusOutput = hostileEscapes
  .map(({ chunks }) => `\x1b[32mok\x1b[0m ${chunks.join('')}\x1b[38;2;255;100;0mdone\x1b[0m\r\n`)
  .join('');

describe('unprotected, the corpus really attacks the terminal', () => {
  test('titles change, queries are answered, input modes switch on', async () => {
    const screen = await render(corpusOutput);
    expect(screen.titles).toContain('PWNED-TITLE-ZERO');
    expect(screen.replies.join('')).toMatch(/\x1b\[\?1;2c|\x1b\[\d+;\d+R/);
    // Later payloads reset the terminal, so look at the mode changes on their own.
    const modes = hostileEscapes.find(({ name }) => name === 'private modes');
    const modeScreen = await render(modes?.chunks.join('') ?? '');
    expect(modeScreen.terminal.modes.bracketedPasteMode).toBe(true);
    expect(modeScreen.terminal.modes.mouseTrackingMode).not.toBe('none');
  });
});

describe('sanitised, the user sees the text and colours and nothing else happens', () => {
  test('no title change, no reply, no mode change, no screen switch', async () => {
    const screen = await render(sanitizeOutput(corpusOutput));
    expect(screen.titles).toEqual([]);
    expect(screen.replies).toEqual([]);
    expect(screen.terminal.modes.bracketedPasteMode).toBe(false);
    expect(screen.terminal.modes.mouseTrackingMode).toBe('none');
    expect(screen.terminal.modes.applicationCursorKeysMode).toBe(false);
    expect(screen.terminal.buffer.active.type).toBe('normal');
    const modes = hostileEscapes.find(({ name }) => name === 'private modes');
    const modeScreen = await render(sanitizeOutput(modes?.chunks.join('') ?? ''));
    expect(modeScreen.terminal.modes.bracketedPasteMode).toBe(false);
    expect(modeScreen.terminal.modes.mouseTrackingMode).toBe('none');
  });

  test('every line shows exactly its text, in its colours', async () => {
    const screen = await render(sanitizeOutput(corpusOutput));
    const buffer = screen.terminal.buffer.active;
    const rows = Array.from({ length: buffer.length }, (_, row) => screen.row(row)).filter(Boolean);
    expect(rows).toEqual(hostileEscapes.map(({ visible }) => `ok ${visible}done`));
    const lastRow = buffer.baseY + buffer.cursorY - 1;
    const visibleLength = hostileEscapes.at(-1)?.visible.length ?? 0;
    expect(screen.foreground(0, lastRow)).toBe('palette:2');
    expect(screen.foreground(2, lastRow)).toBe('default');
    expect(screen.foreground(3 + visibleLength, lastRow)).toBe('rgb:ff6400');
  });

  test('queries in the sanitised stream get no answer, even in their 8-bit forms', async () => {
    const queries =
      '\x1b[c\x1b[>c\x1b[5n\x1b[6n\x9b6n\x9bc\x1b]10;?\x07\x1b]11;?\x1b\\\x1bP$qm\x1b\\\x1b[21t\x1b[14t';
    const unprotected = await render(queries);
    expect(unprotected.replies.length).toBeGreaterThan(3);
    const screen = await render(`before${sanitizeOutput(queries)}after`);
    expect(screen.replies).toEqual([]);
    expect(screen.row(0)).toBe('beforeafter');
  });

  test('styles and 256-colour and truecolor text keep their look', async () => {
    const screen = await render(
      sanitizeOutput(
        '\x1b[1;31mE\x1b[0m \x1b[38;5;208mW\x1b[0m \x1b[38:2::1:2:3mT\x1b[0m \x1b]0;x\x07plain',
      ),
    );
    expect(screen.row(0)).toBe('E W T plain');
    expect(screen.foreground(0, 0)).toBe('palette:1');
    expect(screen.terminal.buffer.active.getLine(0)?.getCell(0)?.isBold()).not.toBe(0);
    expect(screen.foreground(2, 0)).toBe('palette:208');
    expect(screen.foreground(4, 0)).toBe('rgb:010203');
    expect(screen.foreground(6, 0)).toBe('default');
  });
});
