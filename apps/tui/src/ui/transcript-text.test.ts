import { describe, expect, test } from 'vitest';
import type { TranscriptBlock, TranscriptSnapshot } from '../session/transcript-fold.js';
import { terminalWith } from '../test-utils/headless-terminal.js';
import { blocksText, linesIn, overShare, TranscriptPrinter } from './transcript-text.js';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const sid = 's_01m80d15c72eqxhs3a122mbhfd';

function snapshot(
  blocks: TranscriptBlock[],
  extra: Partial<TranscriptSnapshot> = {},
): TranscriptSnapshot {
  return {
    version: 1,
    sid,
    lastSeq: 0,
    blocks,
    droppedBlocks: 0,
    live: undefined,
    hostLive: true,
    cwd: '/',
    history: [],
    shellEditsLines: undefined,
    prompt: undefined,
    shellPrompted: true,
    diskFull: false,
    ...extra,
  };
}

test('prints a run as its command, its lines and its footer, with colour', () => {
  const text = blocksText(
    [
      { id: 0, kind: 'command', runId: 'r', command: 'ls' },
      { id: 1, kind: 'output', runId: 'r', lines: ['a', 'b'], hidden: 0 },
      {
        id: 2,
        kind: 'footer',
        runId: 'r',
        outcome: { kind: 'exit', exitCode: 2, durationMs: 300 },
      },
    ],
    sid,
  );
  expect(plain(text)).toBe('$ ls\na\nb\n✗ 2 · 300ms\n');
  expect(text).toContain('\x1b[31m✗ 2');
});

test('a run that printed after clearing the screen names its command in its footer, where the clear is done', () => {
  const blocks: TranscriptBlock[] = [
    { id: 0, kind: 'command', runId: 'r', command: 'clear; make\nmake install' },
    { id: 1, kind: 'clear', clear: 'screen', seq: 4 },
    { id: 2, kind: 'output', runId: 'r', lines: ['built'], hidden: 0 },
    {
      id: 3,
      kind: 'footer',
      runId: 'r',
      outcome: { kind: 'exit', exitCode: 0, durationMs: 1200 },
      afterClear: { seq: 4, command: 'clear; make\nmake install' },
    },
  ];
  // The clear erases the header; the footer under what followed says what ran.
  expect(plain(blocksText(blocks, sid))).toBe(
    '$ clear; make\nmake install\n\x1b[2J\x1b[Hbuilt\n✓ 0 · 1.2s · clear; make ⏎ make install\n',
  );
  // From history the clear is not done: the header above still shows the command.
  expect(plain(blocksText(blocks, sid, new Map(), 4))).toBe(
    '$ clear; make\nmake install\nbuilt\n✓ 0 · 1.2s\n',
  );
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
  expect(plain(printer.take(undefined))).toBe(
    `… earlier runs are not kept in memory — lifeline replay ${sid}\n$ ls\nx\n`,
  );
  printer.reset(snapshot(more), false);
  expect(printer.take(snapshot(more))).toBe('');
});

test('a switch to another session prints a line naming it before its transcript', () => {
  const printer = new TranscriptPrinter();
  const other = 's_01m80d15c72eqxhs3a122mbhfz';
  expect(
    plain(printer.take(snapshot([{ id: 0, kind: 'command', runId: 'r', command: 'ls' }]))),
  ).toBe('$ ls\n');
  const switched = snapshot([{ id: 0, kind: 'command', runId: 'q', command: 'pwd' }], {
    sid: other,
  });
  expect(plain(printer.take(switched))).toBe(`── session ${other} ──\n$ pwd\n`);
  expect(printer.take(switched)).toBe('');
  // Once the gateway has described it, the line gives its name too.
  const third = 's_01m80d15c72eqxhs3a122mbhfy';
  printer.describe({ sid: third, name: 'build' });
  expect(plain(printer.take(snapshot([], { sid: third })))).toBe(
    `── session build · ${third} ──\n`,
  );
});

