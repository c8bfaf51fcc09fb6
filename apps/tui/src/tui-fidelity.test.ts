// Terminal fidelity under a real PTY read through a headless xterm: full-screen programs, pastes
// and floods (resizes: tui-resize.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';
import { keys, startVimOnLongFile, TuiWorld } from './test-utils/tui-harness.js';

const pasteProbe = path.join(import.meta.dirname, '__fixtures__', 'paste-probe.py');
const missedResize = path.join(import.meta.dirname, '__fixtures__', 'missed-resize.py');
const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;

/** A TUI running the paste probe, which reports every byte it reads. */
async function startPasteProbe() {
  world = new TuiWorld();
  const tui = world.start();
  await tui.waitFor('● ready');
  tui.type(`python3 ${pasteProbe}${keys.enter}`);
  await tui.waitFor('PROBE READY');
  return tui;
}

/** A TUI `cols` wide and 20 rows high that ran `echo before`, in a directory with numbers.txt. */
async function startBesideNumbers(cols: number) {
  world = new TuiWorld();
  fs.writeFileSync(
    path.join(world.work, 'numbers.txt'),
    Array.from({ length: 300 }, (_, index) => `number ${index + 1}`).join('\n'),
  );
  const tui = world.start([], { cols, rows: 20 });
  await tui.waitFor('● ready');
  tui.type(`echo before${keys.enter}`);
  await tui.waitFor(/before\n✓ 0/);
  return tui;
}

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

