// What a running program draws, under a real PTY read through a headless xterm: cursor-addressed
// redraws, programs like top and watch, wide characters; and the ways out: give-up, a closed
// terminal.
import fs from 'node:fs';
import path from 'node:path';
import xterm from '@xterm/headless';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  keys,
  startVimOnLongFile,
  TuiWorld,
  type TuiProcess,
  gaveUpLine,
} from './test-utils/tui-harness.js';

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

/** Rows of the terminal the TUI keeps for its own lines: the command's terminal has the others. */
const chromeRows = 2;

/** What a bare xterm of `cols` × `rows` shows after `output`: its rows down to the last non-empty one. */
async function bareXterm(output: string, cols: number, rows: number): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(output, resolve));
  const buffer = terminal.buffer.active;
  const lines = Array.from(
    { length: buffer.length },
    (_, row) => buffer.getLine(row)?.translateToString(true) ?? '',
  );
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  terminal.dispose();
  return lines;
}

/** The lines the transcript shows between a run's header and its footer. */
function runOutput(tui: TuiProcess, command: string): string[] {
  const lines = tui.lines();
  const header = lines.lastIndexOf(`$ ${command}`);
  expect(header).toBeGreaterThanOrEqual(0);
  const footer = lines.findIndex((line, index) => index > header && /^[✓✗⚠] /.test(line));
  expect(footer).toBeGreaterThan(header);
  return lines.slice(header + 1, footer);
}

/** Three lines redrawn in place `updates` times, the way docker, cargo and pip draw progress. */
function progressOutput(updates: number): string {
  let output = '\n\n\n';
  for (let update = 1; update <= updates; update += 1)
    output += `\x1b[3A\r\x1b[Kfetch ${update}/${updates}\n\x1b[Kbuild ${'#'.repeat(update % 7)}\n\x1b[Klink ${update}\n`;
  return output;
}

/** A line of wide characters and emoji (skin tones, ZWJ sequences) longer than the terminal is wide. */
const wideLine = `${'中文X'.repeat(41)} 🎉👍🏽 👨‍👩‍👧 ${'界'.repeat(30)}`;

describe.each(['/bin/bash', '/usr/bin/zsh', '/usr/bin/fish'])('with %s', (shell) => {
  test('a progress display redrawn 200 times with cursor-up leaves its final three lines once, as a bare xterm shows them', async () => {
    world = new TuiWorld(shell);
    const tui = world.start([], { cols: 100, rows: 30 });
    await tui.waitFor('● ready');
    const output = progressOutput(200);
    fs.writeFileSync(path.join(world.work, 'progress.out'), output);
    const catCommand = 'cat progress.out';
    tui.type(`${catCommand}${keys.enter}`);
    await tui.waitFor(/link 200\n✓ 0/);
    // The terminal turns each newline into CR LF.
    expect(runOutput(tui, catCommand)).toEqual(
      await bareXterm(output.replaceAll('\n', '\r\n'), 100, 30 - chromeRows),
    );
    expect(runOutput(tui, catCommand)).toEqual(['fetch 200/200', 'build ####', 'link 200']);
    expect(
      tui.lines().filter((line) => line.startsWith('fetch ')),
      tui.lines().join('\n'),
    ).toEqual(['fetch 200/200']);
  });

  test('wide characters and emoji wrapping at the edge show cell for cell as in a bare xterm, with no prompt or echo', async () => {
    world = new TuiWorld(shell);
    const tui = world.start([], { cols: 120, rows: 35 });
    await tui.waitFor('● ready');
    fs.writeFileSync(path.join(world.work, 'wide.txt'), `${wideLine}\n${wideLine}\n`);
    tui.type(`cat wide.txt${keys.enter}`);
    await tui.waitFor(/界\n✓ 0/);
    expect(runOutput(tui, 'cat wide.txt')).toEqual(
      await bareXterm(`${wideLine}\r\n${wideLine}\r\n`, 120, 35 - chromeRows),
    );
    // Nothing of the shell's prompt or its echo of the command line reached the transcript.
    expect(tui.lines().filter((line) => line.includes('cat wide.txt'))).toEqual(['$ cat wide.txt']);
  });
});