test('a switch to another session while a command runs there first prints what its screen showed, and says it goes on', () => {
  const printer = new TranscriptPrinter({ wallClock: () => 1_003_200 });
  const other = 's_01m80d15c72eqxhs3a122mbhfz';
  const command = 'for i in $(seq 1 12); do echo sw $i; sleep 1; done';
  const running = snapshot([{ id: 0, kind: 'command', runId: 'r', command }], {
    live: {
      runId: 'r',
      command,
      startSeq: 3,
      startedAt: 1_000_000,
      screen: ['sw 1', 'sw 2 \x1b[31mred\x1b[0m and a line the terminal wrap', 'ped', 'sw 3', ''],
      screenContinued: [false, true, false, false, false],
      awaitingEcho: false,
      waitsForInput: false,
      waitEndedWithoutLine: undefined,
    },
  });
  expect(plain(printer.take(running))).toBe(`$ ${command}\n`);
  const switched = snapshot([{ id: 0, kind: 'command', runId: 'q', command: 'pwd' }], {
    sid: other,
  });
  expect(plain(printer.take(switched))).toBe(
    [
      'sw 1',
      'sw 2 red and a line the terminal wrapped',
      'sw 3',
      `… ${command} · 3.2s so far · still running`,
      `── session ${other} ──`,
      '$ pwd',
      '',
    ].join('\n'),
  );
});

type OutputBlock = Extract<TranscriptBlock, { kind: 'output' }>;

