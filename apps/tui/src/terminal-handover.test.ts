import { expect, test } from 'vitest';
import { TerminalHandover } from './terminal-handover.js';

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
  handover.apply({ kind: 'leave' });
  expect(written.at(-1)).toBe('\r\n\x1b[?2004h');
  handover.apply({ kind: 'raw', data: 'late' });
  handover.rendered('off');
  expect(written).not.toContain('late');
});