describe('full-screen programs', () => {
  test('less takes the whole terminal; after q the transcript is intact and shows none of it', async () => {
    const tui = await startBesideNumbers(80);
    tui.type(`less numbers.txt${keys.enter}`);
    await vi.waitFor(
      () => {
        expect(tui.terminal.buffer.active.type).toBe('alternate');
        expect(tui.screen()[0]).toBe('number 1');
      },
      { timeout: 15_000 },
    );
    tui.type(' ');
    await vi.waitFor(() => expect(tui.screen()[0]).toBe('number 20'));
    tui.type('q');
    await vi.waitFor(() => expect(tui.terminal.buffer.active.type).toBe('normal'), {
      timeout: 10_000,
    });
    await tui.waitFor(/\$ less numbers\.txt\n✓ 0[^\n]*\nlifeline · /);
    const lines = tui.lines();
    expect(lines.filter((line) => line.startsWith('number '))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('lifeline · '))).toHaveLength(1);
    expect(lines.slice(0, 3)).toEqual(['$ echo before', 'before', expect.stringMatching(/^✓ 0/)]);
  });

  test('less made narrower while it runs: after q its command and its result line are together, no empty row between', async () => {
    const tui = await startBesideNumbers(100);
    // A first line of 95 columns: one row at 100 columns, two at 80 once less draws it again.
    fs.writeFileSync(path.join(world.work, 'wide.txt'), `${'w'.repeat(92)}end\nnext line\n`);
    tui.type(`less wide.txt${keys.enter}`);
    await vi.waitFor(() => expect(tui.screen()[1]).toBe('next line'), { timeout: 15_000 });
    tui.resize(80, 20);
    // less draws itself again at the new width (its status line at the bottom) before q comes.
    await vi.waitFor(
      () => {
        expect(tui.screen()[1]).toBe(`${'w'.repeat(12)}end`);
        expect(tui.screen().at(-1)).toMatch(/^:|\(END\)/);
      },
      { timeout: 10_000 },
    );
    tui.type('q');
    await vi.waitFor(() => expect(tui.terminal.buffer.active.type).toBe('normal'), {
      timeout: 10_000,
    });
    await tui.waitFor(/✓ 0[^\n]*\nlifeline · /);
    const lines = tui.lines();
    const command = lines.indexOf('$ less wide.txt');
    expect(lines.slice(command, command + 2)).toEqual([
      '$ less wide.txt',
      expect.stringMatching(/^✓ 0/),
    ]);
  });

  test('vim draws a long file from its first line to the bottom row, as in a terminal of its own', async () => {
    world = new TuiWorld();
    // The program starts in the rows above the TUI's lines, and gets the whole terminal as it
    // switches to the alternate screen: drawn for the new size, nothing of the old one is left.
    const { tui } = await startVimOnLongFile(world);
    tui.type(`:q${keys.enter}`);
    await tui.waitFor(/\$ vim -u NONE -N long\.txt\n✓ 0/);
  });

  test('a full-screen program that missed its terminal growing as it took the alternate screen (vim at start-up) is made to redraw at the full size', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 80, rows: 20 });
    await tui.waitFor('● ready');
    tui.type(`python3 ${missedResize}${keys.enter}`);
    // It draws for the 18 rows it started with, then is made to draw for all 20.
    await tui.waitFor('bottom of 20 rows (cols 80)');
    const screen = tui.screen();
    expect(screen[19]).toBe('bottom of 20 rows (cols 80)');
    expect(screen[0]).toBe('row 1 of 20');
    tui.type('q');
    await tui.waitFor(/✓ 0 · /);
  });

  test('a pager right after long output leaves that output in the transcript once, in order', async () => {
    world = new TuiWorld();
    fs.writeFileSync(path.join(world.work, 'short.txt'), 'a short file\n');
    const tui = world.start([], { cols: 80, rows: 20 });
    await tui.waitFor('● ready');
    tui.type(`seq 1 100; less short.txt${keys.enter}`);
    await vi.waitFor(() => expect(tui.terminal.buffer.active.type).toBe('alternate'), {
      timeout: 15_000,
    });
    tui.type('q');
    await tui.waitFor(/\$ seq 1 100; less short\.txt\n[^]*✓ 0/);
    const numbers = tui.lines().filter((line) => /^\d+$/.test(line));
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 1)));
  });

  test('vim opens, edits and quits, and the prompt comes back', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 80, rows: 20 });
    await tui.waitFor('● ready');
    tui.type(`vim -u NONE -N notes.txt${keys.enter}`);
    await vi.waitFor(() => expect(tui.terminal.buffer.active.type).toBe('alternate'), {
      timeout: 15_000,
    });
    tui.type('ihello from vim');
    tui.type(keys.escape);
    tui.type(`:wq${keys.enter}`);
    await tui.waitFor(/\$ vim -u NONE -N notes\.txt\n✓ 0/);
    expect(tui.terminal.buffer.active.type).toBe('normal');
    expect(fs.readFileSync(path.join(world.work, 'notes.txt'), 'utf8')).toBe('hello from vim\n');
    tui.type(`echo still here${keys.enter}`);
    await tui.waitFor(/still here\n✓ 0/);
  });
});

