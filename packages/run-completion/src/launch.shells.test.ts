// Real shells under node-pty, started the way a session host starts them: createShellLaunch() +
// writeShellLaunchFiles(), a temporary HOME holding the user's own rc file, a minimal environment.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ShellSession, type ShellSessionOptions, which } from './__fixtures__/shell-session.js';
import type { CompletionMode } from './mode.js';

interface ShellCase {
  name: string;
  mode: CompletionMode;
  /** The user's rc file (relative to HOME) and the environment that makes the shell read it. */
  rcFile: string;
  rcContents: string;
  env?: Record<string, string>;
  /** More files in HOME (relative path → contents). */
  otherHomeFiles?: Record<string, string>;
  /** Prints the history of this session. */
  historyCommand?: string;
  /** An rc line that turns on tracing of every command. */
  traceOn: string;
}

const posixRc = (file: string) => `PS1='$ '\nrc_marker=loaded-from-${file}\n`;

const shells: ShellCase[] = [
  {
    name: 'bash',
    mode: 'prompt-hook',
    rcFile: '.bashrc',
    rcContents: posixRc('bashrc'),
    historyCommand: 'history',
    traceOn: 'set -xv',
  },
  {
    name: 'zsh',
    mode: 'prompt-hook',
    rcFile: '.zshrc',
    rcContents: `${posixRc('zshrc')}HISTSIZE=100\n`,
    historyCommand: 'fc -ln 1',
    traceOn: 'setopt xtrace verbose',
  },
  {
    name: 'fish',
    mode: 'prompt-hook',
    rcFile: '.config/fish/config.fish',
    rcContents: [
      "set -g fish_greeting ''",
      'set -g rc_marker loaded-from-config.fish',
      "function fish_prompt; printf '$ '; end",
      '',
    ].join('\n'),
    historyCommand: 'history | cat',
    traceOn: 'set -g fish_trace 1',
    // Without it, fish's first start in a fresh HOME scans every man page in the background (a
    // python process busy for seconds), slowing the tests that run beside it.
    otherHomeFiles: { '.local/share/fish/generated_completions/.keep': '' },
  },
  // The user's own ENV, unexpanded as a user would set it: the integration expands it like sh.
  {
    name: 'dash',
    mode: 'postamble',
    rcFile: '.shrc',
    rcContents: posixRc('shrc'),
    env: { ENV: '$HOME/.shrc' },
    traceOn: 'set -xv',
  },
  {
    name: 'busybox',
    mode: 'postamble',
    rcFile: '.shrc',
    rcContents: posixRc('shrc'),
    env: { ENV: '$HOME/.shrc' },
    traceOn: 'set -xv',
  },
  {
    name: 'mksh',
    mode: 'postamble',
    rcFile: '.shrc',
    rcContents: posixRc('shrc'),
    env: { ENV: '$HOME/.shrc' },
    traceOn: 'set -xv',
  },
  // ksh93 reads ~/.kshrc when ENV is unset.
  {
    name: 'ksh',
    mode: 'postamble',
    rcFile: '.kshrc',
    rcContents: posixRc('kshrc'),
    traceOn: 'set -xv',
  },
];

let sessions: ShellSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.map((session) => session.close()));
  sessions = [];
});

async function start(
  shellPath: string,
  shell: ShellCase,
  extra: Partial<ShellSessionOptions> = {},
) {
  const session = new ShellSession({
    shell: shellPath,
    homeFiles: { ...shell.otherHomeFiles, [shell.rcFile]: shell.rcContents },
    env: shell.env ?? {},
    ...extra,
  });
  sessions.push(session);
  await session.ready();
  return session;
}

/** Output lines as a terminal would show them: escape sequences gone, each line's last overwrite. */
/** Runs `command` in `session`, expects it to complete with `exitCode`, and returns its output. */
async function expectCompletion(
  session: ShellSession,
  command: string,
  exitCode: number,
): Promise<string> {
  const { outcome, output } = await session.run(command, 10_000);
  expect(outcome, command).toMatchObject({ kind: 'completed', exitCode });
  return output;
}

/** Types `keys` as a person would, and waits until they made a run of `command` that ended with 0. */
async function typedRunCompletes(
  session: ShellSession,
  keys: string,
  command: string,
): Promise<void> {
  session.type(keys);
  await session.until(
    () => session.runs().some((run) => run.command === command && run.exitCode === 0),
    `the typed "${command}" completing`,
  );
}

/**
 * Types a command line by line as a person would, each line once the shell has shown what it made
 * of the one before (a continuation prompt; for fish, which adds the line to its command line, a
 * prompt frame). With `finished: false` the last line is waited for too.
 */
