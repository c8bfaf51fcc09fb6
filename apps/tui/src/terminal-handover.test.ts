import xterm from '@xterm/headless';
import { expect, test } from 'vitest';
import { TerminalHandover } from './terminal-handover.js';
import { terminalModesReset } from './terminal-sequences.js';

function recorder() {
  const written: string[] = [];
  return { written, stdout: { write: (data: string) => written.push(data) > 0 } };
}

test('holds the program output until the empty frame is written, then writes it after turning the TUI modes off', async () => {
  const { written, stdout } = recorder();
  const handover = new TerminalHandover(stdout);
  handover.apply({ kind: 'enter', mode: 'alternate-screen' });
  handover.apply({ kind: 'raw', data: '\x1b[?1049h' });
  handover.rendered('off');
  expect(written).toEqual([]);
  handover.rendered('alternate-screen');
  handover.apply({ kind: 'raw', data: 'screen' });
  written.push('<ink frame>');
  await Promise.resolve();
  handover.apply({ kind: 'raw', data: 'more' });
  expect(written).toEqual(['<ink frame>', '\x1b[?2004l\x1b[?25h\x1b[?1049hscreen', 'more']);
});

test('gives the terminal back with the TUI modes on again, on a fresh line after an attach', async () => {
  const { written, stdout } = recorder();
  const handover = new TerminalHandover(stdout);
  handover.apply({ kind: 'enter', mode: 'attached' });
  handover.rendered('attached');
  await Promise.resolve();
  handover.apply({ kind: 'raw', data: 'output' });
  handover.apply({ kind: 'leave' });
  // The program never switched screens: leaving the alternate screen would move the cursor.
  expect(written).toEqual([
    '\x1b[?2004l\x1b[?25h\x1b[A\r',
    'output',
    `${terminalModesReset({ alternateScreen: false })}\r\n\x1b[?2004h\x1b[?25l`,
  ]);
  expect(handover.outputShown).toBe(true);
  handover.apply({ kind: 'raw', data: 'late' });
  handover.rendered('off');
  expect(written).not.toContain('late');
});

test('attached: the output continues on the line of the empty frame, after the line the program had started', async () => {
  const { written, stdout } = recorder();
  const handover = new TerminalHandover(stdout);
  handover.apply({ kind: 'enter', mode: 'attached', line: '\x1b[1mname:\x1b[22m ' });
  handover.apply({ kind: 'raw', data: 'bo' });
  written.push('<ink frame>\n');
  handover.rendered('attached');
  await Promise.resolve();
  // Up from under Ink's empty line onto it, the unfinished line drawn again, then the program.
  expect(written).toEqual(['<ink frame>\n', '\x1b[?2004l\x1b[?25h\x1b[A\r\x1b[1mname:\x1b[22m bo']);
});

test('an attached program that ends before the empty frame is written: its output is left to the TUI to print, once', async () => {
  const { written, stdout } = recorder();
  const handover = new TerminalHandover(stdout);
  handover.apply({ kind: 'enter', mode: 'attached' });
  handover.apply({ kind: 'raw', data: 'RECEIVED 03\r\n' });
  handover.apply({ kind: 'leave' });
  // Nothing reached the terminal, so the TUI prints the run's output from the transcript.
  expect(handover.outputShown).toBe(false);
  handover.rendered('attached');
  await Promise.resolve();
  expect(written).toEqual([]);
});

/** A handover whose program output is being written to the terminal. */
async function openHandover(mode: 'alternate-screen' | 'attached') {
  const { written, stdout } = recorder();
  const handover = new TerminalHandover(stdout);
  handover.apply({ kind: 'enter', mode });
  if (mode === 'alternate-screen') handover.apply({ kind: 'raw', data: '\x1b[?1049h' });
  handover.rendered(mode);
  await Promise.resolve();
  return { written, handover };
}

test('a program that ends without restoring its modes: leaving turns them all off, the alternate screen included', async () => {
  const { written, handover } = await openHandover('alternate-screen');
  handover.apply({ kind: 'raw', data: '\x1b[?1h\x1b=\x1b[?1000h\x1b[?1006hscreen' });
  handover.apply({ kind: 'leave' });
  const reset = written.at(-1) ?? '';
  expect(reset).toBe(`${terminalModesReset({ alternateScreen: true })}\x1b[?2004h\x1b[?25l`);
  for (const off of [
    '\x1b[?1049l',
    '\x1b[?1l',
    '\x1b>',
    '\x1b[?1000l',
    '\x1b[?1002l',
    '\x1b[?1003l',
    '\x1b[?1006l',
    '\x1b[?1015l',
    '\x1b[?1004l',
  ]) {
    expect(reset).toContain(off);
  }
});

test('a program that left the alternate screen itself: the modes are reset without leaving it again', async () => {
  const { written, handover } = await openHandover('alternate-screen');
  handover.apply({ kind: 'raw', data: 'screen\x1b[?1049l' });
  handover.apply({ kind: 'leave' });
  expect(written.at(-1)).toBe(
    `${terminalModesReset({ alternateScreen: false })}\x1b[?2004h\x1b[?25l`,
  );
});

test('an attached program that switched to the alternate screen: detaching leaves it', async () => {
  const { written, handover } = await openHandover('attached');
  handover.apply({ kind: 'raw', data: '\x1b[?10' });
  handover.apply({ kind: 'raw', data: '49hvim' });
  handover.apply({ kind: 'leave' });
  expect(written.at(-1)).toBe(
    `${terminalModesReset({ alternateScreen: true })}\r\n\x1b[?2004h\x1b[?25l`,
  );
});

test('closed as the TUI exits: says whether the alternate screen may be on, and writes nothing more', async () => {
  const { written, handover } = await openHandover('alternate-screen');
  expect(handover.close()).toBe(true);
  const count = written.length;
  handover.apply({ kind: 'raw', data: 'late' });
  handover.apply({ kind: 'leave' });
  handover.apply({ kind: 'enter', mode: 'attached' });
  handover.rendered('attached');
  await Promise.resolve();
  expect(written).toHaveLength(count);

  expect(new TerminalHandover(recorder().stdout).close()).toBe(false);
});

test('given back before any program output was written: nothing to reset', () => {
  const { written, stdout } = recorder();
  const handover = new TerminalHandover(stdout);
  handover.apply({ kind: 'enter', mode: 'alternate-screen' });
  handover.apply({ kind: 'raw', data: '\x1b[?1049h\x1b[?1h' });
  handover.apply({ kind: 'leave' });
  expect(written).toEqual([]);
  expect(handover.close()).toBe(false);
});

test('a program that leaves a short scroll region: the terminal scrolls whole again, the cursor where it was', async () => {
  const terminal = new xterm.Terminal({ cols: 40, rows: 10, allowProposedApi: true });
  const write = (data: string) => new Promise<void>((resolve) => terminal.write(data, resolve));
  // On the main screen: a terminal may keep the region across the alternate screen too (tmux does).
  const { written, handover } = await openHandover('attached');
  handover.apply({ kind: 'raw', data: '\x1b[1;6r' });
  handover.apply({ kind: 'leave' });
  for (const chunk of written) await write(chunk);
  await write('\x1b[10;1Hrow a\r\nrow b');
  const buffer = terminal.buffer.active;
  expect(buffer.cursorY).toBe(9);
  // Written at the bottom row, the new line scrolled the whole screen: row a is one up.
  expect(buffer.getLine(buffer.viewportY + 8)?.translateToString(true)).toBe('row a');
  expect(buffer.getLine(buffer.viewportY + 9)?.translateToString(true)).toBe('row b');
  terminal.dispose();
});
