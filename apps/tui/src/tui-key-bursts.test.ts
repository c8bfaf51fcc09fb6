// Several keys written to the terminal at once (a held key, a terminal that batches keys, a fast
// typist on a busy machine) count as the same keys pressed one by one: each is routed by the state
// the keys before it left. Under a real PTY read through a headless xterm, with real bash.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';
import { keys, TuiWorld } from './test-utils/tui-harness.js';

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;

test("Lifeline's command line: ↑↑ in one write recalls the command before the last", async () => {
  world = new TuiWorld();
  const tui = world.start([], { cols: 120, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`echo one${keys.enter}`);
  await tui.waitFor(/\none\n✓ 0 · /);
  tui.type(`echo two${keys.enter}`);
  await tui.waitFor(/\ntwo\n✓ 0 · /);
  tui.type(keys.ctrlBracket);
  await tui.waitFor('Enter runs · Esc closes');
  tui.type(`${keys.up}${keys.up}`);
  await tui.waitFor(/› echo one\s*$/m);
});

test('a long paste: Enter with the keys after it in one write, or with the paste itself, answers as it would a moment later', async () => {
  world = new TuiWorld();
  const tui = world.start([], { cols: 120, rows: 30 });
  await tui.waitFor('● ready');
  const script = (word: string) =>
    Array.from({ length: 6 }, (_, index) => `echo ${word}${index + 1}`).join('\n');
  tui.type(paste(script('asked')));
  await tui.waitFor('Enter pastes');
  // The first Enter pastes; the second, in the same write, runs what was pasted.
  tui.type(`${keys.enter}${keys.enter}`);
  await tui.waitFor(/asked6\n✓ 0/);
  expect(tui.text()).not.toContain('a paste waits');

  tui.type(`${paste(script('burst'))}${keys.enter}`);
  // Pasted into the shell's line, not left waiting behind an Enter that went ahead of it.
  await tui.waitFor(/\S[#$] echo burst1/);
  expect(tui.screen().join('\n')).not.toContain('Enter pastes');
  tui.type(keys.enter);
  await tui.waitFor(/burst6\n✓ 0/);
});

test('Ctrl+C in one write with a line typed for the running program reaches it after that line, which never reaches the shell', async () => {
  world = new TuiWorld();
  const tui = world.start([], { cols: 120, rows: 30 });
  await tui.waitFor('● ready');
  await tui.startCommand('cat');
  // More keys than the TUI writes at once before it waits for answers: the rest wait to go.
  tui.type(`echo typed-for-cat-${'x'.repeat(24)}${keys.enter}${keys.ctrlC}`);
  await tui.waitFor(/✗ 130 SIGINT · /);
  tui.type(`echo after${keys.enter}`);
  await tui.waitFor(/\nafter\n✓ 0 · /);
  const transcript = tui.text();
  expect(transcript).not.toContain('command not found');
  // The next run after the interrupted `cat` is the one typed at the prompt.
  expect(transcript).toMatch(/✗ 130 SIGINT · [^\n]*\n(?:[^\n]*\n)*?\$ echo after\n/);
  expect(transcript.slice(transcript.indexOf('✗ 130'))).not.toContain('typed-for-cat');
});

// The terminal echoes what a program in line mode reads, as it reads it, and keeps an echo it
// cannot hand on in a small ring that overwrites its oldest: a paste written to it at once (the
// kernel takes 64 KiB of keys) showed a third of its lines, some spliced, while `cat` got them all.
test('a paste of 5,000 lines into a running `cat`: it gets every line, and the transcript and `lifeline replay` show each once, in order', async () => {
  const cli = new CliWorld();
  world = cli;
  const tui = world.start(['--name', 'pasted'], { cols: 120, rows: 35 });
  await tui.waitFor('● ready');
  const received = path.join(world.work, 'received.txt');
  await tui.startCommand(`cat > ${received}`);
  const lines = Array.from(
    { length: 5000 },
    (_, index) => `paste line ${index + 1} with some text to make it longer`,
  );
  tui.type(paste(`${lines.join('\n')}\n`));
  await tui.waitFor('Enter pastes');
  tui.type(keys.enter);
  await vi.waitFor(
    () => {
      expect(fs.readFileSync(received, 'utf8').split('\n').length).toBeGreaterThan(5000);
    },
    { timeout: 60_000, interval: 100 },
  );
  tui.type(keys.ctrlD);
  await tui.waitFor(/✓ 0 · /, 30_000);
  expect(fs.readFileSync(received, 'utf8')).toBe(`${lines.join('\n')}\n`);
  const replay = await cli.run(['replay', 'pasted']);
  expect(replay.code).toBe(0);
  expect(replay.stdout.split('\n').filter((line) => line.startsWith('paste line '))).toEqual(lines);
}, 120_000);
