// The shell's `clear` and its Ctrl+L, under a real PTY read through a headless xterm: the TUI
// clears the terminal as a terminal would, and draws its lines again at the top.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { keys, TuiWorld, type TuiProcess } from './test-utils/tui-harness.js';

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

/** The row of the screen the TUI's header is on. */
function headerRow(tui: TuiProcess): number {
  return tui.screen().findIndex((line) => line.startsWith('lifeline · '));
}

/** The row of the screen a shell's prompt (`user@host:~/work$ `, `vm# `) is on; -1 if none. */
function promptRow(tui: TuiProcess): number {
  return tui.screen().findIndex((line) => /^\S.*[$#%>] ?$/.test(line.trimEnd()));
}

/** The lines of the terminal (scrollback and screen) that hold a number alone, as `seq` prints. */
function numberLines(tui: TuiProcess): string[] {
  return tui.lines().filter((line) => /^\d+$/.test(line.trim()));
}

/** Waits until the terminal shows no line of `seq` any more: the `clear` ran. */
async function untilCleared(tui: TuiProcess): Promise<void> {
  await vi.waitFor(
    () => {
      expect(numberLines(tui)).toEqual([]);
    },
    { timeout: 20_000, interval: 20 },
  );
}

/** Waits until the screen shows the header at most `row` rows from the top. */
async function untilHeaderAtMost(tui: TuiProcess, row: number): Promise<void> {
  await vi.waitFor(
    () => {
      const at = headerRow(tui);
      if (at < 0 || at > row)
        throw new Error(`the header is on row ${at}:\n${tui.screen().join('\n')}`);
    },
    { timeout: 20_000, interval: 20 },
  );
}

describe.each(['/bin/bash', '/usr/bin/zsh', '/usr/bin/fish'])('with %s', (shell) => {
  test('`clear` in a run clears the screen and the scrollback: nothing above it shows, the prompt is at the top', async () => {
    world = new TuiWorld(shell);
    const tui = world.start([], { cols: 100, rows: 30 });
    await tui.waitFor('● ready');
    // The numbers are shown (and 26 of them scrolled into the transcript) before the clear comes.
    tui.type(`seq 1 50; read line; clear${keys.enter}`);
    await vi.waitFor(
      () => {
        expect(numberLines(tui)).toHaveLength(50);
      },
      { timeout: 20_000, interval: 20 },
    );
    tui.type(keys.enter);
    // Nothing of the run's output, on the screen or in the scrollback.
    await untilCleared(tui);
    await untilHeaderAtMost(tui, 4);
    // The frame goes on under it: the next command runs as before.
    tui.type(`echo after-the-clear${keys.enter}`);
    await tui.waitFor(/after-the-clear\n✓ 0 · /);
    expect(numberLines(tui)).toEqual([]);
    // The clear succeeded and left the screen clear: no result line of its own above the next run.
    const lines = tui.lines();
    const next = lines.findIndex((line) => line.includes('$ echo after-the-clear'));
    expect(next).toBeGreaterThanOrEqual(0);
    expect(lines.slice(0, next).filter((line) => line.includes('✓'))).toEqual([]);
    // One that fails after its clear says which command failed, on the clear screen.
    tui.type(`clear; false${keys.enter}`);
    await vi.waitFor(
      () => {
        const shown = tui.lines();
        const failed = shown.findIndex((line) => line.startsWith('✗ 1'));
        expect(shown.slice(0, failed).filter((line) => line.trim() !== '')).toEqual([
          '$ clear; false',
        ]);
      },
      { timeout: 20_000, interval: 20 },
    );
    // One that prints after its clear: its result line says which command printed it.
    tui.type(`clear; echo printed-after${keys.enter}`);
    await vi.waitFor(
      () => {
        const shown = tui.lines().filter((line) => line.trim() !== '');
        const result = shown.findIndex((line) => line.startsWith('✓ 0'));
        expect(shown.slice(0, result + 1)).toEqual([
          'printed-after',
          expect.stringMatching(/^✓ 0 · \d+ms · clear; echo printed-after$/),
        ]);
      },
      { timeout: 20_000, interval: 20 },
    );
  });
});

describe.each([
  ['/bin/bash', 'xterm-256color'],
  ['/usr/bin/zsh', 'xterm-256color'],
  ['/usr/bin/fish', 'xterm-256color'],
  // Inside tmux or screen, where the terminal's description clears with home and an erase down.
  ['/bin/bash', 'screen'],
])('with %s, TERM=%s', (shell, term) => {
  test('Ctrl+L at the prompt clears the screen and draws the prompt at the top', async () => {
    world = new TuiWorld(shell);
    world.term = term;
    const tui = world.start([], { cols: 100, rows: 30 });
    await tui.waitFor('● ready');
    tui.type(`seq 1 50${keys.enter}`);
    await tui.waitFor(/\n50\n✓ 0 · /);
    // The run's end is printed above the frame, which is drawn again under it a moment later.
    await vi.waitFor(() => {
      expect(headerRow(tui)).toBeGreaterThan(20);
    });
    // Once the shell has drawn its prompt again, under the header.
    await vi.waitFor(
      () => {
        if (promptRow(tui) !== headerRow(tui) + 1)
          throw new Error(`no prompt yet:\n${tui.screen().join('\n')}`);
      },
      { timeout: 15_000 },
    );
    tui.type('\x0c');
    await untilHeaderAtMost(tui, 4);
    // The shell draws its prompt again (fish a moment after it cleared), right under the header.
    await vi.waitFor(
      () => {
        if (promptRow(tui) !== headerRow(tui) + 1)
          throw new Error(`no prompt under the header:\n${tui.screen().join('\n')}`);
      },
      { timeout: 15_000 },
    );
    expect(headerRow(tui)).toBeLessThanOrEqual(4);
    expect(tui.screen().some((line) => line.trim() === '50')).toBe(false);
    // The session goes on.
    tui.type(`echo after-ctrl-l${keys.enter}`);
    await tui.waitFor(/after-ctrl-l\n✓ 0 · /);
  });
});

test("Ctrl+L at Lifeline's own command line (a shell without a line editor) clears the screen and draws the frame at the top", async () => {
  world = new TuiWorld('/bin/dash');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`echo before-the-clear${keys.enter}`);
  await tui.waitFor(/before-the-clear\n✓ 0 · /);
  tui.type(keys.ctrlL);
  // With no other key: the frame is drawn again at once, not left off until something changes.
  await vi.waitFor(
    () => {
      expect(tui.lines().filter((line) => line.includes('before-the-clear'))).toEqual([]);
      expect(headerRow(tui)).toBe(0);
    },
    { timeout: 20_000, interval: 20 },
  );
});

test('after `clear`, lifeline -c shows the session from the clear on, and lifeline replay still has everything', async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`seq 1 50; read line; clear${keys.enter}`);
  await tui.waitFor(/\n50\n/);
  tui.type(keys.enter);
  await untilCleared(tui);
  tui.type(`echo after-the-clear${keys.enter}`);
  await tui.waitFor(/after-the-clear\n✓ 0 · /);
  tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await tui.exited).toBe(0);

  const again = world.start(['-c'], { cols: 100, rows: 30 });
  await again.waitFor(/after-the-clear\n✓ 0 · /);
  const lines = again.lines();
  expect(numberLines(again)).toEqual([]);
  expect(
    lines.some((line) => line.startsWith('… cleared with the scrollback — lifeline replay s_')),
  ).toBe(true);
  again.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await again.exited).toBe(0);

  const sid = /lifeline replay (s_\w+)/.exec(lines.join('\n'))?.[1];
  expect(sid).toBeDefined();
  const replay = world.start(['replay', sid ?? ''], { cols: 100, rows: 30 });
  expect(await replay.exited).toBe(0);
  const replayed = replay.lines();
  // The lines that scrolled into the transcript before the clear, then the clear, then the rest.
  const numbers = replayed.filter((line) => /^\d+$/.test(line.trim()));
  expect(numbers.slice(0, 3)).toEqual(['1', '2', '3']);
  const cleared = replayed.indexOf('── cleared: the screen and the scrollback ──');
  expect(cleared).toBeGreaterThan(replayed.lastIndexOf(numbers.at(-1) ?? ''));
  expect(replayed.findIndex((line) => line === 'after-the-clear')).toBeGreaterThan(cleared);
});

