import xterm from '@xterm/headless';

/** A terminal that was 40 columns wide, holding `before` then the printed `lines` and a frame. */
export async function terminalWith(before: string[], lines: string[], frame: string[]) {
  const terminal = new xterm.Terminal({
    cols: 40,
    rows: 8,
    scrollback: 100,
    allowProposedApi: true,
  });
  const write = (data: string) => new Promise<void>((resolve) => terminal.write(data, resolve));
  await write([...before, ...lines, ...frame].join('\r\n'));
  const everything = () => {
    const buffer = terminal.buffer.active;
    const rows: string[] = [];
    for (let row = 0; row < buffer.length; row += 1)
      rows.push(buffer.getLine(row)?.translateToString(true) ?? '');
    return rows;
  };
  return { terminal, write: (data: string) => write(data.replaceAll('\n', '\r\n')), everything };
}
