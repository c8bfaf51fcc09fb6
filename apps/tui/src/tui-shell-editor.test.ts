// The shell's own line editor at the TUI's prompt, under a real PTY read through a headless xterm:
// completion, reverse search and pastes work as in the bare shell, every command it runs is a run,
// Lifeline's commands sit behind the Lifeline key, and keys typed while a session is attached
// arrive once, in order.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { keys, TuiWorld, type TuiProcess } from './test-utils/tui-harness.js';

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

/** The commands of the runs the transcript shows, in order. */
function runHeaders(tui: TuiProcess): string[] {
  return tui
    .lines()
    .filter((line) => line.startsWith('$ '))
    .map((line) => line.slice(2).trimEnd());
}

/** Waits until the transcript shows these runs' results, `count` of them in all. */
async function untilResults(tui: TuiProcess, count: number): Promise<void> {
  await vi.waitFor(
    () => {
      const results = tui.lines().filter((line) => /^[✓✗] \d+(?: SIG[A-Z0-9]+)? · /.test(line));
      if (results.length < count)
        throw new Error(`${results.length} of ${count} results:\n${tui.screen().join('\n')}`);
    },
    { timeout: 30_000, interval: 20 },
  );
}

/**
 * Waits until a row of the shell's edit line (under the header) ends with `text`, or the rows
 * together do (a line the terminal wrapped, wherever the prompt's length put the wrap).
 */
async function untilEditLine(tui: TuiProcess, text: string | RegExp): Promise<void> {
  await vi.waitFor(
    () => {
      const screen = tui.screen();
      const header = screen.findIndex((line) => line.startsWith('lifeline · '));
      const below = screen
        .slice(header + 1)
        .filter((line) => line.trim() !== '')
        .map((line) => line.trimEnd());
      const matches = [...below, below.join('')].some((line) =>
        typeof text === 'string' ? line.endsWith(text) : text.test(line),
      );
      if (!matches) throw new Error(`no edit line ${String(text)}:\n${screen.join('\n')}`);
    },
    { timeout: 20_000, interval: 20 },
  );
}