describe('programs that draw a screen without the alternate screen', () => {
  test('top shows its header rows while it runs, and leaves at most one screen behind', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 120, rows: 35 });
    await tui.waitFor('● ready');
    tui.type(`top -d 0.2${keys.enter}`);
    await vi.waitFor(
      () => {
        const screen = tui.screen();
        expect(screen.some((line) => line.startsWith('top - '))).toBe(true);
        expect(screen.some((line) => line.startsWith('Tasks:'))).toBe(true);
        expect(screen.some((line) => /^%Cpu/.test(line))).toBe(true);
        expect(screen.some((line) => /PID USER/.test(line))).toBe(true);
      },
      { timeout: 15_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    tui.type('q');
    await tui.waitFor(/✓ 0 · /);
    // top clears the screen as it starts; its screen is as tall as the terminal less the run's row
    // (and the cursor's): its command line went into the scrollback as it began, as tmux keeps it.
    // What is left above the result is its last screen.
    const lines = tui.lines();
    expect(lines.filter((line) => line === '$ top -d 0.2').length).toBeLessThanOrEqual(1);
    const footer = lines.findIndex((line) => /^✓ 0 · /.test(line));
    expect(footer).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('top - '))).toHaveLength(1);
    const screenTop = lines.findIndex((line) => line.startsWith('top - '));
    expect(footer - screenTop).toBeLessThanOrEqual(35 - chromeRows);
  });

  test('watch shows its output while it runs, and leaves at most one screen behind', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 120, rows: 35 });
    await tui.waitFor('● ready');
    tui.type(`watch -n 0.2 date${keys.enter}`);
    await tui.waitFor(/Every 0\.2s: date/, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    tui.type(keys.ctrlC);
    await tui.waitFor(/[✓✗] \d+(?: SIG[A-Z0-9]+)? · /);
    const everyLines = tui.lines().filter((line) => line.startsWith('Every 0.2s: date'));
    expect(everyLines.length).toBeLessThanOrEqual(1);
  });
});

/** The cells the terminal shows inverted now, each as the text of its row and its column. */
function invertedCells(tui: TuiProcess): string[] {
  const buffer = tui.terminal.buffer.active;
  const cell = buffer.getNullCell();
  const cells: string[] = [];
  for (let row = 0; row < tui.terminal.rows; row += 1) {
    const line = buffer.getLine(buffer.viewportY + row);
    for (let column = 0; column < tui.terminal.cols; column += 1)
      if (line?.getCell(column, cell)?.isInverse())
        cells.push(`${line.translateToString(true).trimEnd()}@${column}`);
  }
  return cells;
}

describe('the rows a command and the shell get', () => {
  test('while a command runs, one row under its screen says its state and what the keys do: the command has every row but two', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 100, rows: 24 });
    await tui.waitFor('● ready');
    tui.type(`stty size; cat${keys.enter}`);
    await tui.waitFor('● waiting for input');
    const screen = tui.screen();
    expect(screen).toContain('22 100');
    // The run's row is the frame's last (the cursor's is under it); the header is not shown while
    // it runs.
    const runRow = screen.findIndex((row) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /.test(row));
    expect(screen[runRow]).toMatch(
      /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] stty size; cat · [\d.]+m?s · ● waiting for input · keys go to the command · Ctrl\+C interrupts/,
    );
    expect(screen.slice(runRow + 1).filter((row) => row !== '')).toEqual([]);
    expect(screen.filter((row) => row.startsWith('lifeline ·'))).toEqual([]);
    tui.type(keys.ctrlC);
    await tui.waitFor(/✗ 130/);
    await tui.waitFor('● ready');
  });

  test("a completion list paged by bash shows every row of the shell's page, the header giving way", async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 100, rows: 24 });
    await tui.waitFor('● ready');
    const many = path.join(world.work, 'many');
    fs.mkdirSync(many);
    for (let index = 0; index < 300; index += 1)
      fs.writeFileSync(path.join(many, `file-${String(index).padStart(3, '0')}`), '');
    tui.type(`ls many/file-\t\t`);
    await tui.waitFor('Display all 300 possibilities? (y or n)');
    tui.type('y');
    await tui.waitFor('--More--');
    // bash pages a list one row less than its terminal is high (22 rows here): every row of the
    // page shows, its first file first, down to the pager's prompt.
    const screen = tui.screen();
    const more = screen.findIndex((row) => row.startsWith('--More--'));
    const page = screen.slice(more - 21, more);
    expect(page).toHaveLength(21);
    expect(page[0]).toMatch(/^file-000 /);
    for (const row of page) expect(row).toMatch(/^file-\d{3} /);
    expect(screen.filter((row) => row.startsWith('lifeline ·'))).toEqual([]);
    tui.type('q');
    await tui.waitFor(/^lifeline · .*● ready$/m);
  });
});