test('arrow keys reach a program as a terminal sends them in the cursor keys mode it asked for', async () => {
  world = new TuiWorld();
  const tui = world.start();
  await tui.waitFor('● ready');
  // As zsh's line editor, readline's keypad setting and full-screen programs ask: `ESC O A` for Up.
  tui.type(`printf '\\e[?1h'; echo app-mode; cat -v${keys.enter}`);
  await tui.waitFor(/^app-mode$/m);
  tui.type(`${keys.up}\x1b[D\x1b[1;5C${keys.enter}`);
  await tui.waitFor(/^\^\[OA\^\[OD\^\[\[1;5C$/m);
  tui.type(keys.ctrlD);
  await tui.waitFor(/✓ 0 · /);
  // And normal ones again once it asks for them.
  tui.type(`printf '\\e[?1l'; echo normal-mode; cat -v${keys.enter}`);
  await tui.waitFor(/^normal-mode$/m);
  tui.type(`${keys.up}${keys.enter}`);
  await tui.waitFor(/^\^\[\[A$/m);
  tui.type(keys.ctrlD);
  // The terminal's echo of the line, then what cat read.
  await tui.waitFor(/normal-mode\n\^\[\[A\n\^\[\[A\n✓ 0 · /);
});

describe('attach', () => {
  const attached = () =>
    vi.waitFor(
      () =>
        expect(fs.readFileSync(path.join(world.stateDir, 'logs', 'crash.log'), 'utf8')).toMatch(
          /passthrough\.enter.*mode=attached/,
        ),
      { timeout: 10_000 },
    );

  test('Ctrl+] twice hands the whole terminal to the running program: its keys, Ctrl+C included, go to it raw', async () => {
    const tui = await startPasteProbe();
    tui.type(`${keys.ctrlBracket}${keys.ctrlBracket}`);
    await attached();
    // The program's output reaches the terminal once the TUI has drawn its empty frame.
    await vi.waitFor(() => expect(tui.text()).not.toContain('lifeline · '), { timeout: 10_000 });
    tui.type(`${keys.ctrlC}END`);
    await tui.waitFor(/RECEIVED [0-9a-f]+/);
    expect(/RECEIVED ([0-9a-f]+)/.exec(tui.text())?.[1]).toBe(
      Buffer.from('\x03END', 'latin1').toString('hex'),
    );
    // The program ended: the TUI has the terminal back and prints the run's result, once, under
    // what the program drew (which it does not print again).
    await tui.waitFor(/RECEIVED [0-9a-f]+\n✓ 0/);
    tui.type(`echo back${keys.enter}`);
    await tui.waitFor(/back\n✓ 0/);
    const lines = tui.lines();
    expect(lines.filter((line) => line.startsWith('RECEIVED '))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('✓ '))).toHaveLength(2);
  });

  test('Ctrl+] while a program waits at its prompt: the prompt stays in view, right under the transcript', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 80, rows: 24 });
    await tui.waitFor('● ready');
    const command = `echo one; read -p 'name: ' x; echo "hi $x"`;
    tui.type(`${command}${keys.enter}`);
    // The unfinished line is shown under the transcript while the program waits.
    await tui.waitFor(/^one\nname:\s*$/m);
    tui.type(`${keys.ctrlBracket}${keys.ctrlBracket}`);
    await attached();
    await vi.waitFor(() => expect(tui.text()).not.toContain('lifeline · '), { timeout: 10_000 });
    // The program has the terminal: its prompt is where it was, no blank line above it.
    await vi.waitFor(() =>
      expect(tui.lines().slice(-3)).toEqual([`$ ${command}`, 'one', 'name: ']),
    );
    tui.type('bob');
    await vi.waitFor(() => expect(tui.lines().at(-1)).toBe('name: bob'));
    tui.type(keys.enter);
    await tui.waitFor(/hi bob\n✓ 0/);
    expect(tui.lines().slice(0, 5)).toEqual([
      `$ ${command}`,
      'one',
      'name: bob',
      'hi bob',
      expect.stringMatching(/^✓ 0 · /),
    ]);
  });

  test('Ctrl+] while attached takes the terminal back as the program runs on: what it showed is there once, its unfinished line too', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 80, rows: 24 });
    await tui.waitFor('● ready');
    tui.type(`cat${keys.enter}`);
    await tui.waitFor('Ctrl+C interrupts');
    tui.type(`${keys.ctrlBracket}${keys.ctrlBracket}`);
    await attached();
    await vi.waitFor(() => expect(tui.text()).not.toContain('lifeline · '), { timeout: 10_000 });
    tui.type(`one${keys.enter}`);
    await tui.waitFor(/^one\none$/m);
    tui.type('part');
    await vi.waitFor(() => expect(tui.lines().at(-1)).toBe('part'));
    tui.type(keys.ctrlBracket);
    await tui.waitFor('Ctrl+C interrupts');
    tui.type(`ial${keys.enter}`);
    await tui.waitFor(/^partial\npartial$/m);
    tui.type(keys.ctrlD);
    await tui.waitFor(/^✓ 0 · /m);
    expect(tui.lines().slice(0, 6)).toEqual([
      '$ cat',
      'one',
      'one',
      'partial',
      'partial',
      expect.stringMatching(/^✓ 0 · /),
    ]);
  });

  test('Ctrl+] twice typed with the Enter that starts the command: the header once, no echo, the output under it', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 80, rows: 24 });
    await tui.waitFor('● ready');
    const command = `read -p 'name: ' x; echo "hi $x"`;
    tui.type(`${command}${keys.enter}${keys.ctrlBracket}${keys.ctrlBracket}`);
    await attached();
    await vi.waitFor(() => expect(tui.lines().at(-1)).toBe('name: '), { timeout: 10_000 });
    tui.type(`bob${keys.enter}`);
    await tui.waitFor(/hi bob\n✓ 0/);
    expect(tui.lines().slice(0, 4)).toEqual([
      `$ ${command}`,
      'name: bob',
      'hi bob',
      expect.stringMatching(/^✓ 0 · /),
    ]);
  });
});