describe.each(['/bin/bash', '/usr/bin/zsh', '/usr/bin/fish'])('with %s', (shell) => {
  test("Tab completes a file name at the prompt, as the shell's own completion does, and the command is a run", async () => {
    world = new TuiWorld(shell);
    fs.writeFileSync(path.join(world.work, 'quarterly-report.txt'), 'the report body\n');
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type('cat quarterly-r');
    // fish suggests the rest of the line as it is typed: only the typed part is waited for.
    await untilEditLine(tui, /cat quarterly-r/);
    tui.type('\t');
    await untilEditLine(tui, /cat quarterly-report\.txt ?$/);
    tui.type(keys.enter);
    await tui.waitFor(/the report body\n✓ 0 · /);
    expect(runHeaders(tui)).toEqual(['cat quarterly-report.txt']);
  });

  test('what a background job prints at the prompt stays in the transcript once the next command runs', async () => {
    world = new TuiWorld(shell);
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`sh -c 'sleep 0.5; echo bg-two; echo bg-three' &${keys.enter}`);
    // Printed at the prompt, under it, as in a terminal.
    await tui.waitFor(/^bg-three$/m);
    tui.type(`echo next-one${keys.enter}`);
    await tui.waitFor(/next-one\n✓ 0 · /);
    // bg-two lands on the prompt's row. When the next line was typed before the shell drew its
    // prompt again under the job's end (fish), the prompt the line was typed at counts as given
    // up, and its row stays as the terminal shows it, prompt and all.
    const lines = tui.lines().map((line) => line.replace(/^.+[#$%>] (?=bg-two$)/, ''));
    const next = lines.findIndex((line) => line.startsWith('$ echo next-one'));
    expect(lines.slice(0, next)).toEqual(expect.arrayContaining(['bg-two', 'bg-three']));
    expect(lines.filter((line) => line === 'bg-two')).toHaveLength(1);
  });

  test('a line the shell cannot parse shows what the shell said of it, under its command, as a terminal does', async () => {
    world = new TuiWorld(shell);
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`echo )${keys.enter}`);
    if (shell.endsWith('fish')) {
      // fish keeps the line under its error, to be fixed, as it does without Lifeline.
      await tui.waitFor("Unexpected ')'");
      await untilEditLine(tui, /[#>$] echo \)$/);
      expect(tui.lines().some((line) => /^[✓✗] \d+(?: SIG[A-Z0-9]+)? · /.test(line))).toBe(false);
      tui.type(`\x7ffixed${keys.enter}`);
      await untilResults(tui, 1);
      expect(runHeaders(tui)).toEqual(['echo fixed']);
      const lines = tui.lines();
      const error = lines.findIndex((line) => line.includes("Unexpected ')'"));
      expect(error).toBeGreaterThanOrEqual(0);
      expect(error).toBeLessThan(lines.indexOf('$ echo fixed'));
      return;
    }
    await tui.waitFor(/^✗ \d+ · /m);
    const lines = tui.lines();
    const header = lines.findIndex((line) => line.startsWith('$ echo )'));
    const footer = lines.findIndex((line) => /^✗ \d+ · /.test(line));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines.slice(header + 1, footer).join('\n')).toMatch(
      /syntax error|parse error|Unexpected '\)'|unexpected/i,
    );
  });

  test('a line left with Ctrl+C the moment it is typed stays as typed, as in a terminal, and the next command runs', async () => {
    world = new TuiWorld(shell);
    const tui = world.start();
    await tui.waitFor('● ready');
    // The line and Ctrl+C arrive together (a fast typist, a slow moment of the machine): the key
    // must not reach the terminal before the shell has read the line, whose unread keys it drops.
    for (const round of [1, 2, 3]) {
      tui.type(`echo left-behind-${round}${keys.ctrlC}`);
      await vi.waitFor(
        () => {
          if (!tui.lines().some((line) => line.includes(`echo left-behind-${round}`)))
            throw new Error(`the line typed is gone:\n${tui.screen().join('\n')}`);
        },
        { timeout: 10_000, interval: 20 },
      );
    }
    tui.type(`echo next-one${keys.enter}`);
    await untilResults(tui, 1);
    expect(runHeaders(tui)).toEqual(['echo next-one']);
    expect(tui.lines()).toContain('next-one');
  });

  test('Ctrl+R finds an earlier command, and running it again is a run of its own', async () => {
    world = new TuiWorld(shell);
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`echo recall-me-7${keys.enter}`);
    await untilResults(tui, 1);
    tui.type(`echo other${keys.enter}`);
    await untilResults(tui, 2);
    // Typed once the shell has drawn its prompt again, as a user would.
    await untilEditLine(tui, /[$#>%] ?$/);
    tui.type('\x12');
    if (shell.endsWith('fish')) await untilEditLine(tui, /search|►|echo other/);
    tui.type('recall-me');
    // fish's history pager lists matches below the line, which shows the one selected.
    await untilEditLine(
      tui,
      shell.endsWith('fish') ? /[#>$] echo recall-me-7$/ : /echo recall-me-7/,
    );
    tui.type(keys.enter);
    if (shell.endsWith('fish')) {
      // fish's pager closes with the match in the line: a second Enter runs it.
      await vi.waitFor(() => expect(tui.screen().join('\n')).not.toContain('search:'));
      tui.type(keys.enter);
    }
    await untilResults(tui, 3);
    expect(runHeaders(tui)).toEqual(['echo recall-me-7', 'echo other', 'echo recall-me-7']);
    expect(tui.lines().filter((line) => line === 'recall-me-7')).toHaveLength(2);
  });

  test("a loop typed line by line continues at the shell's own continuation prompt, drawn below the transcript, and is one run with every line once", async () => {
    world = new TuiWorld(shell);
    const tui = world.start();
    await tui.waitFor('● ready');
    const fish = shell.endsWith('fish');
    const loop = fish
      ? ['for i in 1 2', 'echo looped-$i', 'end']
      : ['for i in 1 2; do', 'echo looped-$i', 'done'];
    /** The shell's rows below the header, blank ones left out. */
    const promptRows = () => {
      const screen = tui.screen();
      const header = screen.findIndex((line) => line.startsWith('lifeline · '));
      return screen.slice(header + 1).filter((line) => line.trim() !== '');
    };
    tui.type(`${loop[0]}${keys.enter}`);
    // bash and zsh ask for the next line with their own prompt, "> " and "for> ", under the first;
    // fish adds a line to its command line.
    await vi.waitFor(
      () => {
        const rows = promptRows();
        const first = rows.findIndex((line) => line.trimEnd().endsWith(loop[0]!));
        if (first === -1 || (!fish && !/^(for)?> ?$/.test(rows[first + 1]?.trimEnd() ?? '')))
          throw new Error(`no continuation prompt:\n${tui.screen().join('\n')}`);
      },
      { timeout: 20_000, interval: 20 },
    );
    tui.type(`${loop[1]}${keys.enter}`);
    await vi.waitFor(
      () => {
        const rows = promptRows();
        const first = rows.findIndex((line) => line.trimEnd().endsWith(loop[0]!));
        const second = rows.findIndex((line) => line.trimEnd().endsWith(loop[1]!));
        const next = rows[second + 1]?.trimEnd() ?? '';
        if (first === -1 || second !== first + 1 || (!fish && !/^(for)?> ?$/.test(next)))
          throw new Error(`no continuation prompt:\n${tui.screen().join('\n')}`);
      },
      { timeout: 20_000, interval: 20 },
    );
    tui.type(`${loop[2]}${keys.enter}`);
    await untilResults(tui, 1);
    const lines = tui.lines();
    const header = lines.findIndex((line) => line === `$ ${loop[0]}`);
    const footer = lines.findIndex((line) => /^✓ 0 · /.test(line));
    expect(header, lines.join('\n')).toBeGreaterThanOrEqual(0);
    // The header shows the command's lines once each; then the loop's output; no prompt is kept.
    expect(
      lines.slice(header, footer).map((line) => line.trim()),
      lines.join('\n'),
    ).toEqual([`$ ${loop[0]}`, loop[1], loop[2], 'looped-1', 'looped-2']);
    tui.type(`echo next-one${keys.enter}`);
    await untilResults(tui, 2);
    expect(runHeaders(tui)).toEqual([loop[0], 'echo next-one']);
  });

  // bash and zsh only: fish keeps a command's unfinished lines in its command line, which Ctrl+C
  // clears with no run, as it clears any half-typed line.
  if (!shell.endsWith('fish'))
    test('Ctrl+C at the continuation prompt cancels the command: its lines so far end with 130, and the next command runs', async () => {
      world = new TuiWorld(shell);
      const tui = world.start();
      await tui.waitFor('● ready');
      tui.type(`for i in 1 2; do${keys.enter}`);
      await untilEditLine(tui, /^(for)?> ?$/);
      tui.type(`echo never-$i${keys.enter}`);
      await vi.waitFor(
        () => {
          const screen = tui.screen();
          const header = screen.findIndex((line) => line.startsWith('lifeline · '));
          const rows = screen.slice(header + 1).filter((line) => line.trim() !== '');
          if (!/^(for)?> ?$/.test(rows.at(-1)?.trimEnd() ?? '') || rows.length < 3)
            throw new Error(`no continuation prompt:\n${screen.join('\n')}`);
        },
        { timeout: 20_000, interval: 20 },
      );
      // Under load bash and zsh may act on a Ctrl+C typed at their prompt only once the next key
      // comes, as a person would press it again: a second one at the fresh prompt starts nothing.
      for (let attempt = 1; ; attempt++) {
        tui.type('\x03');
        const cancelled = await tui.waitFor(/^✗ 130 SIGINT · /m, 2000).then(
          () => true,
          () => false,
        );
        if (cancelled) break;
        if (attempt === 5) throw new Error(`the shell never acted on Ctrl+C:\n${tui.text()}`);
      }
      tui.type(`echo next-one${keys.enter}`);
      await untilResults(tui, 2);
      const lines = tui.lines();
      expect(runHeaders(tui)).toEqual(['for i in 1 2; do', 'echo next-one']);
      // The lines typed, once each, then the continuation prompt Ctrl+C was typed at, as a
      // terminal keeps it (bash shows ^C there); nothing of the loop ran.
      const header = lines.indexOf('$ for i in 1 2; do');
      const footer = lines.findIndex((line) => /^✗ 130 SIGINT · /.test(line));
      expect(lines.slice(header + 1, footer), lines.join('\n')).toEqual([
        'echo never-$i',
        expect.stringMatching(/^(for)?> ?(\^C)?$/),
      ]);
      expect(lines).not.toContain('never-1');
    });

  test('three lines pasted unbracketed in one write are three runs, in order, each with its own output', async () => {
    world = new TuiWorld(shell);
    const tui = world.start();
    await tui.waitFor('● ready');
    tui.type(`echo np1${keys.enter}echo np2${keys.enter}echo np3${keys.enter}`);
    await untilResults(tui, 3);
    expect(runHeaders(tui)).toEqual(['echo np1', 'echo np2', 'echo np3']);
    const lines = tui.lines();
    for (const name of ['np1', 'np2', 'np3']) {
      const header = lines.indexOf(`$ echo ${name}`);
      expect(lines.slice(header + 1, header + 3)).toEqual([name, expect.stringMatching(/^✓ 0 · /)]);
    }
  });
});

// bash 5.2 read the key Lifeline types after Ctrl+C before it acted on the interrupt, and that key's
// binding cleared only the first row of the line being thrown away: the new prompt came on its
// second row, over the old tail, with the third row (`yyy…^C`) under it, where the next command's
// output then began.
test('bash: Ctrl+C on a line of three rows leaves it as drawn above a fresh prompt, and the next command shows only its own output', async () => {
  world = new TuiWorld('/bin/bash');
  const tui = world.start([], { cols: 120, rows: 30 });
  await tui.waitFor('● ready');
  for (let round = 0; round < 3; round++) {
    tui.type(`echo ${'y'.repeat(300)}${round}`);
    await untilEditLine(tui, `y${round}`);
    tui.type(keys.ctrlC);
    // The new prompt holds only what is typed at it.
    tui.type(`echo next-${round}`);
    await untilEditLine(tui, new RegExp(`[$#] echo next-${round}$`));
    tui.type(keys.enter);
    await untilResults(tui, round + 1);
    const lines = tui.lines();
    const header = lines.indexOf(`$ echo next-${round}`);
    expect(lines.slice(header, header + 3), lines.join('\n')).toEqual([
      `$ echo next-${round}`,
      `next-${round}`,
      expect.stringMatching(/^✓ 0 · /),
    ]);
  }
  expect(runHeaders(tui)).toEqual(['echo next-0', 'echo next-1', 'echo next-2']);
});

test("bash: a completion list that scrolled off stays in the transcript once, above the run, with its question, as in a terminal's scrollback", async () => {
  world = new TuiWorld('/bin/bash');
  // More names than bash lists without asking, and more rows of them than the screen has.
  for (let index = 0; index < 400; index++)
    fs.writeFileSync(path.join(world.work, `item-${String(index).padStart(3, '0')}`), '');
  const tui = world.start([], { cols: 100, rows: 30 });
  await tui.waitFor('● ready');
  tui.type('ls item-');
  await untilEditLine(tui, 'ls item-');
  tui.type('\t\t');
  await untilEditLine(tui, 'Display all 400 possibilities? (y or n)');
  tui.type('y');
  // bash pages a list longer than the screen: Space shows the next page, until the prompt is back.
  // One Space per page: a second one typed before bash drew the next page would reach the prompt.
  // A page is known by the row above its `--More--`: the rest of the screen (the header, and rows
  // the TUI moves into the scrollback after bash drew them) changes by itself.
  let pagedFrom = '';
  await vi.waitFor(
    () => {
      const rows = tui
        .screen()
        .map((line) => line.trimEnd())
        .filter((line) => line !== '');
      const page = rows.at(-2) ?? '';
      if (rows.at(-1)?.endsWith('--More--') === true && page !== pagedFrom) {
        pagedFrom = page;
        tui.type(' ');
      }
      if (!/[$#] ls item-$/.test(rows.at(-1) ?? ''))
        throw new Error(`the prompt is not back:\n${rows.join('\n')}`);
    },
    { timeout: 20_000, interval: 200 },
  );
  // The list went to the transcript as the prompt came back under it: Lifeline's header is right
  // above the line being edited, not above the list's last page.
  const screen = tui.screen().map((line) => line.trimEnd());
  const editLine = screen.findLastIndex((line) => /[$#] ls item-$/.test(line));
  expect(screen[editLine - 1], screen.join('\n')).toMatch(/^lifeline · /);
  expect(screen.filter((line) => line.startsWith('lifeline · '))).toHaveLength(1);
  tui.type(`042${keys.enter}`);
  await untilResults(tui, 1);
  const lines = tui.lines();
  const header = lines.indexOf('$ ls item-042');
  expect(lines.slice(header + 1, header + 3), lines.join('\n')).toEqual([
    'item-042',
    expect.stringMatching(/^✓ 0 · /),
  ]);
  const listed = (name: string) =>
    lines.flatMap((line, index) => (line.split(/\s+/).includes(name) ? [index] : []));
  // The question, the first name and the last, once each, above the run.
  for (const rows of [
    lines.flatMap((line, index) =>
      line === 'Display all 400 possibilities? (y or n)' ? [index] : [],
    ),
    listed('item-000'),
    listed('item-399'),
  ]) {
    expect(rows, lines.join('\n')).toHaveLength(1);
    expect(rows[0]).toBeLessThan(header);
  }
  // The command line itself is the run's header only.
  expect(lines.filter((line) => line.endsWith('ls item-042'))).toEqual(['$ ls item-042']);
});

describe('the Lifeline key', () => {
  test("opens Lifeline's command line; a slash and Ctrl+C typed at the prompt are the shell's; pressed twice it is Ctrl+] for the shell", async () => {
    world = new TuiWorld('/bin/bash');
    const tui = world.start();
    await tui.waitFor('● ready');
    // A slash at the start of the line is a path for the shell, not a Lifeline command.
    tui.type(`/bin/echo slash-kept${keys.enter}`);
    await tui.waitFor(/slash-kept\n✓ 0 · /);
    // Ctrl+C clears the shell's line (bash draws ^C and a new prompt); Lifeline does not quit.
    // (Typed as a person does: the line shows before the key comes.)
    tui.type('echo never-run');
    await untilEditLine(tui, /echo never-run$/);
    tui.type(keys.ctrlC);
    // The line left stays above, as a terminal keeps it; the header is over the new prompt.
    await tui.waitFor(/echo never-run\^C\nlifeline · /);
    // bash's own binding of Ctrl+]: search the line for the next key typed.
    tui.type(`echo ab-cd\x01${keys.ctrlBracket}${keys.ctrlBracket}-X${keys.enter}`);
    await tui.waitFor(/abX-cd\n✓ 0 · /);
    // The command line opens with its slash: one typed as well is that one.
    tui.type(keys.ctrlBracket);
    await tui.waitFor('lifeline › /');
    tui.type('/hel');
    await tui.waitFor(/lifeline › \/hel\s*$/m);
    tui.type(`p${keys.enter}`);
    await tui.waitFor("Ctrl+]: open Lifeline's command line".replace("'", '’'));
    expect(tui.text()).toContain('  /quit ');
    // Esc closes the command line: what is typed next is the shell's again.
    tui.type(keys.ctrlBracket);
    await tui.waitFor('lifeline › /');
    tui.type(keys.escape);
    await vi.waitFor(() => expect(tui.screen().join('\n')).not.toContain('lifeline › /'));
    tui.type(`echo after-escape${keys.enter}`);
    await tui.waitFor(/after-escape\n✓ 0 · /);
    expect(runHeaders(tui)).toEqual(['/bin/echo slash-kept', 'echo abX-cd', 'echo after-escape']);
    expect(tui.text()).not.toContain('never-run\n');
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
    // Quitting leaves the session running.
    expect(world.hostPids()).toHaveLength(1);
  });
});

describe('keys typed while a session is attached', () => {
  test.each([['-c'], ['--resume']])(
    'lifeline %s with a long log: keys typed before it is shown arrive once, in order, in the shell',
    async (flag) => {
      world = new TuiWorld('/bin/bash');
      const first = world.start();
      await first.waitFor('● ready');
      // A long log: its history takes a while to be shown again.
      first.type(`seq 1 150000${keys.enter}`);
      await first.waitFor(/150000\n✓ 0 · /, 60_000);
      const sid = /s_[0-9a-z]+/.exec(
        fs.readdirSync(path.join(world.stateDir, 'sessions')).join(' '),
      )?.[0];
      if (!sid) throw new Error('no session');
      first.type(`${keys.ctrlBracket}quit${keys.enter}`);
      expect(await first.exited).toBe(0);

      const again = world.start(flag === '-c' ? ['-c'] : ['--resume', sid]);
      // Typed at once, while the TUI starts, attaches and shows the history: held until then.
      again.type(`echo early-1${keys.enter}`);
      again.type('echo EARLY');
      await again.waitFor('lifeline · ');
      again.type(`-2${keys.enter}`);
      await again.waitFor('● ready');
      again.type(`echo late-3${keys.enter}`);
      await again.waitFor(/late-3\n✓ 0 · /, 30_000);
      // (The long run's header may have left the terminal's scrollback.)
      expect(runHeaders(again).filter((command) => command !== 'seq 1 150000')).toEqual([
        'echo early-1',
        'echo EARLY-2',
        'echo late-3',
      ]);
      expect(again.text()).not.toMatch(/command not found|EARLYecho/);
    },
    120_000,
  );
});

test("a background job's lines printed while a slow PROMPT_COMMAND runs stay in the transcript and the replay, once each", async () => {
  world = new TuiWorld('/bin/bash');
  // The prompt comes 0.4 s after the command ends; the job prints in between.
  fs.writeFileSync(path.join(world.home, '.bashrc'), "PROMPT_COMMAND='sleep 0.4'\nPS1='slow$ '\n");
  const tui = world.start([], { cols: 80, rows: 24 });
  await tui.waitFor('● ready');
  await untilEditLine(tui, /^slow\$$/);
  tui.type(`(sleep 0.1; seq 1 60 | sed 's/^/L/') &${keys.enter}`);
  await untilResults(tui, 1);
  await untilEditLine(tui, /^slow\$$/);
  tui.type(`echo next-one${keys.enter}`);
  await tui.waitFor(/next-one\n✓ 0 · /);
  const expected = Array.from({ length: 60 }, (_, index) => `L${index + 1}`);
  const jobLines = (lines: string[]) => lines.filter((line) => /^L\d+$/.test(line.trim()));
  expect(jobLines(tui.lines())).toEqual(expected);
  tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await tui.exited).toBe(0);
  const sid = /--resume (s_\w+)/.exec(tui.lines().join('\n'))?.[1];
  expect(sid).toBeDefined();
  const replay = world.start(['replay', sid ?? ''], { cols: 80, rows: 24 });
  expect(await replay.exited).toBe(0);
  expect(jobLines(replay.lines())).toEqual(expected);
});

test.each([
  ['on one row', String.raw`[$?] \W\$ `],
  ['on two rows', String.raw`[$?] \W\n\$ `],
])(
  'a prompt that begins with the last status in brackets, as a job report does, %s: left out of the transcript, a report is not',
  async (_, ps1) => {
    world = new TuiWorld('/bin/bash');
    fs.writeFileSync(path.join(world.home, '.bashrc'), `PS1='${ps1}'\n`);
    const tui = world.start([], { cols: 80, rows: 24 });
    await tui.waitFor('● ready');
    await untilEditLine(tui, /[#$]$/);
    tui.type(`sleep 0.2 &${keys.enter}`);
    await untilResults(tui, 1);
    tui.type(`false${keys.enter}`);
    await untilResults(tui, 2);
    tui.type(`sleep 0.5; echo done-$((1+1))${keys.enter}`);
    await tui.waitFor(/done-2\n✓ 0 · /);
    // Above the prompt now shown: the job's reports, none of the prompts.
    const shown = tui.lines();
    const reports = shown.slice(
      0,
      shown.findLastIndex((line) => line.startsWith('lifeline · ')),
    );
    expect(reports.filter((line) => /^\[\d+\]/.test(line.trim()))).toEqual([
      expect.stringMatching(/^\[1\] \d+$/),
      expect.stringMatching(/^\[1\]\+ +Done +sleep 0\.2$/),
    ]);
  },
);

test('Enter on an empty line and Ctrl+C at a prompt of two rows leave those prompts whole above the next command, as a terminal does; the one it is typed at is its header', async () => {
  world = new TuiWorld('/bin/bash');
  fs.writeFileSync(path.join(world.home, '.bashrc'), String.raw`PS1='top-\W\n\$ '` + '\n');
  const tui = world.start([], { cols: 80, rows: 24 });
  await tui.waitFor('● ready');
  /**
   * Waits until the screen shows `count` prompts: those left above the header, as a terminal
   * keeps them, and the one under it, where the line is edited.
   */
  const untilPrompts = (count: number) =>
    vi.waitFor(
      () => {
        const screen = tui.screen();
        const header = screen.findIndex((line) => line.startsWith('lifeline · '));
        const prompts = screen.filter((line) => line.startsWith('top-')).length;
        if (prompts !== count || screen[header + 1]?.startsWith('top-') !== true)
          throw new Error(`${prompts} prompts:\n${screen.join('\n')}`);
      },
      { timeout: 20_000, interval: 20 },
    );
  await untilPrompts(1);
  tui.type(keys.enter);
  await untilPrompts(2);
  tui.type('echo given-up');
  await untilEditLine(tui, /echo given-up$/);
  tui.type(keys.ctrlC);
  await untilPrompts(3);
  tui.type(`echo two${keys.enter}`);
  await tui.waitFor(/two\n✓ 0 · /);
  const shown = tui.lines().map((line) => line.trimEnd());
  const header = shown.indexOf('$ echo two');
  expect(shown.slice(header - 4, header + 1), shown.join('\n')).toEqual([
    expect.stringMatching(/^top-\S+$/),
    expect.stringMatching(/^[#$]$/),
    expect.stringMatching(/^top-\S+$/),
    expect.stringMatching(/^[#$] echo given-up\^C$/),
    '$ echo two',
  ]);
});

test("a background job's lines printed at once, from the prompt's row on, stay in the transcript and the replay, once each", async () => {
  world = new TuiWorld('/bin/bash');
  fs.writeFileSync(path.join(world.home, '.bashrc'), "PS1='fast$ '\n");
  const tui = world.start([], { cols: 80, rows: 24 });
  await tui.waitFor('● ready');
  await untilEditLine(tui, /^fast\$$/);
  tui.type(`(for i in $(seq 1 100); do echo L$i; done) &${keys.enter}`);
  await untilResults(tui, 1);
  await tui.waitFor(/^L100$/m);
  const expected = Array.from({ length: 100 }, (_, index) => `L${index + 1}`);
  // A line may follow the prompt on its row, as in a terminal (`fast$ L1`).
  const jobLines = (lines: string[]) =>
    lines.flatMap((line) => /(?:^|\$ )(L\d+)$/.exec(line.trim())?.[1] ?? []);
  const replayed = async () => {
    const [sid] = fs.readdirSync(path.join(world.stateDir, 'sessions'));
    const replay = world.start(['replay', sid ?? ''], { cols: 80, rows: 24 });
    expect(await replay.exited).toBe(0);
    return jobLines(replay.lines());
  };
  // Replayed while the shell still waits at the prompt under them, they are its last lines.
  expect(await replayed()).toEqual(expected);
  tui.type(`echo next-one${keys.enter}`);
  await tui.waitFor(/next-one\n✓ 0 · /);
  expect(jobLines(tui.lines())).toEqual(expected);
  expect(await replayed()).toEqual(expected);
});