describe('print rate', () => {
  const output = (
    id: number,
    count: number,
    from = 0,
    hidden = 0,
    runId = 'r',
  ): TranscriptBlock => ({
    id,
    kind: 'output',
    runId,
    lines: Array.from({ length: count }, (_, index) => `line ${from + index}`),
    hidden,
  });
  const printedLines = (text: string) =>
    plain(text)
      .split('\n')
      .filter((line) => line.startsWith('line '));
  /** A printer at a rate, on a clock the test moves (`clock.now`, in ms). */
  const clockedPrinter = (burstLines: number, linesPerSecond: number) => {
    const clock = { now: 0 };
    const printer = new TranscriptPrinter({
      rate: { burstLines, linesPerSecond },
      now: () => clock.now,
    });
    return { printer, clock };
  };
  const hiddenCounts = (text: string) =>
    [...plain(text).matchAll(/… (\d+) lines hidden/g)].map((match) => Number(match[1]));

  test('a burst is printed whole; a flood past it is held while it comes, then printed once under one marker', () => {
    const { printer, clock } = clockedPrinter(100, 1000);
    const blocks = [output(0, 60)];
    expect(printedLines(printer.take(snapshot(blocks)))).toHaveLength(60);
    blocks.push(output(1, 70, 60));
    expect(printer.take(snapshot(blocks))).toBe('');
    expect(printer.holdsOutput).toBe(true);
    clock.now += 50; // 80 more lines in 50 ms: faster than 1,000 a second
    blocks.push(output(2, 80, 130));
    expect(printer.take(snapshot(blocks))).toBe('');
    clock.now += 100; // nothing more came: the flood is over
    const after = printer.take(snapshot(blocks));
    expect(printer.holdsOutput).toBe(false);
    expect(hiddenCounts(after)).toEqual([50]);
    expect(printedLines(after)).toEqual(
      Array.from({ length: 100 }, (_, index) => `line ${110 + index}`),
    );
    expect(printer.take(snapshot(blocks))).toBe('');
  });

  test('a flood that the transcript already bounded in its first frame is held too', () => {
    const { printer, clock } = clockedPrinter(100, 1000);
    // As many lines kept as may be printed at once, but many more came.
    const blocks = [output(0, 100, 400, 400)];
    expect(printer.take(snapshot(blocks))).toBe('');
    clock.now += 300;
    const after = printer.take(snapshot(blocks));
    expect(hiddenCounts(after)).toEqual([400]);
    expect(printedLines(after)).toHaveLength(100);
  });

  test('what follows a flood (the end of its run) prints it at once; what came before it is not held', () => {
    const { printer, clock } = clockedPrinter(100, 1000);
    const blocks: TranscriptBlock[] = [
      { id: 0, kind: 'command', runId: 'r', command: 'seq 1 500' },
      output(1, 500, 1),
    ];
    const started = printer.take(snapshot(blocks));
    expect(plain(started)).toBe('$ seq 1 500\n');
    clock.now += 10;
    blocks.push({ id: 2, kind: 'note', text: 'over', tone: 'info' });
    const ended = printer.take(snapshot(blocks));
    expect(hiddenCounts(ended)).toEqual([400]);
    expect(printedLines(ended)).toHaveLength(100);
    expect(plain(ended).endsWith('over\n')).toBe(true);
  });

  test('output slower than the rate is printed as it comes', () => {
    const { printer, clock } = clockedPrinter(10, 1000);
    const blocks: TranscriptBlock[] = [];
    for (let frame = 0; frame < 50; frame += 1) {
      blocks.push(output(frame, 5, frame * 5));
      clock.now += 33; // 5 lines every 33 ms: about 150 a second
      expect(printedLines(printer.take(snapshot(blocks)))).toHaveLength(5);
    }
  });

  test('every line is printed or counted as hidden, and no more than the rate allows are printed', () => {
    const { printer, clock } = clockedPrinter(200, 2000);
    const blocks: TranscriptBlock[] = [];
    let total = 0;
    let printed = 0;
    let hidden = 0;
    for (let frame = 0; frame < 300; frame += 1) {
      const count = (frame * 37) % 120;
      blocks.push(
        { id: blocks.length, kind: 'command', runId: `r${frame}`, command: 'yes' },
        output(blocks.length + 1, count, total),
      );
      total += count;
      const text = printer.take(snapshot(blocks));
      expect(plain(text)).toContain('$ yes');
      printed += printedLines(text).length;
      hidden += hiddenCounts(text).reduce((sum, count) => sum + count, 0);
      clock.now += 16;
    }
    expect(printed + hidden).toBe(total);
    expect(printed).toBeLessThanOrEqual(200 + (2000 * 300 * 16) / 1000);
    expect(hidden).toBeGreaterThan(0);
  });

  test('the history shown as a session is attached is printed whole; output after it comes at the rate', () => {
    const { printer, clock } = clockedPrinter(100, 1000);
    const run = (runId: string, id: number, count: number, seq: number): TranscriptBlock[] => [
      { id, kind: 'command', runId, command: runId },
      { ...(output(id + 1, count, id * 1000, 0, runId) as OutputBlock), seq },
      { id: id + 2, kind: 'footer', runId, outcome: { kind: 'exit', exitCode: 0, durationMs: 1 } },
    ];
    const blocks = [...run('small', 0, 40, 3), ...run('big', 10, 300, 7)];
    const shown = printer.take(snapshot(blocks), 8);
    expect(printedLines(shown)).toHaveLength(340);
    expect(hiddenCounts(shown)).toEqual([]);
    // A flood after the history: held, then printed within the rate.
    blocks.push(...run('flood', 20, 500, 12));
    clock.now += 10;
    const flood = printer.take(snapshot(blocks), 8);
    expect(printedLines(flood)).toHaveLength(100);
    expect(hiddenCounts(flood)).toEqual([400]);
  });

  test('what is over the rate comes out of the runs with the most output: small runs are printed whole', () => {
    const printer = new TranscriptPrinter({
      rate: { burstLines: 100, linesPerSecond: 1000 },
      now: () => 0,
    });
    const run = (runId: string, id: number, count: number): TranscriptBlock[] => [
      { id, kind: 'command', runId, command: runId },
      output(id + 1, count, id * 1000, 0, runId),
      { id: id + 2, kind: 'footer', runId, outcome: { kind: 'exit', exitCode: 0, durationMs: 1 } },
    ];
    // Small runs around a flood that the fold bounded, come at once.
    const text = plain(
      printer.take(
        snapshot([...run('small', 0, 4), ...run('flood', 10, 300), ...run('one', 20, 1)]),
      ),
    );
    expect(text).toContain('$ small\nline 0\nline 1\nline 2\nline 3\n✓ 0');
    expect(text).toContain(`$ flood\n… 205 lines hidden — lifeline replay ${sid}\nline 10205\n`);
    expect(text).toContain('$ one\nline 20000\n✓ 0');
    expect(hiddenCounts(text)).toEqual([205]);
  });

  test('a reprint at a new width prints everything in memory, whatever the rate', () => {
    const printer = new TranscriptPrinter({
      rate: { burstLines: 10, linesPerSecond: 10 },
      now: () => 0,
    });
    const blocks = [output(0, 500)];
    expect(printedLines(printer.take(snapshot(blocks), -1, false))).toHaveLength(10);
    printer.reset(snapshot(blocks), true);
    expect(printedLines(printer.take(undefined))).toHaveLength(500);
  });
});