async function typeLineByLine(
  session: ShellSession,
  lines: string[],
  { finished = true } = {},
): Promise<void> {
  for (const [index, line] of lines.entries()) {
    const prompts = session.promptFrames;
    const before = session.outputText().length;
    session.type(`${line}\r`);
    if (finished && index === lines.length - 1) return;
    // bash and zsh: a continuation prompt, and the line editor reading (bracketed paste on).
    await session.until(
      () =>
        !session.coordinator.commandNeedsMoreLines
          ? session.launch.kind === 'fish' && session.promptFrames > prompts
          : /\x1b\[\?2004h> |> [^]*\x1b\[\?2004h/.test(session.outputText().slice(before)),
      `the shell to ask for the line after ${JSON.stringify(line)}`,
      20_000,
    );
  }
}

/**
 * Types Ctrl+C until `done()` holds. Under load bash and zsh may act on a Ctrl+C typed at their
 * prompt only once the next key comes (as a person would press it again): a second Ctrl+C at the
 * fresh prompt they then show starts nothing.
 */
async function pressCtrlCUntil(session: ShellSession, done: () => boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    session.type('\x03');
    try {
      await session.until(done, 'the shell to act on Ctrl+C', 3000);
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

/** Starts `sleep` as a run (by path, so that there is a process to wait for) and waits until it runs. */
async function startSleep(session: ShellSession, seconds: number) {
  const sleep = `${which('sleep') ?? '/bin/sleep'} ${seconds}`;
  const run = session.register(sleep);
  session.write(run.textToWrite);
  await session.untilChildProcess(sleep);
  return run;
}

function plainLines(output: string): string[] {
  return output
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]/g, '')
    .split('\r\n')
    .map((line) => line.split('\r').at(-1) ?? '');
}

function count(text: string, code: number): number {
  let total = 0;
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === code) total++;
  return total;
}

/**
 * The shell to test under `name`: for `ksh`, only a ksh93 (told by the version it reports, since
 * `ksh` is mksh on some systems).
 */
function shellToTest(name: string): string | undefined {
  const found = which(name);
  if (found === undefined || name !== 'ksh') return found;
  const version = spawnSync(found, ['-c', 'echo "$KSH_VERSION"'], { encoding: 'utf8' }).stdout;
  return /\b93/.test(version) ? found : undefined;
}

for (const shell of shells) {
  const shellPath = shellToTest(shell.name);
  const title =
    shellPath === undefined
      ? `${shell.name}: skipped, not installed (\`command -v ${shell.name}\` found nothing${shell.name === 'ksh' ? ', or not a ksh93' : ''})`
      : `${shell.name} (${shellPath}) in ${shell.mode} mode`;

  // In CI every shell must be there: a missing one is a failure, not a skip.
  if (shellPath === undefined && process.env.CI === 'true') {
    test(`${shell.name} is installed (CI tests every shell)`, () => {
      expect.fail(
        `${shell.name}${shell.name === 'ksh' ? ' (a ksh93)' : ''} is not installed; install it on the CI image`,
      );
    });
  }

  describe.skipIf(shellPath === undefined)(title, () => {
    const executable = shellPath ?? shell.name;

    test('loads the user rc file, is ready at its first prompt, and keeps the secret out of children', async () => {
      const session = await start(executable, shell);
      expect(session.launch.mode).toBe(shell.mode);
      const marker = await session.run('echo "marker=$rc_marker"');
      expect(marker.outcome).toMatchObject({ kind: 'completed', exitCode: 0, cwd: session.home });
      expect(marker.output).toContain(
        `marker=${/loaded-from-\S+/.exec(shell.rcContents)?.[0] ?? ''}`,
      );
      const environment = await session.run('env');
      expect(environment.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(environment.output).toContain(`HOME=${session.home}`);
      expect(environment.output).not.toContain(session.token);
      expect(environment.output).not.toContain(session.launchDirectory);
      if (shell.env?.ENV !== undefined)
        expect(environment.output).toContain(`ENV=${shell.env.ENV}`);
      expect(session.outputText()).not.toContain(session.token);
      // No frame, no postamble echo, no helper line ever reaches the output. (ksh93's line
      // editor, which its ENV file cannot turn off, redraws a line longer than the terminal is
      // wide, and the redrawn echo stays: see the README.)
      if (shell.name !== 'ksh') expect(session.outputText()).not.toContain('lifeline');
    });

    test('a user rc that turns on tracing does not make the secret visible', async () => {
      const session = await start(executable, {
        ...shell,
        rcContents: `${shell.rcContents}${shell.traceOn}\n`,
      });
      expect((await session.run('echo traced')).outcome).toMatchObject({
        kind: 'completed',
        exitCode: 0,
      });
      expect((await session.run('false')).outcome).toMatchObject({
        kind: 'completed',
        exitCode: 1,
      });
      expect(session.outputText()).not.toContain(session.token);
    });

    test('reports exit statuses 0, 1 and 255', async () => {
      const session = await start(executable, shell);
      expect((await session.run('true')).outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect((await session.run('false')).outcome).toMatchObject({
        kind: 'completed',
        exitCode: 1,
      });
      expect((await session.run("sh -c 'exit 255'")).outcome).toMatchObject({
        kind: 'completed',
        exitCode: 255,
      });
    });

    test('Ctrl-C on a running sleep completes the run with 130', async () => {
      const session = await start(executable, shell);
      const run = await startSleep(session, 100);
      session.write('\x03');
      expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 130 });
      expect((await session.run('echo next')).outcome).toMatchObject({
        kind: 'completed',
        exitCode: 0,
      });
    });

    test('cd changes the reported cwd, whatever the directory is called', async () => {
      const session = await start(executable, shell);
      const directory = path.join(session.home, 'dír with spaces %41 😀');
      fs.mkdirSync(directory);
      const result = await session.run(`cd '${directory}'`);
      expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0, cwd: directory });
      expect(session.coordinator.cwd).toBe(directory);
      expect((await session.run('cd ..')).outcome).toMatchObject({ cwd: session.home });
    });

    test('multi-line and unicode output arrive whole, between run_start and run_complete', async () => {
      const session = await start(executable, shell);
      const result = await session.run("printf 'one\\ntwo\\nthree 世界 🎉 é\\n'");
      expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(result.output).toContain('one\r\ntwo\r\nthree 世界 🎉 é\r\n');
    });

    test('an empty Enter at the prompt neither completes a registered run nor creates one', async () => {
      const session = await start(executable, shell);
      const run = session.register("sh -c 'exit 7'");
      const before = session.outputText().length;
      session.write('\r');
      // Postamble shells print no prompt of their own: the Enter's new line is the sign.
      const prompted = shell.mode === 'postamble' ? '\n' : '$ ';
      await session.until(
        () => session.outputText().slice(before).includes(prompted),
        'the shell reading the empty line',
      );
      expect(run.settled).toBeUndefined();
      session.write(run.textToWrite);
      expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 7 });
      session.write('\r');
      expect((await session.run('true')).outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(session.completions()).toHaveLength(2);
    });

    if (shell.name === 'bash' || shell.name === 'zsh') {
      test('Ctrl-C on a running run also ends a run typed ahead of it, which the interrupt discarded', async () => {
        const session = await start(executable, shell);
        const running = await startSleep(session, 100);
        const typedAhead = session.register('echo typed-ahead-ran');
        session.write(typedAhead.textToWrite);
        await session.untilOutput('echo typed-ahead-ran');
        session.write('\x03');
        session.coordinator.interrupted();
        expect(await running.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 130 });
        expect(await typedAhead.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 130 });
        // A command typed straight into the PTY afterwards is a run of its own: it binds no other.
        const before = session.outputText().length;
        session.write('echo typed-by-user; (exit 4)\r');
        await session.untilOutput('typed-by-user\r\n', before);
        expect((await session.run('echo next')).outcome).toMatchObject({
          kind: 'completed',
          exitCode: 0,
        });
        expect(session.completions().map((event) => event.exitCode)).toEqual([130, 130, 4, 0]);
        expect(session.runs()[2]).toEqual({
          command: 'echo typed-by-user; (exit 4)',
          origin: 'shell',
          exitCode: 4,
        });
        // It never ran: its echo is all there is of it.
        expect(plainLines(session.outputText())).not.toContain('typed-ahead-ran');
      });

      test('a line that starts no command completes its run with the status the shell reports; the next command is not taken for it', async () => {
        const session = await start(executable, shell);
        const syntaxError = await session.run('echo )', 10_000);
        expect(syntaxError.outcome).toMatchObject({
          kind: 'completed',
          exitCode: shell.name === 'bash' ? 2 : 1,
        });
        expect(syntaxError.output).toMatch(/syntax error|parse error/);
        // bash runs nothing for a comment; zsh's history expansion fails before anything runs.
        const other = shell.name === 'bash' ? '# just a note' : 'echo !nosuchevent';
        const nothing = await session.run(other, 10_000);
        expect(nothing.outcome).toMatchObject({
          kind: 'completed',
          exitCode: shell.name === 'bash' ? 2 : 1,
        });
        if (shell.name === 'zsh') expect(nothing.output).toContain('event not found');
        // A command typed straight into the PTY is a run of its own: it binds no other.
        const before = session.outputText().length;
        session.write('echo typed-by-user; (exit 3)\r');
        await session.untilOutput('typed-by-user\r\n', before);
        const next = await session.run('echo next');
        expect(next.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
        const rejected = shell.name === 'bash' ? 2 : 1;
        expect(session.completions().map((event) => event.exitCode)).toEqual([
          rejected,
          rejected,
          3,
          0,
        ]);
        expect(session.runs()[2]).toEqual({
          command: 'echo typed-by-user; (exit 3)',
          origin: 'shell',
          exitCode: 3,
        });
      });
    }

    if (shell.mode === 'prompt-hook') {
      test('a person’s pasted line of 20,000 characters is a run with its whole command and its output', async () => {
        const session = await start(executable, shell);
        // Pasted once the line editor reads keys, as at a prompt that shows: typeahead while the
        // terminal is in canonical mode is cut at 4095 bytes by the kernel, in any terminal.
        await expectCompletion(session, 'true', 0);
        await session.untilLineEditorReads();
        const line = `echo ${'y'.repeat(20_000)} | wc -c`;
        const before = session.outputText().length;
        session.write(`\x1b[200~${line}\x1b[201~\r`);
        await session.untilCompletions(2, 30_000);
        expect(session.runs().map((run) => run.command)).toEqual(['true', line]);
        expect(session.completions().map((event) => event.exitCode)).toEqual([0, 0]);
        expect(session.outputText().slice(before)).toContain('20001');
        await expectCompletion(session, 'echo after', 0);
      });

      // A start frame holds at most 256 KiB: the integration sends the start of a longer line,
      // marked as cut. Sent whole, the frame was dropped as malformed and its run never started.
      test('a line longer than a start frame holds is a run with the start of its command and all its output, typed by a person or by lifeline', async () => {
        const session = await start(executable, shell);
        await expectCompletion(session, 'true', 0);
        await session.untilLineEditorReads();
        const pasted = `echo ${'y'.repeat(300_000)} | wc -c; echo pasted-line-ran`;
        const before = session.outputText().length;
        session.write(`\x1b[200~${pasted}\x1b[201~\r`);
        await session.untilCompletions(2, 60_000);
        const command = session.runs()[1]?.command ?? '';
        expect(command.length).toBeGreaterThan(200_000);
        expect(command.endsWith('…')).toBe(true);
        expect(pasted.startsWith(command.slice(0, -1))).toBe(true);
        expect(session.completions().map((event) => event.exitCode)).toEqual([0, 0]);
        const output = plainLines(session.outputText().slice(before));
        expect(output).toContain('300001');
        expect(output).toContain('pasted-line-ran');
        // 90,000 % signs, 270,000 bytes encoded. (zsh's line editor takes each key typed in time
        // growing with the line: 50 s for this one. Its cut line binds the same way.)
        if (shell.name !== 'zsh') {
          const typed = await session.run(`printf %s '${'%'.repeat(90_000)}' | wc -c`, 60_000);
          expect(typed.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
          expect(plainLines(typed.output)).toContain('90000');
        }
        await expectCompletion(session, 'echo after', 0);
      });

      if (shell.name === 'bash' || shell.name === 'zsh') {
        // The bash and zsh integrations look at the line at Enter and percent-encode it for the
        // start frame: done a character at a time (bash's ${line//…/…}), that took time growing
        // with the square of the line's length, about half a minute for this one, with the shell
        // busy all along. (Its frame stays under the 256 KiB a frame may have.)
        test('a person’s pasted line of 240,000 characters, with line ends and % signs in it, is a run with its whole command and its output', async () => {
          const session = await start(executable, shell);
          await expectCompletion(session, 'true', 0);
          await session.untilLineEditorReads();
          const text = `${'x'.repeat(118)}%\n`.repeat(2000);
          const line = `printf %s '${text}' | wc -c`;
          const before = session.outputText().length;
          session.write(`\x1b[200~${line}\x1b[201~\r`);
          await session.untilCompletions(2, 15_000);
          expect(session.runs().map((run) => run.command)).toEqual(['true', line]);
          expect(session.completions().map((event) => event.exitCode)).toEqual([0, 0]);
          expect(plainLines(session.outputText().slice(before))).toContain(String(text.length));
          await expectCompletion(session, 'echo after', 0);
        });
      }
    }

    if (shell.name === 'bash' || shell.name === 'fish') {
      test('a comment or a line of blanks a person enters is no run, as an empty line is none', async () => {
        const session = await start(executable, shell);
        await expectCompletion(session, 'false', 1);
        for (const line of ['# just a note', '   ', '  # indented note']) {
          const before = session.outputText().length;
          session.write(`${line}\r`);
          // The prompt comes back under the line: bash is done with it.
          await session.until(
            () => /\n[\s\S]*\$ /.test(session.outputText().slice(before)),
            `the prompt after ${JSON.stringify(line)}`,
          );
        }
        const before = session.outputText().length;
        session.write("echo typed-by-user; sh -c 'exit 3'\r");
        await session.untilOutput('typed-by-user\r\n', before);
        await expectCompletion(session, 'echo next', 0);
        expect(session.runs().map((run) => run.command)).toEqual([
          'false',
          "echo typed-by-user; sh -c 'exit 3'",
          'echo next',
        ]);
        expect(session.completions().map((event) => event.exitCode)).toEqual([1, 3, 0]);
        // A program's comment still ends its run (the run waits for it), with the shell's status.
        await expectCompletion(session, '# a program note', 0);
      });
    }

    if (shell.name === 'bash' && shell.mode === 'prompt-hook') {
      test('lines that start no command complete their runs even when the history leaves them out (ignoreboth, vi mode)', async () => {
        const session = await start(executable, {
          ...shell,
          rcContents: `${shell.rcContents}HISTCONTROL=ignoreboth\n`,
        });
        for (const line of ['echo )', 'echo )', '# a note', '# a note', ' echo )']) {
          const { outcome } = await session.run(line, 10_000);
          expect(outcome, line).toMatchObject({ kind: 'completed', exitCode: 2 });
        }
        await expectCompletion(session, 'set -o vi', 0);
        // The first follows another command in the history, the second is left out of it.
        await expectCompletion(session, 'echo )', 2);
        await expectCompletion(session, 'echo )', 2);
        expect(plainLines(await expectCompletion(session, 'echo next-ran', 0))).toContain(
          'next-ran',
        );
      });

      test('typed ahead while a command runs, a rejected line the history leaves out still completes its run', async () => {
        const session = await start(executable, {
          ...shell,
          rcContents: `${shell.rcContents}HISTCONTROL=ignoreboth\n`,
        });
        const running = await startSleep(session, 0.5);
        // Typed before the line editor set up the terminal, its Enter reaches bash as Ctrl+J.
        const rejected = session.register(' echo )');
        session.write(rejected.textToWrite);
        expect(await running.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(await rejected.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 2 });
        await expectCompletion(session, 'echo next', 0);
      });

      test('a line whose history expansion fails completes its run with 1; the session goes on', async () => {
        const session = await start(executable, shell);
        expect(await expectCompletion(session, 'echo !nosuchevent', 1)).toContain(
          'event not found',
        );
        expect(session.completions()[0]?.cwd).toBe(session.home);
        // Twice in a row, and with a prompt theme that sets PS1 at every prompt: still reported.
        await expectCompletion(session, 'echo "wow!important"', 1);
        await expectCompletion(session, `PROMPT_COMMAND='PS1="themed> "'`, 0);
        await expectCompletion(session, 'true', 0);
        await expectCompletion(session, 'echo !again', 1);
        expect(plainLines(await expectCompletion(session, 'echo next-ran; (exit 3)', 3))).toContain(
          'next-ran',
        );
        expect(session.completions().map((event) => event.exitCode)).toEqual([1, 1, 0, 0, 1, 3]);
      });
    }

    // fish has its own test below.
    if (shell.mode === 'prompt-hook' && shell.name !== 'fish') {
      test('a run lifeline types that needs more lines is not run: its run fails with 2, and the next command is not taken as its rest', async () => {
        const session = await start(executable, shell);
        for (const incomplete of [
          'echo "unterminated',
          'for word in a b',
          'echo start |',
          'cat <<EOF',
        ]) {
          expect(await expectCompletion(session, incomplete, 2)).toContain(
            'lifeline: the command is incomplete',
          );
        }
        if (shell.name === 'bash') {
          // Also with a prompt theme that sets PS2 at every prompt.
          await expectCompletion(session, `PROMPT_COMMAND='PS2="more> "'`, 0);
          await expectCompletion(session, 'true', 0);
          await expectCompletion(session, "echo 'unterminated", 2);
        }
        const next = await expectCompletion(session, 'echo next-ran', 0);
        expect(plainLines(next)).toContain('next-ran');
        expect(next).not.toContain('unterminated');
        expect(session.completions().at(-1)?.exitCode).toBe(0);
        // Neither the postamble line nor its frame ever shows.
        expect(session.outputText()).not.toContain('lifeline;');
      });
    }

    // fish has its own tests below.
    if (shell.mode === 'prompt-hook' && shell.name !== 'fish') {
      test('a command typed line by line at the continuation prompt is one run: its lines, its output, its status', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        const commands = [
          {
            lines: ['for i in 1 2; do', 'echo looped-$i', 'done'],
            output: ['looped-1', 'looped-2'],
          },
          { lines: ['cat <<EOF', 'heredoc body', 'EOF'], output: ['heredoc body'] },
          { lines: ['echo joined \\', 'line'], output: ['joined line'] },
          { lines: ['echo piped |', 'tr a-z A-Z'], output: ['PIPED'] },
        ];
        for (const [index, { lines, output }] of commands.entries()) {
          await typeLineByLine(session, lines);
          await session.untilCompletions(index + 1);
          const run = session.runs()[index];
          expect(run).toEqual({ command: lines.join('\n'), origin: 'shell', exitCode: 0 });
          const runId = session.log.flatMap((event) =>
            event.type === 'run_start' ? [event.runId] : [],
          )[index]!;
          expect(plainLines(session.outputOf(runId))).toEqual(expect.arrayContaining(output));
          expect(session.coordinator.commandNeedsMoreLines).toBe(false);
        }
        // Its status is the whole command's.
        await typeLineByLine(session, ['if true; then', '(exit 3)', 'fi']);
        await session.untilCompletions(5);
        expect(session.runs()[4]).toMatchObject({
          command: 'if true; then\n(exit 3)\nfi',
          exitCode: 3,
        });
        expect(session.outputText()).not.toMatch(/incomplete|syntax error|command not found/);
        await expectCompletion(session, 'echo still-works', 0);
      });

      test('Ctrl+C at the continuation prompt cancels the command as the shell does: a run of its lines so far ends with 130, and the session goes on', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        await typeLineByLine(session, ['for i in 1 2; do', 'echo never-$i'], { finished: false });
        expect(session.coordinator.commandNeedsMoreLines).toBe(true);
        await pressCtrlCUntil(session, () => session.completions().length >= 1);
        expect(session.runs(), JSON.stringify(session.outputText())).toEqual([
          { command: 'for i in 1 2; do\necho never-$i', origin: 'shell', exitCode: 130 },
        ]);
        expect(session.coordinator.commandNeedsMoreLines).toBe(false);
        // What is typed next is a command of its own, and runs work again.
        session.type('echo typed-after\r');
        await session.untilCompletions(2);
        expect(session.runs()[1]).toEqual({
          command: 'echo typed-after',
          origin: 'shell',
          exitCode: 0,
        });
        await expectCompletion(session, 'echo run-after', 0);
        expect(plainLines(session.outputText())).not.toContain('never-1');
      });

      test('a run typed into a continuation prompt anyway is refused with the command: it never runs as a line of it', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        await typeLineByLine(session, ['for i in 1 2; do'], { finished: false });
        const run = session.register('echo typed-by-lifeline-$i');
        session.write(run.textToWrite);
        expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 2 });
        expect(session.outputOf(run.runId)).toContain('lifeline: the command is incomplete');
        expect(plainLines(session.outputText())).not.toContain('typed-by-lifeline-1');
        await expectCompletion(session, 'echo still-works', 0);
      });
    }

    if (shell.mode === 'postamble') {
      test('a command that needs more lines fails as the shell reports it, and the next command is not taken as its rest', async () => {
        const session = await start(executable, shell);
        for (const incomplete of ['echo "unterminated', 'for word in a b', 'echo start |']) {
          const { outcome } = await session.run(incomplete, 10_000);
          expect(outcome, incomplete).toMatchObject({ kind: 'completed' });
          expect(outcome.kind === 'completed' && outcome.exitCode, incomplete).not.toBe(0);
        }
        const next = await expectCompletion(session, 'echo next-ran', 0);
        expect(plainLines(next)).toContain('next-ran');
        expect(next).not.toContain('unterminated');
        expect(session.outputText()).not.toContain('lifeline');
      });
    }

    if (shell.name === 'dash' || shell.name === 'busybox' || shell.name === 'bash') {
      test('postamble mode: syntax errors under a user rc that traces and exports everything fail, and keep the secret out of the output and the environment', async () => {
        const session = await start(
          executable,
          { ...shell, rcContents: `${shell.rcContents}set -a\n${shell.traceOn}\n` },
          { mode: 'postamble' },
        );
        for (const incomplete of [
          'echo "unterminated',
          'for word in a b',
          'echo start |',
          'echo )',
        ]) {
          const { outcome } = await session.run(incomplete, 10_000);
          expect(outcome, incomplete).toMatchObject({ kind: 'completed' });
          expect(outcome.kind === 'completed' && outcome.exitCode, incomplete).not.toBe(0);
        }
        expect(plainLines(await expectCompletion(session, 'echo next-ran', 0))).toContain(
          'next-ran',
        );
        const environment = await expectCompletion(session, 'env', 0);
        expect(environment).toContain(`HOME=${session.home}`);
        expect(environment).not.toMatch(/^PS[12]=|__lifeline/m);
        expect(session.outputText()).not.toContain(session.token);
      });
    }

    if (shell.name === 'bash') {
      test('a ~/.bashrc that exports its prompts does not hand the secret to children', async () => {
        const session = await start(executable, {
          ...shell,
          rcContents: `${shell.rcContents}export PS0 PS1 PS2\n`,
        });
        const environment = await expectCompletion(session, 'env', 0);
        expect(environment).toContain(`HOME=${session.home}`);
        expect(environment).not.toContain(session.token);
        expect(environment).not.toMatch(/^PS[012]=/m);
      });

      test('histverify turned on in ~/.bashrc is turned off, and the shell says so once', async () => {
        const session = await start(executable, {
          ...shell,
          rcContents: `${shell.rcContents}shopt -s histverify\n`,
        });
        const notice = /histverify and histreedit \(turned on in your bash files\) are off/g;
        expect(session.outputText().match(notice)).toHaveLength(1);
        await expectCompletion(session, 'echo verified-$((6 * 7))', 0);
        // Typed by a person: the expansion runs at once, as one run, instead of coming back to edit.
        await typedRunCompletes(session, '!!\r', '!!');
        expect(session.outputText().match(/verified-42/g)).toHaveLength(2);
      });

      test('without histverify in the user files, nothing is said about it', async () => {
        const session = await start(executable, shell);
        await expectCompletion(session, 'true', 0);
        expect(session.outputText()).not.toContain('histverify');
      });

      test('re-sourcing a ~/.bashrc that assigns PROMPT_COMMAND keeps runs completing, and keeps the user command', async () => {
        const rc = `${shell.rcContents}PROMPT_COMMAND='prompt_count=$((prompt_count+1))'\n`;
        const session = await start(executable, { ...shell, rcContents: rc });
        expect((await session.run('echo before')).outcome).toMatchObject({
          kind: 'completed',
          exitCode: 0,
        });
        expect((await session.run('. ~/.bashrc', 10_000)).outcome).toMatchObject({
          kind: 'completed',
          exitCode: 0,
        });
        expect((await session.run('(exit 5)', 10_000)).outcome).toMatchObject({
          kind: 'completed',
          exitCode: 5,
        });
        const counted = await session.run('echo "count=$prompt_count"', 10_000);
        expect(counted.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
        // One user prompt command per prompt: at startup and after each of the four commands.
        expect(counted.output).toContain('count=4');
      });

      test('a line edited in an editor with Ctrl+X Ctrl+E is a run of what was written; an editor that fails runs nothing', async () => {
        const editor = `printf '#!/bin/sh\\nsed -i "s/$/ plus/" "$1"\\n' > ~/edit.sh; chmod +x ~/edit.sh; export EDITOR=~/edit.sh\n`;
        const session = await start(executable, {
          ...shell,
          rcContents: shell.rcContents + editor,
        });
        await typedRunCompletes(session, 'echo edited\x18\x05', 'echo edited plus');
        await expectCompletion(session, 'export VISUAL=false', 0);
        session.type('echo never\x18\x05');
        await session.untilLineEditorReads();
        expect(plainLines(await expectCompletion(session, 'echo after', 0))).toContain('after');
        expect(session.runs().map((run) => run.command)).not.toContain('echo never');
        expect(session.outputText()).not.toMatch(/^never/m);
      });

      test('with set -x, the trace shows the commands run and, of the hooks, only the keys that type a line', async () => {
        const session = await start(executable, shell);
        await expectCompletion(session, 'set -x', 0);
        await typedRunCompletes(session, 'echo typed-traced\r', 'echo typed-traced');
        const traced = await expectCompletion(session, 'echo run-traced', 0);
        // The keys Lifeline types a run with call their functions (bash traces the call).
        expect(plainLines(traced).filter((line) => line.startsWith('+'))).toEqual([
          '++ __lifeline_set_aside',
          '++ __lifeline_enter_own',
          '+ echo run-traced',
        ]);
        expect(plainLines(traced)).toContain('run-traced');
        await expectCompletion(session, 'set +x', 0);
        // Nothing of the prompt hooks: neither their calls nor what they run.
        expect(session.outputText()).not.toMatch(/__lifeline_prompt|local -/);
      });

      test('a command that takes the hooks out of PROMPT_COMMAND completes with its status, and the commands after it are runs', async () => {
        const session = await start(executable, shell);
        for (const takeOut of ['unset PROMPT_COMMAND', 'PROMPT_COMMAND=()']) {
          await expectCompletion(session, `${takeOut}; (exit 4)`, 4);
          await expectCompletion(session, 'cd / && echo moved', 0);
          expect(session.completions().at(-1)?.cwd).toBe('/');
          await expectCompletion(session, '(exit 3)', 3);
        }
      });
    }

    if (shell.name === 'zsh') {
      test('with set -x, the trace shows the commands run and nothing of the hooks', async () => {
        const session = await start(executable, shell);
        await expectCompletion(session, 'set -x', 0);
        await typedRunCompletes(session, 'echo typed-traced\r', 'echo typed-traced');
        expect(plainLines(await expectCompletion(session, 'echo run-traced', 0))).toContain(
          'run-traced',
        );
        await expectCompletion(session, 'set +x', 0);
        expect(session.outputText()).toMatch(/\+\S*> echo run-traced/);
        expect(session.outputText()).not.toContain('__lifeline');
      });

      test('after a command that takes the hooks out of precmd_functions, the commands are runs again', async () => {
        const session = await start(executable, shell);
        for (const takeOut of ['precmd_functions=()', 'unset precmd_functions preexec_functions']) {
          // Typed by a person: that line's end goes unreported, the next line ends it.
          session.type(`${takeOut}\r`);
          await session.untilLineEditorReads();
          await typedRunCompletes(session, 'echo typed-after\r', 'echo typed-after');
          await expectCompletion(session, 'cd / && echo moved', 0);
          expect(session.completions().at(-1)?.cwd).toBe('/');
          await expectCompletion(session, '(exit 3)', 3);
          await expectCompletion(session, 'cd ~', 0);
        }
      });
    }

    if (shell.name === 'fish') {
      test('a block typed line by line is one run once it ends; until then it is a half-typed line, set aside for a run and given back', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        // fish adds each line to the command line, as it does without lifeline.
        await typeLineByLine(session, ['for i in 1 2', 'echo looped-$i'], { finished: false });
        expect(session.coordinator.commandNeedsMoreLines).toBe(false);
        expect(session.runs()).toEqual([]);
        // A run meanwhile sets the unfinished lines aside, and they come back after it.
        const run = session.register('echo from-run');
        session.write(run.textToWrite);
        expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        const restore = session.coordinator.textToRestoreTypedLine();
        expect(restore).not.toBe('');
        const before = session.outputText().length;
        session.write(restore);
        await session.until(
          () => session.outputText().slice(before).includes('looped-'),
          'the unfinished lines to come back',
          20_000,
        );
        session.type('end\r');
        await session.untilCompletions(2);
        expect(session.runs()).toEqual([
          { command: 'echo from-run', origin: 'lifeline', exitCode: 0 },
          { command: 'for i in 1 2\necho looped-$i\nend', origin: 'shell', exitCode: 0 },
        ]);
        const loop = session.log.flatMap((event) =>
          event.type === 'run_start' ? [event.runId] : [],
        )[1]!;
        expect(plainLines(session.outputOf(loop))).toEqual(
          expect.arrayContaining(['looped-1', 'looped-2']),
        );
        // (Ctrl+C clears an unfinished block like any half-typed line, which fish reports with a
        // prompt frame; it is left out here: under load fish may act on a Ctrl+C only once the
        // next key comes.)
        await expectCompletion(session, 'echo still-works', 0);
      });

      test('a line typed that fish cannot parse stays on the command line under fish’s error, to be fixed; fixed, it is one run', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        await typeLineByLine(session, ['echo )'], { finished: false });
        await session.until(
          () => session.outputText().includes("Unexpected ')'"),
          'fish to show its error',
          20_000,
        );
        expect(session.runs()).toEqual([]);
        // Backspace takes the `)` off the line fish kept; the rest is typed onto it.
        session.type('\x7ffixed\r');
        await session.untilCompletions(1);
        expect(session.runs()).toEqual([{ command: 'echo fixed', origin: 'shell', exitCode: 0 }]);
      });

      test('a line typed ending in a backslash goes on to the next, as fish’s own Enter has it: one run', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        await typeLineByLine(session, ['echo one \\', 'two \\', 'three']);
        await session.untilCompletions(1);
        expect(session.runs()).toEqual([
          { command: 'echo one \\\ntwo \\\nthree', origin: 'shell', exitCode: 0 },
        ]);
        const run = session.log.flatMap((event) =>
          event.type === 'run_start' ? [event.runId] : [],
        )[0]!;
        expect(plainLines(session.outputOf(run))).toContain('one two three');
      });

      test('a line fish cannot parse, or that needs more lines, completes its run with 2 and leaves the command line empty', async () => {
        const session = await start(executable, shell);
        const syntaxError = await session.run('echo )', 10_000);
        expect(syntaxError.outcome).toMatchObject({
          kind: 'completed',
          exitCode: 2,
          cwd: session.home,
        });
        expect(syntaxError.output).toContain("Unexpected ')'");
        expect((await session.run('(exit 7)', 10_000)).outcome).toMatchObject({
          kind: 'completed',
          exitCode: 2,
        });
        // A line that needs more lines is rejected too, with fish's reason.
        expect(await expectCompletion(session, 'echo "unterminated', 2)).toContain(
          'quotes are not balanced',
        );
        expect(await expectCompletion(session, 'for word in a b', 2)).toContain('end of the input');
        // Nothing of the rejected lines is left to be run with the next one.
        const next = await session.run('echo next-ran');
        expect(next.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(plainLines(next.output)).toContain('next-ran');
        expect(next.output).not.toContain('exit 7');
      });
    }

    if (shell.mode === 'postamble') {
      test('no prompt is printed between a command and its postamble line', async () => {
        const session = await start(executable, shell);
        const result = await session.run('printf unterminated');
        expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(result.output.endsWith('unterminated')).toBe(true);
      });
    }

    test('a long command times out, then completes late and is still recorded', async () => {
      const session = await start(executable, shell);
      const run = session.register('sleep 1');
      session.write(run.textToWrite);
      expect(await run.wait(50)).toEqual({ kind: 'timeout' });
      expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(session.completions().map((event) => event.runId)).toEqual([run.runId]);
    });

    test('50 MB of output all arrive, none of it lost or duplicated', async () => {
      const session = await start(executable, shell);
      let letters = 0;
      session.outputTap = (text) => {
        letters += count(text, 0x41);
      };
      const result = await session.run("head -c 50000000 /dev/zero | tr '\\0' '\\101'", 60_000);
      session.outputTap = undefined;
      expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(letters).toBe(50_000_000);
    }, 90_000);

    test('a program printing a fake frame completes nothing; its bytes are output', async () => {
      const session = await start(executable, shell);
      const fake = 'ForgedTokenForgedToken';
      // \134 is a backslash: the one spelling of ESC \ that every shell's printf agrees on.
      const result = await session.run(
        `printf '\\033_lifeline;%s;S;99\\033\\134\\033_lifeline;%s;P;99;0;/fake\\033\\134\\033_lifeline;%s;C;0;/fake\\033\\134' ${fake} ${fake} ${fake}`,
      );
      expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0, cwd: session.home });
      expect(result.output).toContain(`\x1b_lifeline;${fake};P;99;0;/fake\x1b\\`);
      expect(result.output).toContain(`\x1b_lifeline;${fake};C;0;/fake\x1b\\`);
      expect(session.completions()).toHaveLength(1);
    });

    if (shell.mode === 'prompt-hook') {
      test('every command the shell runs is a run with its command line, in order: one write with several Enters, a paste, a command typed ahead', async () => {
        const session = await start(executable, shell);
        session.write('echo A1\recho B2\r');
        await session.untilCompletions(2);
        session.write('echo np1\recho np2\recho np3\r');
        await session.untilCompletions(5);
        const sleep = session.register('sleep 1');
        session.write(sleep.textToWrite);
        session.write('echo ahead\r');
        await session.untilCompletions(7);
        expect(session.runs()).toEqual([
          { command: 'echo A1', origin: 'shell', exitCode: 0 },
          { command: 'echo B2', origin: 'shell', exitCode: 0 },
          { command: 'echo np1', origin: 'shell', exitCode: 0 },
          { command: 'echo np2', origin: 'shell', exitCode: 0 },
          { command: 'echo np3', origin: 'shell', exitCode: 0 },
          { command: 'sleep 1', origin: 'lifeline', exitCode: 0 },
          { command: 'echo ahead', origin: 'shell', exitCode: 0 },
        ]);
        // Each run holds its own output, not its neighbour's.
        const runIds = session.log.flatMap((event) =>
          event.type === 'run_start' ? [event.runId] : [],
        );
        for (const [index, word] of ['A1', 'B2', 'np1', 'np2', 'np3'].entries()) {
          const lines = plainLines(session.outputOf(runIds[index]!));
          expect(lines, word).toContain(word);
          expect(
            lines.filter((line) => /^(A1|B2|np\d)$/.test(line)),
            word,
          ).toEqual([word]);
        }
        expect(plainLines(session.outputOf(runIds[6]!))).toContain('ahead');
        // Reported as typed: nothing in the line is expanded or lost on the way.
        const special = `echo 'back\\slash' "$HOME" 50% "it's"`;
        session.write(`${special}\r`);
        await session.untilCompletions(8);
        expect(session.runs()[7]).toEqual({ command: special, origin: 'shell', exitCode: 0 });
      });

      test('lines pasted in brackets and run with one Enter are one run: their command lines, all their output, the last status', async () => {
        const session = await start(executable, shell);
        session.write('\x1b[200~echo p1\recho p2\rfalse\r\x1b[201~');
        session.write('\r');
        await session.untilCompletions(1);
        session.write('echo after\r');
        await session.untilCompletions(2);
        expect(session.runs()).toEqual([
          { command: 'echo p1\necho p2\nfalse', origin: 'shell', exitCode: 1 },
          { command: 'echo after', origin: 'shell', exitCode: 0 },
        ]);
        const [pasted] = session.log.flatMap((event) =>
          event.type === 'run_start' ? [event.runId] : [],
        );
        const lines = plainLines(session.outputOf(pasted!));
        expect(lines).toContain('p1');
        expect(lines).toContain('p2');
      });

      // fish has no here-documents and ends blocks with `end`: its own pastes are tried above.
      if (shell.name !== 'fish') {
        test('a pasted compound command runs whole, as one run: a here-document, a loop, a continued line', async () => {
          const session = await start(executable, shell);
          const pasted = [
            'cat <<EOF',
            'hello heredoc',
            'EOF',
            'echo after',
            'for i in 1 2; do',
            '  echo loop $i',
            'done',
            'echo one \\',
            '  two',
          ];
          session.write(`\x1b[200~${pasted.join('\r')}\x1b[201~`);
          session.write('\r');
          await session.untilCompletions(1);
          session.write('echo next\r');
          await session.untilCompletions(2);
          expect(session.runs()).toEqual([
            { command: pasted.join('\n'), origin: 'shell', exitCode: 0 },
            { command: 'echo next', origin: 'shell', exitCode: 0 },
          ]);
          const [run] = session.log.flatMap((event) =>
            event.type === 'run_start' ? [event.runId] : [],
          );
          const lines = plainLines(session.outputOf(run!));
          for (const line of ['hello heredoc', 'after', 'loop 1', 'loop 2', 'one two'])
            expect(lines).toContain(line);
          expect(session.outputText()).not.toMatch(/not found|syntax error|incomplete/);
        });

        test('a pasted command that needs more lines than the paste holds waits for them at the continuation prompt, and runs whole', async () => {
          const session = await start(executable, shell, { reportsTyping: true });
          session.type('\x1b[200~for i in 1 2; do\recho looped-$i\x1b[201~');
          const before = session.outputText().length;
          session.type('\r');
          await session.until(
            () =>
              session.coordinator.commandNeedsMoreLines &&
              session.outputText().slice(before).includes('> '),
            'a continuation prompt',
          );
          expect(session.runs()).toEqual([]);
          session.type('done\r');
          await session.untilCompletions(1);
          expect(session.runs()).toEqual([
            { command: 'for i in 1 2; do\necho looped-$i\ndone', origin: 'shell', exitCode: 0 },
          ]);
          expect(plainLines(session.outputText())).toEqual(
            expect.arrayContaining(['looped-1', 'looped-2']),
          );
          expect(session.outputText()).not.toContain('lifeline: the command is incomplete');
          await expectCompletion(session, 'echo still-works', 0);
        });
      }

      test('Tab completion, history recall and reverse search run through the shell as runs of the lines they make', async () => {
        const session = await start(executable, shell);
        fs.writeFileSync(path.join(session.home, 'uniquely-named-file.txt'), 'contents\n');
        // Keys are read in order: each one acts before the next, as typed by hand.
        session.write('cat uniquely-na\t\r');
        await session.untilCompletions(1);
        session.write('\x1b[A\r');
        await session.untilCompletions(2);
        const expected = [
          { command: 'cat uniquely-named-file.txt', origin: 'shell', exitCode: 0 },
          { command: 'cat uniquely-named-file.txt', origin: 'shell', exitCode: 0 },
        ];
        // fish's Ctrl+R opens a search pager instead of running the match: not tried there.
        if (shell.name !== 'fish') {
          await expectCompletion(session, 'echo remembered-line', 0);
          // Between commands the terminal is in cooked mode, where Ctrl+R is the line discipline's
          // own key: the line editor draws its prompt once it reads keys itself, as a user would
          // wait. The prompt looked for is the one after the command's output (its last word).
          await session.untilOutput('$ ', session.outputText().lastIndexOf('remembered-line'));
          session.write('\x12remembered\r');
          await session.untilCompletions(4);
          expected.push(
            { command: 'echo remembered-line', origin: 'lifeline', exitCode: 0 },
            { command: 'echo remembered-line', origin: 'shell', exitCode: 0 },
          );
        }
        // Completion leaves a space after the file name: the line is reported as the shell read it.
        expect(session.runs().map((run) => ({ ...run, command: run.command.trimEnd() }))).toEqual(
          expected,
        );
      });

      test('a run is not typed onto a line the user had half-typed: the line is set aside, then given back where it was', async () => {
        const session = await start(executable, shell);
        for (const [typed, ahead] of [
          ['echo half', 1],
          ['echo second', 3],
        ] as const) {
          // The line editor echoes what it reads (fish word by word, highlighted): it holds the line.
          const before = session.outputText().length;
          session.write(typed);
          await session.untilOutput(typed.split(' ')[1]!, before);
          const run = session.register('echo from-run');
          session.write(run.textToWrite);
          expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
          expect(plainLines(session.outputOf(run.runId))).toContain('from-run');
          // Given back once the prompt is shown (the line editor reads keys itself again), with
          // the cursor where it was: what is typed next goes on after it.
          await session.untilOutput('$ ', session.outputText().lastIndexOf('from-run'));
          session.write(session.coordinator.textToRestoreTypedLine());
          session.write(' again\r');
          await session.untilCompletions(ahead + 1);
        }
        expect(session.runs()).toEqual([
          { command: 'echo from-run', origin: 'lifeline', exitCode: 0 },
          { command: 'echo half again', origin: 'shell', exitCode: 0 },
          { command: 'echo from-run', origin: 'lifeline', exitCode: 0 },
          { command: 'echo second again', origin: 'shell', exitCode: 0 },
        ]);
        // With nothing typed, runs are typed as they were, and there is nothing to give back.
        await expectCompletion(session, 'echo alone', 0);
        expect(session.coordinator.textToRestoreTypedLine()).toBe('\x1b[9;6~');
        expect(session.coordinator.textToRestoreTypedLine()).toBe('');
        expect(session.runs().at(-1)).toEqual({
          command: 'echo alone',
          origin: 'lifeline',
          exitCode: 0,
        });
      });

      test('with typing reported, a run at a prompt nobody typed at is written as it is; a half-typed line is still set aside and given back', async () => {
        const session = await start(executable, shell, { reportsTyping: true });
        const plain = session.register('echo plain');
        expect(plain.textToWrite).toBe('echo plain\x1b[9;5~');
        session.write(plain.textToWrite);
        expect(await plain.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(session.coordinator.textToRestoreTypedLine()).toBe('');
        await session.untilOutput('$ ', session.outputText().lastIndexOf('plain'));
        const before = session.outputText().length;
        session.type('echo half');
        await session.untilOutput('half', before);
        const run = session.register('echo from-run');
        expect(run.textToWrite).toBe('\x1b[9;7~echo from-run\x1b[9;5~');
        session.write(run.textToWrite);
        expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        await session.untilOutput('$ ', session.outputText().lastIndexOf('from-run'));
        session.write(session.coordinator.textToRestoreTypedLine());
        // A second run right after the line came back, before anyone typed: set aside again.
        const second = session.register('echo second-run');
        expect(second.textToWrite).toBe('\x1b[9;7~echo second-run\x1b[9;5~');
        session.write(second.textToWrite);
        expect(await second.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        await session.untilOutput('$ ', session.outputText().lastIndexOf('second-run'));
        session.write(session.coordinator.textToRestoreTypedLine());
        session.type(' again\r');
        await session.untilCompletions(4);
        // The shell took that line: nothing is typed at the prompt now.
        const after = session.register('echo after');
        expect(after.textToWrite).toBe('echo after\x1b[9;5~');
        session.write(after.textToWrite);
        expect(await after.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(session.runs().map((ran) => ran.command)).toEqual([
          'echo plain',
          'echo from-run',
          'echo second-run',
          'echo half again',
          'echo after',
        ]);
      });

      test('keys that may leave the line editor in a mode of its own (a search, a lone Esc, Tab) hold runs back until the next prompt', async () => {
        const session = await start(executable, shell);
        // Each: keys that may leave a mode, then keys that leave it (Ctrl+G), clear the line
        // (Ctrl+U) and bring a new prompt (an empty Enter). fish has its own search pager and
        // reads Esc and a key right after it as one key: Tab is tried there.
        const cases: [string, string][] = [['echo half\t', '\x15\r']];
        if (shell.name !== 'fish')
          cases.push(['\x12ech', '\x07\x15\r'], ['echo half\x1b', '\x07\x15\r']);
        // Keys are typed once the prompt shows: the line editor reads them itself then.
        let from = 0;
        for (const [keys, clear] of cases) {
          await session.untilOutput('$ ', from);
          session.type(keys);
          expect(session.coordinator.lineEditorMayBeInMode, JSON.stringify(keys)).toBe(true);
          const prompts = session.promptFrames;
          from = session.outputText().length;
          session.type(clear);
          await session.until(() => session.promptFrames > prompts, 'the next prompt');
          expect(session.coordinator.lineEditorMayBeInMode, JSON.stringify(keys)).toBe(false);
        }
        await session.untilOutput('$ ', from);
        session.type('echo plain text');
        expect(session.coordinator.lineEditorMayBeInMode).toBe(false);
        session.type('\x15');
        await expectCompletion(session, 'echo still-runs', 0);
      });

      test('a command reading the terminal gets what the user types', async () => {
        const session = await start(executable, shell);
        const run = session.register(`printf 'wait%s\\n' ing; read line; echo "got:$line"`);
        session.write(run.textToWrite);
        await session.untilOutput('waiting\r\n');
        session.write('hello there\r');
        expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(session.outputOf(run.runId)).toContain('got:hello there');
      });

      test('adds no history entry and echoes no helper line', async () => {
        const session = await start(executable, shell);
        await session.run('echo one');
        const history = await session.run(shell.historyCommand ?? 'history');
        const entries = plainLines(history.output)
          .map((line) => line.replace(/^\s*\d+\s+/, '').trim())
          .filter((line) => line === 'echo one' || /lifeline|printf|__/.test(line));
        expect(entries).toEqual(['echo one']);
        expect(session.outputText()).not.toMatch(/lifeline|__lifeline|PROMPT_COMMAND/);
      });

      test('output that does not end in a newline ends the run exactly (no partial-line mark in it)', async () => {
        const session = await start(executable, shell);
        const result = await session.run('printf foo');
        expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(result.output.endsWith('foo')).toBe(true);
      });
    } else {
      test('a command reading stdin from a pipe works', async () => {
        const session = await start(executable, shell);
        const piped = await session.run(
          `printf 'a\\nb\\n' | while read -r line; do echo "got:$line"; done`,
        );
        expect(piped.outcome).toMatchObject({ kind: 'completed', exitCode: 0 });
        expect(piped.output).toContain('got:a\r\ngot:b\r\n');
      });

      test('commands reading the terminal get only what the user types, never the completion report, and still complete', async () => {
        const session = await start(executable, shell);
        for (const reader of [
          'read x; echo "got:$x"',
          'head -n1 | sed "s/^/got:/"',
          'cat | sed "s/^/got:/"',
        ]) {
          // What is typed once the command runs waits in the terminal for the command to read it.
          const run = session.register(`echo re""ady; ${reader}`);
          const before = session.outputText().length;
          session.write(run.textToWrite);
          await session.untilOutput('ready\r\n', before);
          session.write(
            reader.startsWith('cat') ? 'typed by the user\r\x04' : 'typed by the user\r',
          );
          expect(await run.wait(10_000), reader).toMatchObject({ kind: 'completed', exitCode: 0 });
          const output = session.outputText().slice(before);
          expect(output, reader).toContain('got:typed by the user');
          expect(output, reader).not.toMatch(/lifeline|printf|got:.*\\0/);
        }
      });

      test.skipIf(which('vim') === undefined)(
        'vim writes into the file only what the user typed; the run completes when it quits',
        async () => {
          const session = await start(executable, shell, { cols: 80 });
          const file = path.join(session.home, 'notes.txt');
          const run = session.register(`vim -u NONE -i NONE -N ${file}`);
          session.write(run.textToWrite);
          await session.untilOutput('notes.txt');
          session.write('ihello from the user\x1b');
          session.write(':wq\r');
          expect(await run.wait(10_000)).toMatchObject({ kind: 'completed', exitCode: 0 });
          expect(fs.readFileSync(file, 'utf8')).toBe('hello from the user\n');
        },
      );
    }
  });
}

