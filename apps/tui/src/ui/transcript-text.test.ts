import { expect, test } from 'vitest';
import type { TranscriptBlock, TranscriptSnapshot } from '../session/transcript-fold.js';
import { blocksText, TranscriptPrinter } from './transcript-text.js';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const sid = 's_01m80d15c72eqxhs3a122mbhfd';

function snapshot(blocks: TranscriptBlock[], extra: Partial<TranscriptSnapshot> = {}): TranscriptSnapshot {
  return { version: 1, sid, lastSeq: 0, blocks, droppedBlocks: 0, live: undefined, hostLive: true, cwd: '/', history: [], ...extra };
}

test('prints a run as its command, its lines and its footer, with colour', () => {
  const text = blocksText(
    [
      { id: 0, kind: 'command', runId: 'r', command: 'ls' },
      { id: 1, kind: 'output', runId: 'r', lines: ['a', 'b'], hidden: 0 },
      { id: 2, kind: 'footer', runId: 'r', outcome: { kind: 'exit', exitCode: 2, durationMs: 300 } },
    ],
    sid,
  );
  expect(plain(text)).toBe('$ ls\na\nb\n✗ 2 · 300ms\n');
  expect(text).toContain('\x1b[31m✗ 2');
});

test('marks lines dropped to bound memory, once for neighbouring blocks', () => {
  const text = blocksText(
    [
      { id: 0, kind: 'output', runId: 'r', lines: [], hidden: 10 },
      { id: 1, kind: 'output', runId: 'r', lines: ['kept'], hidden: 5 },
    ],
    sid,
  );
  expect(plain(text)).toBe(`… 15 lines hidden — lifeline replay ${sid}\nkept\n`);
});

test('hands each block out once, and everything again after a reprint', () => {
  const printer = new TranscriptPrinter();
  const first: TranscriptBlock[] = [{ id: 0, kind: 'command', runId: 'r', command: 'ls' }];
  expect(plain(printer.take(snapshot(first)))).toBe('$ ls\n');
  expect(printer.take(snapshot(first))).toBe('');
  const more = [...first, { id: 1, kind: 'output' as const, runId: 'r', lines: ['x'], hidden: 0 }];
  printer.local({ kind: 'note', text: 'hello', tone: 'info' });
  expect(plain(printer.take(snapshot(more)))).toBe('hello\nx\n');
  printer.reset(snapshot(more, { droppedBlocks: 3 }), true);
  expect(plain(printer.take(undefined))).toBe(`… earlier runs are not kept in memory — lifeline replay ${sid}\n$ ls\nx\n`);
  printer.reset(snapshot(more), false);
  expect(printer.take(snapshot(more))).toBe('');
});