describe("the running command's cursor", () => {
  test('shows as an inverted cell where the program has it, not while the program hides it, and never in the transcript', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 100, rows: 30 });
    await tui.waitFor('● ready');
    tui.type(`read -p 'Name: ' x${keys.enter}`);
    await tui.waitFor(/^Name:/m);
    await vi.waitFor(
      () => {
        expect(invertedCells(tui)).toEqual(['Name:@6']);
      },
      { timeout: 15_000 },
    );
    tui.type('Bob');
    await vi.waitFor(
      () => {
        expect(invertedCells(tui)).toEqual(['Name: Bob@9']);
      },
      { timeout: 15_000 },
    );
    tui.type(keys.enter);
    await tui.waitFor(/^✓ 0 · /m);
    const hiding = "printf '\\e[?25l'; read -p 'Hidden: ' y; printf '\\e[?25h'";
    tui.type(`${hiding}${keys.enter}`);
    await tui.waitFor(/^Hidden:/m);
    tui.type('Ann');
    await tui.waitFor(/^Hidden: Ann/m);
    // No cell is inverted: not the hidden cursor, nor one in the line the first run left above.
    expect(tui.lines()).toContain('Name: Bob');
    expect(invertedCells(tui)).toEqual([]);
    tui.type(keys.enter);
    await tui.waitFor(/^Hidden: Ann\n✓ 0 · /m);
  });
});