test('lines are shared among runs: each gets all of its own or an equal share, the largest the remainder', () => {
  const shares = (counts: number[], printable: number) => [
    ...overShare(new Map(counts.map((count, index) => [index, count])), printable).values(),
  ];
  expect(shares([4, 300, 1], 100)).toEqual([0, 205, 0]);
  expect(shares([50, 50, 50], 100)).toEqual([17, 17, 16]);
  expect(shares([10, 10], 100)).toEqual([0, 0]);
  expect(shares([10, 10], 0)).toEqual([10, 10]);
  // Never more than the lines there are, or than may be printed.
  for (let printable = 0; printable < 60; printable += 7) {
    const counts = [3, 40, 0, 12, 25];
    const over = shares(counts, printable);
    const shown = counts.reduce((sum, count, index) => sum + count - (over[index] ?? 0), 0);
    expect(shown).toBe(Math.min(printable, 80));
    over.forEach((count, index) => expect(count).toBeLessThanOrEqual(counts[index] ?? 0));
  }
});

describe('clears', () => {
  const cleared: TranscriptBlock[] = [
    { id: 4, kind: 'output', runId: 'r', lines: ['1'], hidden: 0 },
    { id: 5, kind: 'clear', clear: 'screen', seq: 10 },
    { id: 6, kind: 'clear', clear: 'scrollback', seq: 11 },
    { id: 7, kind: 'output', runId: 'r', lines: ['after'], hidden: 0 },
  ];

  test('while the session is watched, a clear clears the terminal where it happened', () => {
    const printer = new TranscriptPrinter();
    expect(printer.take(snapshot(cleared), 9)).toBe('1\n\x1b[2J\x1b[H\x1b[H\x1b[2J\x1b[3Jafter\n');
  });

  test('in history (a session shown again, a reprint), a clear clears nothing and says where the rest is', () => {
    const printer = new TranscriptPrinter();
    const text = printer.take(snapshot(cleared.slice(2)), 11);
    expect(text).not.toContain('\x1b[2J');
    expect(plain(text)).toBe(
      `… cleared with the scrollback — lifeline replay ${sid} shows what came before\nafter\n`,
    );
    printer.reset(snapshot(cleared.slice(2)), true);
    expect(plain(printer.take(undefined))).toBe(
      `… cleared with the scrollback — lifeline replay ${sid} shows what came before\nafter\n`,
    );
  });

  test('a command repeated under its clear is shown where the clear was done, not in history', () => {
    const failed: TranscriptBlock[] = [
      { id: 0, kind: 'command', runId: 'c', command: 'clear; false' },
      { id: 1, kind: 'clear', clear: 'screen', seq: 3 },
      { id: 2, kind: 'command', runId: 'c', command: 'clear; false', afterClearSeq: 3 },
      { id: 3, kind: 'footer', runId: 'c', outcome: { kind: 'exit', exitCode: 1, durationMs: 5 } },
    ];
    const watched = plain(new TranscriptPrinter().take(snapshot(failed), 2));
    expect(watched.match(/\$ clear; false/g)).toHaveLength(2);
    const history = plain(new TranscriptPrinter().take(snapshot(failed), 3));
    expect(history).toBe('$ clear; false\n✗ 1 · 5ms\n');
  });
});

