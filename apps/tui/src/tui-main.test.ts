// The whole app under a real PTY, read through a headless xterm: what a person would see.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { keys, TuiWorld, gaveUpLine } from './test-utils/tui-harness.js';

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

/** The numbers `seq`-like output printed, in the order the terminal shows them. */
function numberedLines(lines: string[], prefix: string): number[] {
  return lines
    .filter((line) => line.startsWith(prefix))
    .map((line) => Number(line.slice(prefix.length)));
}

/** 1, 2, … `count`. */
function fromOne(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}

/**
 * A TUI running a command that prints `count` rows (`row 1`…), one every 20 ms, whose gateway was
 * killed with SIGKILL once 40 were out, and recovered from.
 */
async function rowsThroughGatewayKill(count: number) {
  world = new TuiWorld();
  const tui = world.start();
  await tui.waitFor('● ready');
  tui.type(`for i in $(seq 1 ${count}); do echo row $i; sleep 0.02; done${keys.enter}`);
  await tui.waitFor(/^row 40$/m);
  process.kill(tui.gatewayPid() ?? 0, 'SIGKILL');
  await tui.waitFor(/gateway exited \(SIGKILL\) — recovered in \d+ ms, nothing lost/, 10_000);
  return tui;
}

describe('lifeline', () => {
  test('runs a command and shows its output and outcome', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`echo hello${keys.enter}`);
    await tui.waitFor('✓ 0');
    const lines = tui.lines();
    const header = lines.indexOf('$ echo hello');
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toBe('hello');
    expect(lines[header + 2]).toMatch(/^✓ 0 · \d+ms$/);
    tui.type(`false${keys.enter}`);
    await tui.waitFor(/✗ 1 · /);
  });

  test('a command that waits for someone to type says so in the header until it is answered', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    await tui.startCommand('printf "name? "; read -r name; echo "hi $name"');
    await tui.waitFor('● waiting for input');
    // Typing the answer, and its echo, is not an answer yet: the command still waits for the line.
    tui.type('ad');
    await tui.waitFor('name? ad');
    expect(tui.screen().some((row) => row.includes('● waiting for input'))).toBe(true);
    tui.type(`a${keys.enter}`);
    await tui.waitFor('hi ada');
    await tui.waitFor('✓ 0');
    expect(tui.screen().some((row) => row.includes('● waiting for input'))).toBe(false);
    // A command that reads nothing is running, not waiting, however long it is quiet.
    let waitingShown = false;
    tui.onScreen((screen) => {
      if (screen.some((row) => row.includes('● waiting for input'))) waitingShown = true;
    });
    await tui.startCommand('sleep 3; echo slept');
    await tui.waitFor(/\nslept\n/);
    expect(waitingShown).toBe(false);
  });

  test('a program that waits for keys between its redraws (top) is shown waiting for input through them, not running after each', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 120, rows: 30 });
    await tui.waitFor('● ready');
    tui.type(`top -d 2${keys.enter}`);
    await tui.waitFor('● waiting for input', 20_000);
    const redraws = new Set<string>();
    let runningShown = false;
    tui.onScreen((screen) => {
      const clock = screen.find((row) => row.startsWith('top - '))?.slice(0, 14);
      if (clock !== undefined) redraws.add(clock);
      if (screen.some((row) => / · ● running( · |$)/.test(row))) runningShown = true;
    });
    // Three redraws at least (top's clock line changes each second it draws).
    await vi.waitFor(() => expect(redraws.size).toBeGreaterThanOrEqual(4), { timeout: 20_000 });
    expect(runningShown).toBe(false);
    tui.type('q');
    await tui.waitFor(/✓ 0 · /);
  });

  test('a pager paged with Space and arrows is shown waiting for input throughout, not running after each key', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 100, rows: 30 });
    await tui.waitFor('● ready');
    // As git runs its pager: on the screen the command has, not the alternate one.
    tui.type(`seq 1 5000 | less -X${keys.enter}`);
    await tui.waitFor('● waiting for input', 20_000);
    let runningShown = false;
    tui.onScreen((screen) => {
      if (screen.some((row) => / · ● running( · |$)/.test(row))) runningShown = true;
    });
    for (const [key, line] of [
      [' ', '29'],
      [' ', '57'],
      [keys.down, '58'],
      [' ', '86'],
    ] as const) {
      tui.type(key);
      await tui.waitFor(new RegExp(`^${line}$`, 'm'));
      // Past the time a wait takes to be found again after a key.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(runningShown).toBe(false);
    tui.type('q');
    await tui.waitFor(/✓ 0 · /);
  });

  test('Ctrl+C interrupts the running command: ✗ 130 SIGINT', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    await tui.startCommand('sleep 100');
    tui.type(keys.ctrlC);
    await tui.waitFor(/✗ 130 SIGINT · /);
  });

  test('Ctrl+Z stops the running command: shown as stopped, and fg takes it up again', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    await tui.startCommand('sleep 100');
    tui.type(keys.ctrlZ);
    await tui.waitFor(/⏸ 148 stopped by SIGTSTP · [^\n]* · fg resumes it/);
    expect(tui.text()).not.toMatch(/✗ 148/);
    await tui.startCommand('fg');
    tui.type(keys.ctrlC);
    await tui.waitFor(/\$ fg\n(.*\n)*✗ 130 SIGINT · /);
  });

  test('Ctrl+Z under fish, whose status does not tell a stop (it keeps the last command’s): shown as stopped all the same', async () => {
    world = new TuiWorld('/usr/bin/fish');
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`false${keys.enter}`);
    await tui.waitFor(/✗ 1 · /);
    await tui.startCommand('sleep 100');
    tui.type(keys.ctrlZ);
    await tui.waitFor(/\$ sleep 100\n(.*\n)*⏸ 148 stopped by SIGTSTP · [^\n]* · fg resumes it/);
    expect(tui.text()).not.toMatch(/✗ 1 · .*\n(.*\n)*✗ 1 · /);
  });

  test('keys typed in the same burst as /quit are not sent, and the last line says why', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`${keys.ctrlBracket}quit${keys.enter}echo after-quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
    expect(tui.text()).toMatch(/ not sent: Lifeline was quitting when/);
    expect(tui.text()).not.toContain('/recover');
  });

  test('SIGKILL of the gateway mid-stream: recovers and the stream goes on with no gap and no duplicate', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`for i in $(seq 1 60); do echo row $i; sleep 0.05; done${keys.enter}`);
    await tui.waitFor('row 10');
    const gateway = tui.gatewayPid();
    expect(gateway).toBeDefined();
    process.kill(gateway ?? 0, 'SIGKILL');
    await tui.waitFor(/gateway exited \(SIGKILL\) — recovered in \d+ ms, nothing lost/, 10_000);
    await tui.waitFor('row 60');
    await tui.waitFor(/✓ 0 · /);
    expect(tui.gatewayPid()).not.toBe(gateway);
    expect(numberedLines(tui.lines(), 'row ')).toEqual(fromOne(60));
  });

  test('SIGKILL of the gateway while a command fills the screen: the notice takes no row of its screen, every line stays in sight while it runs', async () => {
    const tui = await rowsThroughGatewayKill(300);
    // The command goes on: the first row of its screen is neither under the notice nor lost
    // between the scrollback and the frame.
    await tui.waitFor(/^row 120$/m);
    const shown = numberedLines(tui.lines(), 'row ');
    expect(tui.text()).not.toMatch(/✓ 0 · /);
    expect(shown).toEqual(fromOne(shown.length));
    await tui.waitFor(/✓ 0 · /, 30_000);
  });

  test('while the gateway is being recovered, a command that fills the screen keeps every row in sight: its own row says so', async () => {
    const tui = await rowsThroughGatewayKill(400);
    await tui.waitFor(/^row 60$/m);
    // A second exit within the minute: the next gateway starts a quarter of a second later.
    process.kill(tui.gatewayPid() ?? 0, 'SIGKILL');
    await tui.waitFor(/recovering session… attempt 2\/3/, 10_000);
    const shown = numberedLines(tui.lines(), 'row ');
    expect(shown).toEqual(fromOne(shown.length));
    expect(tui.screen().at(-2)).toMatch(
      /for i in .* · gateway exited \(SIGKILL\) — recovering session… attempt 2\/3/,
    );
    await tui.waitFor(/✓ 0 · /, 30_000);
    expect(numberedLines(tui.lines(), 'row ')).toEqual(fromOne(400));
  });

  test('a state directory gone bad mid-session: once recovery gives up, the TUI says why in the gateway’s words', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 200, rows: 24 });
    await tui.waitFor('● ready');
    const moved = `${world.stateDir}-moved`;
    fs.renameSync(world.stateDir, moved);
    fs.writeFileSync(world.stateDir, '');
    try {
      await tui.killReadyGateway();
      await tui.waitFor(
        `the gateway stopped: the state directory ${world.stateDir} is not a directory, so Lifeline does not use it; move it aside`,
        30_000,
      );
      await tui.waitFor(/gateway exited \(code 6\) — gave up after/);
    } finally {
      fs.rmSync(world.stateDir);
      fs.renameSync(moved, world.stateDir);
    }
  });

  test('a gateway that stops answering is replaced, and the status line says it was killed for that, not that it crashed', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    const gateway = tui.gatewayPid();
    expect(gateway).toBeDefined();
    process.kill(gateway ?? 0, 'SIGSTOP');
    await tui.waitFor(
      /gateway exited \(killed: it missed two heartbeats\) — recovered in \d+ ms, nothing lost/,
      30_000,
    );
    expect(tui.gatewayPid()).not.toBe(gateway);
    tui.type(`echo still-here${keys.enter}`);
    await tui.waitFor(/^still-here$/m);
  }, 60_000);

  test('keys typed the moment the gateway is killed reach the shell once, in order', async () => {
    world = new TuiWorld();
    const tui = world.start();
    for (const round of [1, 2, 3]) {
      await tui.waitFor('● ready');
      tui.type(`echo abc${round}`);
      await tui.waitFor(`echo abc${round}`);
      // Typed before the TUI can know: they go to the gateway that was just killed.
      await tui.killReadyGateway(() => {
        tui.type(`def${round}`);
        tui.type(keys.enter);
        return Promise.resolve();
      });
      await tui.waitFor(new RegExp(`^abc${round}def${round}\\n✓ 0`, 'm'), 20_000);
      await tui.untilReadyOnScreen();
    }
    const lines = tui.lines();
    for (const round of [1, 2, 3]) {
      expect(lines.filter((line) => line === `$ echo abc${round}def${round}`)).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith(`abc${round}`))).toEqual([
        `abc${round}def${round}`,
      ]);
    }
  });

  test('/new while the session shown floods: what was still queued of it stays with it; the new one is attached once, with no gap', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    const crashLog = path.join(world.stateDir, 'logs', 'crash.log');
    const switches = () =>
      fs
        .readFileSync(crashLog, 'utf8')
        .split('\n')
        .filter((line) => line.includes(' session.switch '));
    // Each switch is a chance to land while events of the flooding session wait to be shown.
    for (let round = 1; round <= 3; round += 1) {
      tui.type(`(sleep 0.2; yes flood${round} | head -n 2000000) &${keys.enter}`);
      // Keys typed before the command has ended would be its: /new waits for its result line.
      await tui.waitFor(new RegExp(`yes flood${round} [^\\n]*\\n(?:[^\\n]*\\n){0,3}✓ 0 · `));
      await tui.waitFor(`flood${round}`);
      tui.type(`${keys.ctrlBracket}new${keys.enter}`);
      await vi.waitFor(
        () => {
          if (switches().length < round) throw new Error(`switch ${round} not done yet`);
        },
        { timeout: 15_000, interval: 20 },
      );
    }
    tui.type(`echo fresh${keys.enter}`);
    await tui.waitFor(/fresh\n✓ 0/);
    const log = fs.readFileSync(crashLog, 'utf8').split('\n');
    for (const line of switches()) {
      const to = / to=(\S+)/.exec(line)?.[1] ?? '';
      const aboutNew = log.filter((entry) => entry.includes(`sid=${to}`));
      expect(
        aboutNew.filter((entry) => entry.includes(' session.attach ')),
        to,
      ).toHaveLength(1);
    }
    expect(log.filter((line) => line.includes(' session.gap '))).toEqual([]);
  });

  test('switched to a new session while a command runs: what its screen showed stays above, with a line that says it goes on', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`for i in $(seq 1 40); do echo sw $i; sleep 0.25; done${keys.enter}`);
    await tui.waitFor(/^sw 3$/m);
    tui.type(`${keys.ctrlBracket}new${keys.enter}`);
    const sessionLine = /^── session (?:\S+ · )?s_\w+ ──$/;
    await tui.waitFor(new RegExp(sessionLine.source, 'm'), 15_000);
    await tui.waitFor('● ready');
    const lines = tui.lines();
    const header = lines.findIndex((line) => sessionLine.test(line));
    const above = lines.slice(0, header);
    const shown = numberedLines(above, 'sw ');
    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(shown).toEqual(fromOne(shown.length));
    expect(above.at(-1)).toMatch(
      /^… for i in \$\(seq 1 40\); do echo sw \$i; sleep 0\.25; done · [\d.]+m?s so far · still running$/,
    );
  });

  test('gives up after four gateway deaths within a minute, says so, and /recover brings it back', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    for (let kill = 1; kill <= 4; kill += 1) {
      await tui.killReadyGateway(async () => {
        if (kill < 4) await tui.waitFor(`attempt ${kill}/3`);
      });
    }
    await tui.waitFor(gaveUpLine);
    // On one row of the 100 the terminal has: the crash log's path gives way to it.
    expect(tui.screen().filter((row) => gaveUpLine.test(row))).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tui.gatewayPid()).toBeUndefined();
    tui.type(`/recover${keys.enter}`);
    await tui.untilReadyOnScreen();
    // Asked for, the recovery is not put down to the last exit before it.
    const notice = await vi.waitFor(
      () => {
        const line = tui.screen().find((row) => row.includes('session recovered in'));
        if (line === undefined) throw new Error('no recovery notice yet');
        return line;
      },
      { timeout: 15_000 },
    );
    expect(notice).toMatch(/^session recovered in \d+ ms, nothing lost/);
    tui.type(`echo back${keys.enter}`);
    await tui.waitFor(/back\n✓ 0/);
  });

  test('quitting restores the terminal, leaves the session running and says how to resume it', async () => {
    world = new TuiWorld();
    const first = world.start();
    await first.waitFor('● ready');
    first.type(`echo kept${keys.enter}`);
    await first.waitFor('✓ 0');
    first.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await first.exited).toBe(0);
    expect(first.raw.lastIndexOf('\x1b[?2004l')).toBeGreaterThan(
      first.raw.lastIndexOf('\x1b[?2004h'),
    );
    expect(first.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(first.raw.lastIndexOf('\x1b[?25l'));
    expect(first.terminal.modes.bracketedPasteMode).toBe(false);
    expect(world.hostPids()).toHaveLength(1);
    // The last frame says how to come back, and leaves no line to type into under it.
    const shown = first.lines().filter((line) => line.trim() !== '');
    const back = /detached · lifeline --resume (s_\w+)$/.exec(shown.at(-1) ?? '');
    expect(back, shown.at(-1)).not.toBeNull();

    const again = world.start(['--resume', back?.[1] ?? '']);
    await again.waitFor('● ready');
    // The history is shown as it arrives: the run, whole, once it is all there.
    await again.waitFor(/\$ echo kept\nkept\n✓ 0/);
    again.type(`echo more${keys.enter}`);
    await again.waitFor(/more\n✓ 0/);
  });

  test('quitting after the shell exited says so on the last line, beside how to come back', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`exit${keys.enter}`);
    await tui.waitFor('● shell exited');
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
    const shown = tui.lines().filter((line) => line.trim() !== '');
    expect(shown.at(-1)).toMatch(/detached · its shell ended · lifeline --resume s_\w+$/);
  });

  test('quitting from Lifeline’s command line while a command prints lines: every line printed up to then stays on the terminal once, and the last frame ends its line', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    // Each tenth line takes two rows: wrapped rows stay one line.
    tui.type(
      `for i in $(seq 1 300); do if [ $((i % 10)) = 0 ]; then printf "tick-%d %0100d\\n" $i 0; else echo tick-$i; fi; sleep 0.03; done${keys.enter}`,
    );
    await tui.waitFor(/^tick-61$/m);
    // The command line takes rows of the frame from the top of the command's screen.
    tui.type(keys.ctrlBracket);
    await tui.waitFor(/Esc closes/);
    tui.type(`quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
    // The terminal's lines, the rows it wrapped joined.
    const buffer = tui.terminal.buffer.active;
    const lines: string[] = [];
    for (let index = 0; index < buffer.length; index += 1) {
      const row = buffer.getLine(index);
      const text = row?.translateToString(true) ?? '';
      const last = lines.at(-1);
      if (row?.isWrapped === true && last !== undefined) lines[lines.length - 1] = last + text;
      else lines.push(text);
    }
    const ticks = lines.flatMap((line) => /^tick-(\d+)( 0+)?$/.exec(line)?.[1] ?? []).map(Number);
    const last = Math.max(...ticks);
    expect(last).toBeGreaterThanOrEqual(60);
    expect(ticks).toEqual(Array.from({ length: last }, (_, index) => index + 1));
    for (const line of lines.filter((text) => /^tick-\d+0 /.test(text)))
      expect(line).toMatch(/^tick-\d+0 0{100}$/);
    expect(lines.filter((line) => line.trim() !== '').at(-1)).toMatch(
      /detached · lifeline --resume/,
    );
    // The shell that gets the terminal back writes its prompt on a row of its own.
    expect(buffer.cursorX).toBe(0);
    expect(buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true)).toBe('');
  });

  test('an unknown Lifeline command typed while a command prints is said on the status line, not printed among the lines the command printed', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`for i in $(seq 1 120); do echo tick-$i; sleep 0.02; done${keys.enter}`);
    await tui.waitFor(/^tick-40$/m);
    tui.type(keys.ctrlBracket);
    await tui.waitFor(/Esc closes/);
    tui.type(`/bogus${keys.enter}`);
    await tui.waitFor(/unknown command \/bogus — \/help lists the commands/);
    await tui.waitFor(/^tick-120\n✓ 0/m);
    const lines = tui.lines();
    const first = lines.indexOf('tick-1');
    const last = lines.indexOf('tick-120');
    expect(lines.slice(first, last + 1)).toEqual(
      Array.from({ length: 120 }, (_, index) => `tick-${index + 1}`),
    );
  });

  test('coming back to a session with a command running: while its history is shown, the header shows its cwd now, not the ones the history went through, and the keys are said to wait', async () => {
    world = new TuiWorld();
    fs.mkdirSync(path.join(world.work, 'first'));
    fs.mkdirSync(path.join(world.work, 'second'));
    const tui = world.start([], { cols: 160, rows: 24 });
    await tui.waitFor('● ready');
    tui.type(`cd first${keys.enter}`);
    await tui.waitFor(/\$ cd first\n✓ 0/);
    // A long history: it takes a while to be shown again.
    tui.type(`seq 1 150000${keys.enter}`);
    await tui.waitFor(/150000\n✓ 0 · /, 60_000);
    tui.type(`cd ../second${keys.enter}`);
    await tui.waitFor(/\$ cd \.\.\/second\n✓ 0/);
    await tui.startCommand('sleep 30');
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);

    const again = world.start(['-c'], { cols: 160, rows: 24 });
    // Each screen drawn while the session is being attached: its header, and the hint under the
    // prompt its history shows (keys are held until then, not sent to the shell).
    const attaching: string[][] = [];
    again.onScreen((screen) => {
      const header = screen.find((row) => row.startsWith('lifeline · ') && row.includes(' · ● '));
      if (header?.endsWith('● attaching')) attaching.push(screen);
    });
    await again.waitFor('● running', 60_000);
    expect(attaching.length).toBeGreaterThan(0);
    const rows = attaching.flat();
    expect(
      rows.filter(
        (row) => row.startsWith('lifeline · ') && !row.includes(`${world.work}/second ·`),
      ),
    ).toEqual([]);
    expect(rows.filter((row) => row.startsWith('keys go to your shell'))).toEqual([]);
  }, 120_000);

  test('SIGTERM while a full-screen program has the terminal: the terminal is back on the normal screen with normal keys', async () => {
    world = new TuiWorld();
    fs.writeFileSync(
      path.join(world.work, 'numbers.txt'),
      Array.from({ length: 300 }, (_, index) => `number ${index + 1}`).join('\n'),
    );
    const tui = world.start([], { cols: 80, rows: 20 });
    await tui.waitFor('● ready');
    tui.type(`less numbers.txt${keys.enter}`);
    await vi.waitFor(
      () => {
        expect(tui.terminal.buffer.active.type).toBe('alternate');
        expect(tui.screen()[0]).toBe('number 1');
        expect(tui.terminal.modes.applicationCursorKeysMode).toBe(true);
      },
      { timeout: 15_000 },
    );
    process.kill(tui.pid, 'SIGTERM');
    expect(await tui.exited).toBe(143);
    expect(tui.terminal.buffer.active.type).toBe('normal');
    expect(tui.terminal.modes.applicationCursorKeysMode).toBe(false);
    expect(tui.terminal.modes.applicationKeypadMode).toBe(false);
    expect(tui.terminal.modes.bracketedPasteMode).toBe(false);
    expect(tui.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(tui.raw.lastIndexOf('\x1b[?25l'));
  });

  test('a full-screen program killed without restoring its modes: they are off again, in the TUI and after it', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 80, rows: 20 });
    await tui.waitFor('● ready');
    // Alternate screen, application cursor keys and keypad, SGR mouse reporting; killed on Enter.
    tui.type(
      `bash -c 'printf "\\033[?1049h\\033[?1h\\033=\\033[?1000h\\033[?1006hfullscreen"; read -r; kill -9 $$'${keys.enter}`,
    );
    await vi.waitFor(
      () => {
        expect(tui.terminal.buffer.active.type).toBe('alternate');
        expect(tui.screen().join('\n')).toContain('fullscreen');
        expect(tui.terminal.modes.mouseTrackingMode).toBe('vt200');
      },
      { timeout: 15_000 },
    );
    const modesOff = () => {
      expect(tui.terminal.buffer.active.type).toBe('normal');
      expect(tui.terminal.modes.applicationCursorKeysMode).toBe(false);
      expect(tui.terminal.modes.applicationKeypadMode).toBe(false);
      expect(tui.terminal.modes.mouseTrackingMode).toBe('none');
      expect(tui.raw.lastIndexOf('\x1b[?1006l')).toBeGreaterThan(
        tui.raw.lastIndexOf('\x1b[?1006h'),
      );
    };
    tui.type(keys.enter);
    await tui.waitFor(/✗ 137 SIGKILL · /);
    modesOff();
    // The TUI's own modes are back on: a paste is still bracketed.
    expect(tui.terminal.modes.bracketedPasteMode).toBe(true);
    tui.type(`echo still here${keys.enter}`);
    await tui.waitFor(/still here\n✓ 0/);
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
    modesOff();
    expect(tui.terminal.modes.bracketedPasteMode).toBe(false);
  });

  test('a refusal on the status line goes away once the next command runs', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 120, rows: 30 });
    await tui.waitFor('● ready');
    tui.type(`${keys.ctrlBracket}resume nosuch${keys.enter}`);
    await tui.waitFor('no session is named "nosuch"');
    tui.type(`echo moved-on${keys.enter}`);
    await tui.waitFor(/moved-on\n✓ 0/);
    await vi.waitFor(
      () => {
        expect(tui.screen().join('\n')).not.toContain('no session is named "nosuch"');
      },
      { timeout: 15_000 },
    );
  });

  test('an unknown session or a terminal that is not one: a clear message and a documented exit code', async () => {
    world = new TuiWorld();
    const missing = world.start(['--resume', 's_00000000000000000000000000']);
    expect(await missing.exited).toBe(3);
    expect(missing.text()).toContain('no session s_00000000000000000000000000');
    // Nothing to come back to: no header saying how.
    expect(missing.text()).not.toContain('detached');
    const unnamed = world.start(['--resume', 'nobody']);
    expect(await unnamed.exited).toBe(3);
    expect(unnamed.text()).toContain('no session is named "nobody"');
    expect(unnamed.text()).not.toContain('detached');

    const notATerminal = spawnSync(
      process.execPath,
      [path.resolve(import.meta.dirname, '../dist/cli.js')],
      {
        env: world.env(),
        input: '',
        encoding: 'utf8',
      },
    );
    expect(notATerminal.status).toBe(2);
    expect(notATerminal.stderr).toMatch(/needs a terminal/);

    const badFlag = spawnSync(
      process.execPath,
      [path.resolve(import.meta.dirname, '../dist/cli.js'), '--bogus'],
      { env: world.env(), encoding: 'utf8' },
    );
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/unknown option '--bogus'/);
  });
});