describe('ways out', () => {
  test('recovery gives up while a command runs: keys meant for the command are refused in words, the Lifeline key opens its commands, and recover and quit work', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    await tui.startCommand('sleep 120');
    for (let kill = 1; kill <= 4; kill += 1) await tui.killReadyGateway();
    await tui.waitFor(gaveUpLine);
    // The recovery notice of the earlier attempts is gone.
    expect(tui.screen().some((line) => line.includes('nothing lost'))).toBe(false);
    // Nothing says whether the command goes on: its time stops, with no spinner, and the row says
    // how to see the rest.
    const cutOffRow =
      /^⚠ sleep 120 · [\d.]+m?s, then the gateway was lost · \/recover shows the rest$/m;
    await tui.waitFor(cutOffRow);
    const runRow = () => tui.screen().find((line) => cutOffRow.test(line.trimEnd()));
    const firstSeen = runRow();
    tui.type(keys.ctrlC);
    await tui.waitFor(
      'cannot interrupt the running command while the gateway is down (recovery gave up)',
    );
    tui.type(`echo hi${keys.enter}`);
    await tui.waitFor(
      'the running command cannot be given what you typed while the gateway is down',
    );
    expect(runRow()).toBe(firstSeen);
    // Lifeline's commands open as the line under the command says, even now; the way to hand the
    // command the terminal is not offered, as it cannot be taken.
    tui.type(keys.ctrlBracket);
    await tui.waitFor('lifeline › /');
    await tui.waitFor('recover, help, sessions, quit… · Enter runs · Esc closes');
    expect(tui.text()).not.toContain('Ctrl+] again');
    expect(runRow()).toBe(firstSeen);
    tui.type(`recover${keys.enter}`);
    await tui.untilReadyOnScreen();
    // The command still runs, and gets its keys again: Ctrl+C interrupts it.
    tui.type(keys.ctrlC);
    await tui.waitFor(/✗ 130 SIGINT · /);
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
  });

  test('vim, which the gateway gave up on, gets the whole terminal again after /recover, drawn anew', async () => {
    world = new TuiWorld();
    const { tui, vimHasWholeTerminal } = await startVimOnLongFile(world);
    // vim has the screen, `● ready` is not on it: each gateway is killed once the crash log says
    // it was ready.
    const readyGenerations = () =>
      [
        ...fs
          .readFileSync(path.join(world.stateDir, 'logs', 'crash.log'), 'utf8')
          .matchAll(/ supervisor\.ready generation=(\d+)/g),
      ].map((match) => Number(match[1]));
    for (let kill = 1; kill <= 4; kill += 1) {
      const gateway = await vi.waitFor(
        () => {
          const pid = tui.gatewayPid();
          if (!pid || Math.max(0, ...readyGenerations()) < kill) throw new Error('not ready yet');
          return pid;
        },
        { timeout: 20_000, interval: 20 },
      );
      process.kill(gateway, 'SIGKILL');
      await vi.waitFor(
        () => {
          expect(tui.gatewayPid()).not.toBe(gateway);
        },
        { timeout: 15_000 },
      );
    }
    // The terminal is taken back to say why, and to take /recover.
    await tui.waitFor(gaveUpLine);
    expect(tui.terminal.buffer.active.type).toBe('normal');
    tui.type(`${keys.ctrlBracket}recover${keys.enter}`);
    await vi.waitFor(vimHasWholeTerminal, { timeout: 15_000 });
    tui.type(`:q${keys.enter}`);
    await tui.waitFor(/\$ vim -u NONE -N long\.txt\n✓ 0/);
  });

  test('recovery gives up at the prompt: a command typed then is refused in words and stays in the line', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    for (let kill = 1; kill <= 4; kill += 1) await tui.killReadyGateway();
    await tui.waitFor(gaveUpLine);
    // The line and its Enter in one chunk, as a paste or a fast typist sends them.
    tui.type(`echo kept-line${keys.enter}`);
    await tui.waitFor(/while the gateway is down \(recovery gave up\)/);
    await tui.waitFor(/› echo kept-line/);
    tui.type(`\x15/recover${keys.enter}`);
    await tui.untilReadyOnScreen();
    // Nothing ran while the gateway was down.
    expect(tui.lines().some((line) => line.startsWith('$ echo kept-line'))).toBe(false);
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
  });

  test('keys on their way when recovery gives up wait for the gateway: /recover types them, once', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    for (let kill = 1; kill <= 3; kill += 1) await tui.killReadyGateway();
    // A gateway that takes the keys and never answers, then dies: the fourth death in a minute.
    const stopped = await vi.waitFor(
      () => {
        const pid = tui.gatewayPid();
        if (!pid || !/● ready/.test(tui.text())) throw new Error('not ready again yet');
        return pid;
      },
      { timeout: 20_000 },
    );
    process.kill(stopped, 'SIGSTOP');
    tui.type('echo held-keys');
    // Lifeline's own line opened after them: the keys before were handled, and written.
    tui.type(keys.ctrlBracket);
    await tui.waitFor('lifeline › /');
    tui.type('\x1b');
    await vi.waitFor(() => expect(tui.text()).not.toContain('lifeline › /'), { timeout: 10_000 });
    process.kill(stopped, 'SIGKILL');
    await tui.waitFor(gaveUpLine);
    await tui.waitFor(/14 typed characters wait for the gateway: \/recover sends them/);
    tui.type(`${keys.ctrlBracket}recover${keys.enter}`);
    await tui.untilReadyOnScreen();
    tui.type(keys.enter);
    await tui.waitFor(/^held-keys\n✓ 0/m);
    expect(tui.lines().filter((line) => line === '$ echo held-keys')).toHaveLength(1);
  });

  test('closing the terminal ends the TUI in order, with no uncaught exception and no signal death; lifeline -c finds the session intact', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    // Running, not only typed: keys still on their way when the terminal closes are lost with it.
    await tui.startCommand('echo before; sleep 100');
    tui.closeTerminal();
    expect(await tui.exited).toBe(129);
    expect(tui.exitSignal).toBe(0);
    const log = fs
      .readFileSync(path.join(world.stateDir, 'logs', 'crash.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('[tui]'));
    expect(log.some((line) => line.includes('signal.received signal=SIGHUP'))).toBe(true);
    expect(log.filter((line) => /uncaught\.exception|unhandled\.rejection/.test(line))).toEqual([]);
    // Its cleanups ran to their end: the hang-up's two signs (the write that failed, SIGHUP) are
    // one reason to leave, not a second signal forcing the exit.
    expect(log.filter((line) => / exit /.test(line))).toEqual([
      expect.not.stringMatching(/reason=(second-signal|grace-expired)/),
    ]);
    const again = world.start(['-c']);
    await again.waitFor('● running');
    await again.waitFor(/\$ echo before; sleep 100\nbefore/);
    again.type(keys.ctrlC);
    await again.waitFor(/✗ 130 SIGINT · /);
  });
});

test('a fast command’s 6,000 lines are all in the scrollback, none hidden, as a terminal keeps them', async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`seq 1 6000${keys.enter}`);
  await tui.waitFor(/\n6000\n✓ 0/);
  expect(runOutput(tui, 'seq 1 6000')).toEqual(
    Array.from({ length: 6000 }, (_, index) => String(index + 1)),
  );
});