test('in history, a run whose clear took the scrollback away still says what ran: its header went with it', () => {
  // The transcript starts with that clear: the blocks before it went with the scrollback.
  const printedAfterClear: TranscriptBlock[] = [
    { id: 2, kind: 'clear', clear: 'scrollback', seq: 3 },
    { id: 3, kind: 'output', runId: 'c', seq: 4, lines: ['named-check'], hidden: 0 },
    {
      id: 4,
      kind: 'footer',
      runId: 'c',
      outcome: { kind: 'exit', exitCode: 0, durationMs: 4 },
      afterClear: { seq: 3, command: 'clear; echo named-check' },
    },
  ];
  const named = `… cleared with the scrollback — lifeline replay ${sid} shows what came before\nnamed-check\n✓ 0 · 4ms · clear; echo named-check\n`;
  expect(plain(new TranscriptPrinter().take(snapshot(printedAfterClear), 5))).toBe(named);
  // Attached while it ran: the clear in history, what it printed next and its end as they come.
  expect(plain(new TranscriptPrinter().take(snapshot(printedAfterClear), 3))).toBe(named);
  const failedAfterClear: TranscriptBlock[] = [
    { id: 1, kind: 'clear', clear: 'scrollback', seq: 3 },
    { id: 2, kind: 'command', runId: 'c', command: 'clear; false', afterClearSeq: 3 },
    { id: 3, kind: 'footer', runId: 'c', outcome: { kind: 'exit', exitCode: 1, durationMs: 5 } },
  ];
  expect(plain(new TranscriptPrinter().take(snapshot(failedAfterClear), 3))).toBe(
    `… cleared with the scrollback — lifeline replay ${sid} shows what came before\n$ clear; false\n✗ 1 · 5ms\n`,
  );
  // A later run that cleared the screen alone has its header above, in history as well.
  const later: TranscriptBlock[] = [
    ...failedAfterClear,
    { id: 4, kind: 'command', runId: 'd', command: 'tput clear; false' },
    { id: 5, kind: 'clear', clear: 'screen', seq: 7 },
    { id: 6, kind: 'command', runId: 'd', command: 'tput clear; false', afterClearSeq: 7 },
    { id: 7, kind: 'footer', runId: 'd', outcome: { kind: 'exit', exitCode: 1, durationMs: 5 } },
  ];
  expect(
    plain(new TranscriptPrinter().take(snapshot(later), 8)).match(/\$ tput clear/g),
  ).toHaveLength(1);
});

