// What a user would see: output written to a headless xterm.js, with everything the terminal
// did in response recorded.
import { Terminal } from '@xterm/headless';

export interface RenderedTerminal {
  terminal: Terminal;
  /** Every title the output set. */
  titles: string[];
  /** Everything the terminal sent back towards the program (query replies). */
  replies: string[];
  /** Row `row` of the active buffer as text, right-trimmed. */
  row(row: number): string;
  /** Foreground of the cell at `column`, `row`: `default`, `palette:N` or `rgb:RRGGBB`. */
  foreground(column: number, row: number): string;
  dispose(): void;
}

/** Writes `data` to a fresh 100×10 headless terminal and resolves once it has been parsed. */
export async function renderInTerminal(data: string): Promise<RenderedTerminal> {
  const terminal = new Terminal({ cols: 100, rows: 10, allowProposedApi: true });
  const titles: string[] = [];
  const replies: string[] = [];
  terminal.onTitleChange((title) => titles.push(title));
  terminal.onData((reply) => replies.push(reply));
  await new Promise<void>((resolve) => terminal.write(data, resolve));
  const cell = (column: number, row: number) => {
    const found = terminal.buffer.active.getLine(row)?.getCell(column);
    if (found === undefined) throw new Error(`no cell at column ${column}, row ${row}`);
    return found;
  };
  return {
    terminal,
    titles,
    replies,
    row: (row) => terminal.buffer.active.getLine(row)?.translateToString(true) ?? '',
    foreground(column, row) {
      const found = cell(column, row);
      if (found.isFgRGB()) return `rgb:${found.getFgColor().toString(16).padStart(6, '0')}`;
      if (found.isFgPalette()) return `palette:${found.getFgColor()}`;
      return 'default';
    },
    dispose: () => terminal.dispose(),
  };
}