test('in tmux, a clear of the screen alone in a run keeps what the screen showed above what follows, in the scrollback and in replay', async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.startInTmux([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  // `clear -x` without the program: the screen erased, the scrollback kept.
  tui.type(
    `printf 'kept-%s\\n' 1 2 3; sleep 0.3; printf '\\033[H\\033[2J'; echo after-clear${keys.enter}`,
  );
  await tui.waitFor(/^after-clear\n✓ 0 · /m);
  await tui.settled();
  // As tmux keeps an erased screen in its scrollback when a program clears it in plain bash.
  const lines = tui.lines();
  expect(lines.filter((line) => line.startsWith('kept-'))).toEqual(['kept-1', 'kept-2', 'kept-3']);
  expect(lines.indexOf('after-clear')).toBeGreaterThan(lines.indexOf('kept-3'));

  const [sid] = fs.readdirSync(path.join(world.stateDir, 'sessions'));
  const replay = world.start(['replay', sid ?? ''], { cols: 100, rows: 30 });
  expect(await replay.exited).toBe(0);
  const replayed = replay.lines();
  const cleared = replayed.indexOf('── cleared: the screen ──');
  expect(replayed.slice(cleared - 3, cleared + 2)).toEqual([
    'kept-1',
    'kept-2',
    'kept-3',
    '── cleared: the screen ──',
    'after-clear',
  ]);
});