describe('the transcript printer at a new width', () => {
  const run = (id: number, word: string): TranscriptBlock[] => [
    { id, kind: 'command', runId: word, command: `echo ${word}` },
    { id: id + 1, kind: 'output', runId: word, lines: [word], hidden: 0 },
  ];

  /** A terminal 40×8, the printer's text written into it with a one-row frame under it. */
  async function printed(blocks: TranscriptBlock[]) {
    const { terminal, write, everything } = await terminalWith([], [], []);
    const printer = new TranscriptPrinter();
    const frame = async () => write('frame\r');
    await write(printer.take(snapshot(blocks), Number.POSITIVE_INFINITY, false));
    await frame();
    return {
      terminal,
      rows: () => everything().map(plain),
      printMore: async (more: TranscriptBlock[], historyThroughSeq = -1) => {
        await write(`\x1b[2K${printer.take(snapshot(more), historyThroughSeq, false)}`);
        await frame();
      },
      /** Takes what `more` adds, to be printed above the next frame (it is not written yet). */
      take: (more: TranscriptBlock[]) => printer.take(snapshot(more), -1, false),
      /** A new width; `waiting` (taken, not written yet) is printed above the frame after the redraw. */
      resize: async (all: TranscriptBlock[], columns: number, waiting = '') => {
        terminal.resize(columns, 8);
        printer.redrawScreen(
          snapshot(all),
          { columns, rows: 8, frameRows: 1 },
          linesIn(waiting, 0),
        );
        await write(`\x1b[2K${printer.take(undefined)}${waiting}`);
        await frame();
      },
    };
  }

  test('a transcript that began at the top of an empty screen is drawn from there, once, resize after resize', async () => {
    const blocks = [...run(0, 'a1'), ...run(2, 'a2'), ...run(4, 'a3')];
    const screen = await printed(blocks);
    for (const columns of [20, 30, 25]) {
      await screen.resize(blocks, columns);
      expect(screen.rows().filter((row) => row !== '')).toEqual([
        '$ echo a1',
        'a1',
        '$ echo a2',
        'a2',
        '$ echo a3',
        'a3',
        'frame',
      ]);
    }
    screen.terminal.dispose();
  });

  test('lines taken but still waiting for the next frame are left to it: each line is there once, in order', async () => {
    const first = [0, 1, 2, 3, 4, 5].flatMap((index) => run(index * 2, `b${index}`));
    const screen = await printed(first);
    const all = [...first, ...run(12, 'b6'), ...run(14, 'b7')];
    const waiting = screen.take(all);
    await screen.resize(all, 30, waiting);
    const words = screen.rows().filter((row) => /^b\d$/.test(row));
    expect(words).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
    screen.terminal.dispose();
  });

  test('where the terminal says the transcript ends, it ends there, on a screen it fills as well: no row is left empty inside it', async () => {
    const blocks = [0, 1, 2, 3].flatMap((index) => run(index * 2, `c${index}`));
    const printer = new TranscriptPrinter();
    const { terminal, write, everything } = await terminalWith([], [], []);
    // Eight lines, a row an old frame left (blanked) and the frame, 8 rows high: the first two
    // lines are in the scrollback, the transcript ends on the sixth row.
    await write(`${printer.take(snapshot(blocks), Number.POSITIVE_INFINITY, false)}\nframe\r`);
    printer.redrawScreen(snapshot(blocks), {
      columns: 40,
      rows: 8,
      frameRows: 1,
      transcriptRows: 6,
      transcriptEndRow: 6,
    });
    await write(`\x1b[2K${printer.take(undefined)}frame\r`);
    expect(everything().map(plain)).toEqual([
      ...['$ echo c0', 'c0', '$ echo c1', 'c1', '$ echo c2', 'c2', '$ echo c3', 'c3'],
      'frame',
      '',
    ]);
    terminal.dispose();
  });

  test('after a clear, only what came since is drawn again, from the top of the screen', async () => {
    const before = run(0, 'h1');
    const screen = await printed(before);
    const all: TranscriptBlock[] = [
      ...before,
      { id: 2, kind: 'clear', clear: 'screen', seq: 5 },
      ...run(3, 'h4'),
    ];
    await screen.printMore(all);
    await screen.resize(all, 20);
    const rows = screen.rows();
    // The terminal's clear kept nothing of `h1` on the screen; the redraw brings none of it back.
    expect(rows.filter((row) => row === 'h1')).toHaveLength(0);
    expect(rows.filter((row) => row !== '')).toEqual(['$ echo h4', 'h4', 'frame']);
    screen.terminal.dispose();
  });
});