test("Ctrl+] while a command runs opens Lifeline's command line: quit leaves the command running, and -c finds it so", async () => {
  world = new TuiWorld();
  const tui = world.start([], { cols: 100, rows: 24 });
  await tui.waitFor('● ready');
  await tui.startCommand('sleep 600');
  tui.type(keys.ctrlBracket);
  await tui.waitFor('Ctrl+] again gives it the terminal');
  tui.type(`quit${keys.enter}`);
  expect(await tui.exited).toBe(0);
  // The last frame says the command goes on; no spinner is left standing on the terminal.
  expect(tui.screen().join('\n')).toMatch(/^… sleep 600 · [\d.]+m?s so far · still running$/m);
  expect(tui.screen().join('\n')).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  // Nothing was typed into the command: it still runs, and the next TUI shows it running.
  const again = world.start(['-c'], { cols: 100, rows: 24 });
  await again.waitFor('Ctrl+C interrupts');
  await again.waitFor('$ sleep 600');
  again.type(keys.ctrlC);
  await again.waitFor(/✗ 130/);
  expect(again.text()).not.toContain('quit');
  again.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await again.exited).toBe(0);
});

test('once the shell exits, the line says so and what to do: a command starts a new shell in the session', async () => {
  world = new TuiWorld();
  const tui = world.start([], { cols: 100, rows: 24 });
  await tui.waitFor('● ready');
  tui.type(`exit${keys.enter}`);
  await tui.waitFor('the shell exited (code 0)');
  await tui.waitFor('the shell exited · a command starts a new one in this session · /quit leaves');
  // The header says it too: nothing is ready at a prompt.
  await tui.waitFor('● shell exited');
  expect(tui.screen().join('\n')).not.toContain('● ready');
  tui.type(`echo again${keys.enter}`);
  await tui.waitFor(/new shell in .*\n(.*\n)*again\n✓ 0 · /);
  expect(tui.screen().join('\n')).not.toContain('a command starts a new one');
  await tui.waitFor('● ready');
  expect(world.hostPids()).toHaveLength(1);
});

test('once the shell exits in a directory since removed, a command typed is not run in the home directory unannounced: it says so, and Enter again runs it there', async () => {
  world = new TuiWorld();
  // Wide enough for the message on one row.
  const tui = world.start([], { cols: 250, rows: 24 });
  await tui.waitFor('● ready');
  tui.type(`mkdir doomed && cd doomed${keys.enter}`);
  await tui.waitFor(/^✓ 0 · /m);
  tui.type(`exit${keys.enter}`);
  await tui.waitFor('the shell exited · a command starts a new one in this session');
  const doomed = path.join(world.work, 'doomed');
  fs.rmdirSync(doomed);
  tui.type(`touch made-here${keys.enter}`);
  await tui.waitFor(
    `${doomed} no longer exists, so the session's new shell would start in ${world.home}: "touch made-here" was not run; sent again, it runs there`,
  );
  expect(fs.existsSync(path.join(world.home, 'made-here'))).toBe(false);
  // The line is back, to send again (or change).
  await tui.waitFor(/› touch made-here/);
  tui.type(keys.enter);
  await tui.waitFor(new RegExp(`new shell in ${world.home}\\n(.*\\n)*✓ 0 · `));
  expect(fs.existsSync(path.join(world.home, 'made-here'))).toBe(true);
});