test.each([
  ['by default, its last lines under a count of those hidden', {}, true],
  [
    'with LIFELINE_SCROLLBACK_LINES above its length, all of it',
    { LIFELINE_SCROLLBACK_LINES: '200000' },
    false,
  ],
])('a flood of 60,000 lines is printed %s', async (_how, env, hidden) => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 100, rows: 30 }, env);
  await tui.waitFor('● ready');
  tui.type(`seq 1 60000${keys.enter}`);
  await tui.waitFor(/\n60000\n✓ 0/, 60_000);
  const markers = tui.lines().filter((line) => /lines hidden — lifeline replay/.test(line));
  // One marker for the flood; on a machine so busy that the output stops for longer than the
  // pause that ends a flood (a quarter of a second), one for each part of it.
  if (hidden) expect(markers.length).toBeGreaterThanOrEqual(1);
  else expect(markers).toEqual([]);
});

test('a LIFELINE_SCROLLBACK_LINES that is not a number of lines is refused, saying what to give', async () => {
  world = new TuiWorld('/bin/bash');
  const refused = world.start([], { cols: 100, rows: 30 }, { LIFELINE_SCROLLBACK_LINES: 'lots' });
  expect(await refused.exited).toBe(2);
  expect(refused.text()).toContain(
    'LIFELINE_SCROLLBACK_LINES=lots: give a whole number of lines from 1000 to 10000000',
  );
  // Refused before anything started: no session was prepared for it.
  const sessions = path.join(world.stateDir, 'sessions');
  expect(fs.existsSync(sessions) ? fs.readdirSync(sessions) : []).toEqual([]);
});

test('a program’s bell rings the terminal’s; a title’s end and a bell in the history shown again do not', async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`printf 'ding\\a\\n'${keys.enter}`);
  await tui.waitFor(/ding\n✓ 0/);
  expect(tui.bells).toBe(1);
  tui.type(`printf '\\033]0;a title\\007titled\\n'${keys.enter}`);
  await tui.waitFor(/titled\n✓ 0/);
  expect(tui.bells).toBe(1);
  tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await tui.exited).toBe(0);
  const again = world.start(['-c'], { cols: 100, rows: 30 });
  await again.waitFor(/titled\n✓ 0/);
  await again.waitFor('● ready');
  expect(again.bells).toBe(0);
});

test("the window title a shell's prompt or a program sets is the terminal's, printable text only; one in the history shown again is not set again", async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`printf '\\033]0;build \\001done\\007titled\\n'${keys.enter}`);
  await tui.waitFor(/titled\n✓ 0/);
  await vi.waitFor(() => expect(tui.titles).toEqual(['build done']), { timeout: 10_000 });
  tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await tui.exited).toBe(0);
  const again = world.start(['-c'], { cols: 100, rows: 30 });
  await again.waitFor(/titled\n✓ 0/);
  await again.waitFor('● ready');
  again.type(`printf '\\033]2;second\\007'${keys.enter}`);
  await vi.waitFor(() => expect(again.titles).toEqual(['second']), { timeout: 10_000 });
});

test('a program asking where the cursor is and what the terminal is gets one answer to each, also with two TUIs showing it', async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  // Each question is asked once, then read for twice: a second answer would be read the second time.
  const ask = (name: string, query: string, end: string) =>
    `printf '${query}'; IFS= read -rs -t 3 -d ${end} a; IFS= read -rs -t 1 -d ${end} b; printf '${name} first=%q second=%q\\n' "$a" "$b"`;
  tui.type(`echo one; ${ask('cursor', '\\033[6n', 'R')}${keys.enter}`);
  await tui.waitFor(/cursor first=.*\n✓ 0/);
  expect(tui.text()).toMatch(/cursor first=\$'\\E\[\d+;1' second=''/);
  const second = world.start(['-c'], { cols: 100, rows: 30 });
  await second.waitFor('● ready');
  tui.type(`${ask('device', '\\033[c', 'c')}; ${ask('status', '\\033[5n', 'n')}${keys.enter}`);
  await tui.waitFor(/status first=.*\n✓ 0/);
  expect(tui.text()).toContain(`device first=$'\\E[?1;2' second=''`);
  expect(tui.text()).toContain(`status first=$'\\E[0' second=''`);
});