// bash before 4.4 has no PS0 and runs in postamble mode; the bash installed here stands in for it.
const bashPath = which('bash');
const bashCase = shells.find((shell) => shell.name === 'bash');
describe.skipIf(bashPath === undefined || bashCase === undefined)(
  bashPath === undefined
    ? 'bash in postamble mode: skipped, not installed (`command -v bash` found nothing)'
    : `bash (${bashPath}) in postamble mode`,
  () => {
    test('a run ends with its own output: no prompt, and no postamble line even at 80 columns', async () => {
      const session = await start(bashPath ?? 'bash', bashCase ?? shells[0]!, {
        mode: 'postamble',
        cols: 80,
      });
      expect(session.launch.mode).toBe('postamble');
      for (const command of ['printf unterminated', 'echo second']) {
        const result = await session.run(command);
        expect(result.outcome).toMatchObject({ kind: 'completed', exitCode: 0, cwd: session.home });
        // The user's PS1 is '$ ' and the line would wrap at 80 columns: neither may show.
        expect(result.output).not.toContain('$ ');
        expect(result.output).not.toMatch(/printf '|lifeline/);
      }
      expect(session.outputText()).not.toMatch(/printf '|lifeline/);
    });
  },
);

// `exec zsh` reads one's config again: the zsh it starts has the integration too.
const zshPath = which('zsh');
const zshCase = shells.find((shell) => shell.name === 'zsh');
describe.skipIf(zshPath === undefined || zshCase === undefined)(
  zshPath === undefined
    ? 'zsh replaced by exec: skipped, not installed (`command -v zsh` found nothing)'
    : `zsh (${zshPath}) replaced by exec`,
  () => {
    test('`exec zsh` ends as a run, and the new zsh (the user’s files read again) goes on with runs', async () => {
      const session = await start(zshPath ?? 'zsh', zshCase ?? shells[0]!);
      await expectCompletion(session, 'rc_marker=changed-in-session', 0);
      await typedRunCompletes(session, 'exec zsh\r', 'exec zsh');
      // The new zsh read the user's .zshrc (not this shell's variables), and nothing of the
      // handover is left in its environment.
      const after = await expectCompletion(
        session,
        'echo "$rc_marker ${ZDOTDIR-no-zdotdir} ${__lifeline_carried_n-no-counter}"',
        0,
      );
      expect(after).toContain('loaded-from-zshrc no-zdotdir no-counter');
      await expectCompletion(session, 'false', 1);
    });
  },
);

/** Runs `env` in a child of the shell and returns what it printed. */
async function childEnvironment(session: ShellSession): Promise<string> {
  return expectCompletion(session, 'env', 0);
}

/** Nothing of an exec's handover reaches a child: no token, counter, PROMPT_COMMAND, XDG_DATA_DIRS. */
function expectNoHandover(session: ShellSession, environment: string, xdgDataDirs?: string) {
  expect(environment).toContain(`HOME=${session.home}`);
  expect(environment).not.toContain(session.token);
  expect(environment).not.toContain('__lifeline');
  expect(environment).not.toContain('PROMPT_COMMAND');
  if (xdgDataDirs === undefined) expect(environment).not.toContain('XDG_DATA_DIRS');
  else expect(environment).toContain(`XDG_DATA_DIRS=${xdgDataDirs}\r\n`);
}

// `exec bash` reads one's config again: the bash it starts has the integration too.
describe.skipIf(bashPath === undefined || bashCase === undefined)(
  bashPath === undefined
    ? 'bash replaced by exec: skipped, not installed (`command -v bash` found nothing)'
    : `bash (${bashPath}) replaced by exec`,
  () => {
    // The user's own PROMPT_COMMAND, added to what it held before (the integration's handover, in
    // a bash started by exec), counts prompts.
    const bashrc = `${bashCase?.rcContents ?? ''}PROMPT_COMMAND="\${PROMPT_COMMAND:+$PROMPT_COMMAND; }"'user_prompts=$((user_prompts + 1))'\nalias rc_alias='echo alias-from-bashrc'\n`;
    const startBash = (homeFiles: Record<string, string> = {}) =>
      start(
        bashPath ?? 'bash',
        { ...(bashCase ?? shells[0]!), rcContents: bashrc },
        {
          homeFiles: { '.bashrc': bashrc, ...homeFiles },
          env: { SHELL: bashPath ?? 'bash' },
        },
      );

    // The same .bashrc but for PROMPT_COMMAND, which it sets outright (dropping what it held).
    const overwriting = bashrc.replace(
      /PROMPT_COMMAND=.*\n/,
      "PROMPT_COMMAND='user_prompts=$((user_prompts + 1))'\n",
    );
    test.each([
      ['adds to PROMPT_COMMAND', bashrc],
      ['sets PROMPT_COMMAND outright', overwriting],
    ])(
      '`exec bash` ends as a run, and the new bash (the user’s .bashrc, which %s, read again) goes on with runs',
      async (_, rc) => {
        const session = await startBash({ '.bashrc': rc });
        await expectCompletion(session, 'rc_marker=changed-in-session', 0);
        await typedRunCompletes(session, 'exec bash\r', 'exec bash');
        // The new bash read the user's .bashrc (not this shell's variables), and runs the user's own
        // PROMPT_COMMAND at each prompt.
        const after = await expectCompletion(session, 'echo "$rc_marker"; rc_alias', 0);
        expect(after).toContain('loaded-from-bashrc');
        expect(after).toContain('alias-from-bashrc');
        const first = await expectCompletion(session, 'echo "prompts=$user_prompts"', 0);
        const second = await expectCompletion(session, 'echo "prompts=$user_prompts"', 0);
        const count = (output: string) => Number(/prompts=(\d+)/.exec(output)?.[1]);
        expect(count(second)).toBe(count(first) + 1);
        expectNoHandover(session, await childEnvironment(session));
        await expectCompletion(session, 'false', 1);
        // The bash the exec started hands over to the next one in turn.
        await expectCompletion(session, 'exec "$SHELL"', 0);
        await expectCompletion(session, 'false', 1);
        expect(session.outputText()).not.toContain(session.token);
      },
    );

    test.each(['exec bash -l', 'exec -l bash'])(
      '`%s` reads the profile files again, and the session goes on with runs',
      async (command) => {
        const session = await startBash({
          '.bash_profile': 'profile_marker=loaded-from-bash_profile\n. ~/.bashrc\n',
        });
        // Typed by lifeline, as a run of its own.
        await expectCompletion(session, command, 0);
        const after = await expectCompletion(
          session,
          'echo "$profile_marker $rc_marker"; shopt -q login_shell && echo login',
          0,
        );
        expect(after).toContain('loaded-from-bash_profile loaded-from-bashrc');
        expect(after).toContain('login');
        expectNoHandover(session, await childEnvironment(session));
        await expectCompletion(session, 'false', 1);
      },
    );

    test('a user rc that turns on tracing does not make the secret visible across an exec', async () => {
      const traced = `${bashrc}${bashCase?.traceOn ?? ''}\n`;
      const session = await startBash({ '.bashrc': traced });
      await expectCompletion(session, 'exec bash', 0);
      await expectCompletion(session, 'exec /no/such/bash', 127);
      await expectCompletion(session, 'false', 1);
      expect(session.outputText()).toContain('+ false');
      expect(session.outputText()).not.toContain(session.token);
    });

    test('an exec of a bash that fails leaves nothing exported, and the shell goes on with runs', async () => {
      const session = await startBash();
      const failed = await expectCompletion(session, 'exec /no/such/bash', 127);
      expect(failed).toContain('/no/such/bash');
      expectNoHandover(session, await childEnvironment(session));
      // The user's PROMPT_COMMAND still runs at each prompt.
      const first = await expectCompletion(session, 'echo "prompts=$user_prompts"', 0);
      const second = await expectCompletion(session, 'echo "prompts=$user_prompts"', 0);
      const count = (output: string) => Number(/prompts=(\d+)/.exec(output)?.[1]);
      expect(count(second)).toBe(count(first) + 1);
      await expectCompletion(session, 'false', 1);
      // And an exec of a bash after it still works.
      await expectCompletion(session, 'exec bash', 0);
      await expectCompletion(session, 'echo "$rc_marker"', 0);
    });
  },
);

// `exec fish` reads one's config again: the fish it starts has the integration too.
const fishPath = which('fish');
const fishCase = shells.find((shell) => shell.name === 'fish');
describe.skipIf(fishPath === undefined || fishCase === undefined)(
  fishPath === undefined
    ? 'fish replaced by exec: skipped, not installed (`command -v fish` found nothing)'
    : `fish (${fishPath}) replaced by exec`,
  () => {
    test.each([
      ['unset', undefined],
      ['set', '/usr/share:/opt/data'],
    ])(
      '`exec fish` (XDG_DATA_DIRS %s) ends as a run, and the new fish (the user’s config.fish read again) goes on with runs',
      async (_, xdgDataDirs) => {
        const session = await start(fishPath ?? 'fish', fishCase ?? shells[0]!, {
          env: xdgDataDirs === undefined ? {} : { XDG_DATA_DIRS: xdgDataDirs },
        });
        await expectCompletion(session, 'set -g rc_marker changed-in-session', 0);
        await typedRunCompletes(session, 'exec fish\r', 'exec fish');
        const after = await expectCompletion(session, 'echo $rc_marker', 0);
        expect(after).toContain('loaded-from-config.fish');
        expectNoHandover(session, await childEnvironment(session), xdgDataDirs);
        await expectCompletion(session, 'false', 1);
        // The fish the exec started hands over to the next one in turn.
        await expectCompletion(session, 'exec fish', 0);
        expectNoHandover(session, await childEnvironment(session), xdgDataDirs);
      },
    );

    test('a user config.fish that turns on tracing does not make the secret visible across an exec', async () => {
      const session = await start(fishPath ?? 'fish', {
        ...(fishCase ?? shells[0]!),
        rcContents: `${fishCase?.rcContents ?? ''}${fishCase?.traceOn ?? ''}\n`,
      });
      await expectCompletion(session, 'exec fish', 0);
      await expectCompletion(session, 'exec /no/such/fish', 127);
      await expectCompletion(session, 'false', 1);
      expect(session.outputText()).toContain('> false');
      expect(session.outputText()).not.toContain(session.token);
    });

    test('an exec of a fish that fails leaves nothing changed, and the shell goes on with runs', async () => {
      const session = await start(fishPath ?? 'fish', fishCase ?? shells[0]!, {
        env: { XDG_DATA_DIRS: '/usr/share' },
      });
      await expectCompletion(session, 'exec /no/such/fish', 127);
      expectNoHandover(session, await childEnvironment(session), '/usr/share');
      await expectCompletion(session, 'false', 1);
      await expectCompletion(session, 'exec fish', 0);
      await expectCompletion(session, 'echo $rc_marker', 0);
    });
  },
);