describe('paste', () => {
  test("a short paste lands in the shell's line as one piece; a long one asks first", async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(paste('echo pasted'));
    // On the shell's edit line, after its prompt (`bash-5.2# `).
    await tui.waitFor(/\S[#$] echo pasted *$/m);
    tui.type(keys.enter);
    await tui.waitFor(/pasted\n✓ 0/);

    const script = Array.from({ length: 6 }, (_, index) => `echo line${index + 1}`).join('\n');
    tui.type(paste(script));
    await tui.waitFor('paste 6 lines, 65 B into your shell? Enter pastes · Esc cancels');
    tui.type(keys.escape);
    await vi.waitFor(() => expect(tui.text()).not.toContain('Enter pastes'));
    expect(tui.text()).not.toMatch(/\S[#$] echo line1/);
    tui.type(paste(script));
    await tui.waitFor('Enter pastes');
    // Another key says which keys answer; answered, the paste takes that word away with it.
    tui.type('x');
    await tui.waitFor('a paste waits: Enter pastes it, Esc drops it');
    tui.type(keys.enter);
    await tui.waitFor(/\S[#$] echo line1/);
    await vi.waitFor(() => expect(tui.text()).not.toContain('a paste waits'), { timeout: 3000 });
    tui.type(keys.enter);
    await tui.waitFor(/line6\n✓ 0/);
    const lines = tui.lines();
    expect(lines.filter((line) => /^line\d$/.test(line))).toEqual([
      'line1',
      'line2',
      'line3',
      'line4',
      'line5',
      'line6',
    ]);
  });

  // Its start frame is cut (a frame holds 256 KiB): the run's header is the line's start and `…`.
  // Measured whole, that header held the TUI for minutes (string widths of long lines).
  test('a pasted line of 300,000 characters runs: its header shows its start and how much more, then its output and its status', async () => {
    world = new TuiWorld();
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(paste(`echo ${'y'.repeat(300_000)} | wc -c`));
    await tui.waitFor('Enter pastes');
    tui.type(keys.enter);
    await vi.waitFor(() => expect(tui.screen().join('\n')).not.toContain('Enter pastes'));
    tui.type(keys.enter);
    await tui.waitFor(/\n300001\n✓ 0 · /, 60_000);
    const lines = tui.lines();
    const header = lines.findIndex((line) => line.startsWith('$ echo yyy'));
    const output = lines.indexOf('300001');
    // A dozen rows or so, not the thousands the whole line would fill of the scrollback.
    expect(output - header).toBeGreaterThan(10);
    expect(output - header).toBeLessThan(16);
    // Rows joined again, without the blanks a row's end may have taken off.
    const more = /…([\d,]+)morecharactersrecorded—lifelinereplays_\w+showsthem$/.exec(
      lines.slice(header, output).join('').replaceAll(' ', ''),
    );
    expect(Number(more?.[1]?.replaceAll(',', ''))).toBeGreaterThan(250_000);
  });

  test.each(['/bin/bash', '/usr/bin/zsh'])(
    'a pasted heredoc (%s): its body is in the command, and only what cat prints is output',
    async (shell) => {
      world = new TuiWorld(shell);
      const tui = world.start();
      await tui.waitFor('● ready');
      tui.type(paste('cat <<EOF\nAAA\nBBB\nEOF'));
      await tui.waitFor(/EOF *$/m);
      tui.type(keys.enter);
      await tui.waitFor(/✓ 0 · /);
      const lines = tui.lines();
      const header = lines.indexOf('$ cat <<EOF');
      expect(header).toBeGreaterThanOrEqual(0);
      expect(
        lines.slice(
          header,
          lines.findIndex((line) => line.startsWith('✓ 0')),
        ),
      ).toEqual(['$ cat <<EOF', 'AAA', 'BBB', 'EOF', 'AAA', 'BBB']);
    },
  );

  // fish 3 draws its whole line again for each line pasted, from the line's first row: once the line
  // is taller than the screen, the screen's top stops the cursor on the way up, and each row fish
  // comes back down over scrolls one off (a terminal's scrollback gets them all: 74,000 for 300).
  test("a paste of 150 lines at fish's prompt: the transcript and `lifeline replay` hold the command and each line of its output once, none of fish's redraws of its line", async () => {
    const cli = new CliWorld('/usr/bin/fish');
    world = cli;
    const tui = world.start(['--name', 'pasted'], { cols: 100, rows: 30 });
    await tui.waitFor('● ready');
    const commands = Array.from({ length: 150 }, (_, index) => `echo pasted-${index + 1}`);
    const outputs = commands.map((command) => command.slice('echo '.length));
    tui.type(paste(commands.join('\n')));
    await tui.waitFor('Enter pastes');
    tui.type(keys.enter);
    // Pasted: the Enter that runs it goes after it.
    await vi.waitFor(() => expect(tui.screen().join('\n')).not.toContain('Enter pastes'));
    tui.type(keys.enter);
    await tui.waitFor(/\npasted-150\n✓ 0 · /, 60_000);
    const shown = tui.lines();
    expect(shown.filter((line) => /^pasted-\d+$/.test(line))).toEqual(outputs);
    expect(shown.filter((line) => / ?echo pasted-\d+$/.test(line))).toHaveLength(commands.length);
    // The command's lines, its output's and a few more: not a number that grows with its square.
    expect(shown.length).toBeLessThan(2 * commands.length + 40);
    const replay = await cli.run(['replay', 'pasted']);
    expect(replay.code).toBe(0);
    const printed = replay.stdout.trimEnd().split('\n');
    expect(printed.filter((line) => /^pasted-\d+$/.test(line))).toEqual(outputs);
    expect(printed.filter((line) => /echo pasted-\d+$/.test(line))).toEqual([
      `$ ${commands[0] ?? ''}`,
      ...commands.slice(1),
    ]);
    expect(printed.length).toBeLessThan(2 * commands.length + 10);
  }, 120_000);

  test("a paste holding an end marker cannot break out of the program's bracketed paste", async () => {
    const tui = await startPasteProbe();
    tui.type(`${paste('ab\x1b[201~rm -rf ~\r')}END`);
    await tui.waitFor(/RECEIVED [0-9a-f]+/);
    const hex = /RECEIVED ([0-9a-f]+)/.exec(tui.text())?.[1] ?? '';
    const received = Buffer.from(hex, 'hex').toString('latin1');
    expect(received).toBe('\x1b[200~abrm -rf ~\r\x1b[201~END');
  });
});

describe('floods', () => {
  test('a flood stays responsive, bounded in memory, and Ctrl+C stops it promptly', async () => {
    world = new TuiWorld();
    const tui = world.start([], { cols: 100, rows: 20 });
    await tui.waitFor('● ready');
    tui.type(`yes flood${keys.enter}`);
    await tui.waitFor('flood');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssMb =
      Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${tui.pid}/status`, 'utf8'))?.[1] ?? 0) /
      1024;
    expect(rssMb).toBeLessThan(250);
    tui.type(keys.ctrlC);
    await tui.waitFor(/✗ 130 SIGINT · /, 15_000);
    tui.type(`echo after${keys.enter}`);
    await tui.waitFor(/after\n✓ 0/);
  });
});
