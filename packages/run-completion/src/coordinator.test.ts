import { describe, expect, test, vi } from 'vitest';
import { FakeClock } from './__fixtures__/fake-clock.js';
import {
  completeFrame,
  continuationFrame,
  editingFrame,
  incompleteFrame,
  promptDrawnFrame,
  postambleToken,
  promptFrame,
  readyFrame,
  startFrame,
} from './__fixtures__/frames.js';
import { recorder } from './__fixtures__/recorder.js';
import { seededRandom } from './__fixtures__/seeded-random.js';
import { createRunCoordinator, type RunCoordinatorOptions } from './coordinator.js';
import { RunCompletionError } from './errors.js';
import { createSessionToken } from './token.js';

const token = createSessionToken(seededRandom(7));

function promptHook(
  options: { maxRegistrations?: number; registrationTtlMs?: number; shell?: 'bash' } = {},
) {
  const clock = new FakeClock();
  const onReady = vi.fn();
  const log = recorder({
    mode: 'prompt-hook',
    token,
    clock,
    random: seededRandom(1),
    onReady,
    ...options,
  });
  const run = (command: string) => {
    const prepared = log.coordinator.prepare(command);
    return log.coordinator.register(prepared, log.appendRunStart(prepared.runId, command));
  };
  return { clock, onReady, log, coordinator: log.coordinator, run };
}

function postamble() {
  const clock = new FakeClock();
  const log = recorder({ mode: 'postamble', token, clock, random: seededRandom(2) });
  const run = (command: string) => {
    const prepared = log.coordinator.prepare(command);
    return log.coordinator.register(prepared, log.appendRunStart(prepared.runId, command));
  };
  return { clock, log, coordinator: log.coordinator, run };
}

/**
 * A prompt-hook coordinator for `shell` whose output and the callbacks `options` gives (which log
 * into the same list) are logged in the order they come.
 */
function loggedCoordinator(
  shell: 'bash' | 'zsh',
  options: (log: string[]) => Partial<Parameters<typeof createRunCoordinator>[0]>,
) {
  const log: string[] = [];
  const coordinator = createRunCoordinator({
    mode: 'prompt-hook',
    token,
    shell,
    clock: new FakeClock(),
    random: seededRandom(3),
    appendOutput: (data) => log.push(typeof data === 'string' ? data : 'bytes'),
    appendRunComplete: () => log.push('complete') - 1,
    ...options(log),
  });
  return { log, coordinator };
}

describe('prompt-hook mode', () => {
  test("bash: where each prompt begins and ends is told in stream order, apart from a job's output around it", () => {
    const shown = (shell: 'bash' | 'zsh') => {
      const { log, coordinator } = loggedCoordinator(shell, (log) => ({
        appendPromptStart: () => log.push('prompt starts'),
        appendPromptEnd: () => log.push('prompt drawn'),
      }));
      coordinator.ingest(`greeting\r\n${readyFrame(token)}${promptFrame(token, 0, 0, '/')}`);
      coordinator.ingest(`${editingFrame(token, 0)}$ ${promptDrawnFrame(token, 0)}`);
      // Drawn again (a history search ended): the prompt began and ended before.
      coordinator.ingest(`\r${editingFrame(token, 0)}$ ${promptDrawnFrame(token, 0)}`);
      coordinator.ingest(`${startFrame(token, 1)}out\r\n${promptFrame(token, 1, 0, '/')}job\r\n`);
      coordinator.ingest(`more\r\n${editingFrame(token, 1)}$ ${promptDrawnFrame(token, 1)}job\r\n`);
      return log;
    };
    expect(shown('bash')).toEqual([
      'greeting\r\n',
      'prompt starts',
      '$ ',
      'prompt drawn',
      '\r',
      '$ ',
      'out\r\n',
      'job\r\n',
      'more\r\n',
      'prompt starts',
      '$ ',
      'prompt drawn',
      'job\r\n',
    ]);
    // zsh's editing frames come after it draws its prompt: nothing is said of where it begins.
    expect(shown('zsh')).not.toContain('prompt starts');
  });

  test.each(['bash', 'zsh'] as const)(
    '%s: a prompt whose hooks still run is told apart from one its line editor has: once per prompt, at its editing frame, in stream order',
    (shell) => {
      const { log, coordinator } = loggedCoordinator(shell, (log) => ({
        onPrompt: () => log.push('prompt frame'),
        onPromptEditing: () => log.push('line editor has the terminal'),
      }));
      coordinator.ingest(`${readyFrame(token)}${promptFrame(token, 0, 0, '/')}slow hook\r\n`);
      coordinator.ingest(`${editingFrame(token, 0)}$ `);
      // Drawn again (a completion list): the line editor had the terminal already.
      coordinator.ingest(`\r${editingFrame(token, 0)}$ `);
      coordinator.ingest(`${promptFrame(token, 0, 130, '/')}${editingFrame(token, 0)}$ `);
      expect(log).toEqual([
        'prompt frame',
        'slow hook\r\n',
        'line editor has the terminal',
        '$ ',
        '\r',
        '$ ',
        'prompt frame',
        'line editor has the terminal',
        '$ ',
      ]);
    },
  );

  test('keys typed before a prompt shows (after the frame that ended the command) that leave the line editor in a mode keep runs back at that prompt', () => {
    const { coordinator } = promptHook();
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
    coordinator.typed('true\r');
    coordinator.ingest(`${startFrame(token, 1)}${promptFrame(token, 1, 0, '/')}`);
    // Typed before the shell showed its prompt (fish prints a second prompt frame as it does).
    coordinator.typed('\x12zzz');
    coordinator.ingest(`${promptFrame(token, 1, 0, '/')}$ `);
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
    // A line ended (Ctrl+C, Enter) takes what was typed before it along.
    coordinator.typed('\x03');
    coordinator.ingest(`${promptFrame(token, 1, 130, '/')}$ `);
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
    // So does an interrupt sent as a signal (lifeline sessions interrupt).
    coordinator.typed('\x12zzz');
    coordinator.interrupted();
    coordinator.ingest(`${promptFrame(token, 1, 130, '/')}$ `);
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
  });

  test('a history search opened and cancelled at the prompt holds back no run, neither the next nor any after it', async () => {
    const { coordinator, run } = promptHook({ shell: 'bash' });
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
    coordinator.typed('\x12tr');
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
    coordinator.typed('\x07');
    // bash draws its prompt again as the search ends: its editing frame names no keys.
    coordinator.ingest(`${editingFrame(token, 0)}$ `);
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
    for (const [counter, command] of [
      [1, 'echo A'],
      [2, 'echo B'],
    ] as const) {
      const handle = run(command);
      coordinator.ingest(`${startFrame(token, counter)}${promptFrame(token, counter, 0, '/')}$ `);
      await expect(handle.wait(1000)).resolves.toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(coordinator.lineEditorMayBeInMode).toBe(false);
    }
  });

  test('bash with a prompt of two lines: a search cancelled ends the mode when its last line is drawn again', () => {
    const { coordinator } = promptHook({ shell: 'bash' });
    // The prompt's first line holds its editing frame; its last line ends with the drawn frame.
    coordinator.ingest(
      `${promptFrame(token, 0, 0, '/')}${editingFrame(token, 0)}ada@box /\r\n$ ${promptDrawnFrame(token, 0)}`,
    );
    for (const cancel of ['\x07', '\x1b']) {
      coordinator.typed('\x12tr');
      expect(coordinator.lineEditorMayBeInMode).toBe(true);
      // Drawn again after the search, only the last line shows: no editing frame.
      coordinator.ingest(`\r$ ${promptDrawnFrame(token, 0)}`);
      expect(coordinator.lineEditorMayBeInMode).toBe(true);
      coordinator.typed(cancel);
      coordinator.ingest(`\r\x1b[K$ ${promptDrawnFrame(token, 0)}`);
      expect(coordinator.lineEditorMayBeInMode, JSON.stringify(cancel)).toBe(false);
    }
  });

  test('vi: an Escape, then a key back to insert mode typed apart, holds no run back; a command key after it does', () => {
    const { coordinator } = promptHook({ shell: 'bash' });
    coordinator.ingest(
      `${promptFrame(token, 0, 0, '/')}${editingFrame(token, 0)}$ ${promptDrawnFrame(token, 0)}`,
    );
    coordinator.typed('echo abc');
    coordinator.typed('\x1b');
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
    coordinator.typed('A');
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
    coordinator.typed('def');
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
    // vi's k browses the history in command mode: still there.
    coordinator.typed('\x1b');
    coordinator.typed('k');
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
    coordinator.typed('i');
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
  });

  test('zsh: keys of one binding typed in pieces (Esc, then Ctrl+G) that the line editor says it read end the mode they opened', () => {
    const { coordinator } = promptHook();
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
    coordinator.typed('\x12mark');
    coordinator.typed('\x1b');
    // Printed before the Esc was read: it says nothing of it.
    coordinator.ingest(editingFrame(token, 0, 'k'));
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
    coordinator.typed('\x07');
    // zsh's send-break (Esc Ctrl+G) cleared the line: its editing frame names both keys.
    coordinator.ingest(`${editingFrame(token, 0, '%1B\x07')}$ `);
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
  });

  test('bash: a question a later Tab brings holds runs back, also once an earlier Tab was answered after it was typed', () => {
    const { coordinator } = promptHook({ shell: 'bash' });
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
    coordinator.typed('ls many-');
    // The second Tab is typed before the first one's bell is read.
    coordinator.typed('\t');
    coordinator.typed('\t');
    coordinator.ingest('\x07');
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
    coordinator.ingest('\r\nDisplay all 400 possibilities? (y or n)');
    expect(coordinator.lineEditorMayBeInMode).toBe(true);
    // A new prompt ends it; a command's output then says nothing of the line editor.
    coordinator.ingest(`\r\n${promptFrame(token, 0, 0, '/')}$ `);
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
    coordinator.typed('\t');
    coordinator.ingest('\x07');
    coordinator.ingest(`more\r\n${startFrame(token, 1)}--More--`);
    expect(coordinator.lineEditorMayBeInMode).toBe(false);
  });

  test('the key after an interrupt does nothing at a prompt, and after a paste ends it first; none while the line editor may be in a mode, at a continuation prompt, nor in postamble mode', () => {
    const { coordinator } = promptHook();
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
    const key = coordinator.keyAfterInterrupt();
    // The key that brings back a line set aside: with nothing set aside, nothing happens.
    expect(key).toBe('\x1b[9;6~');
    coordinator.typed('\x12ech');
    expect(coordinator.keyAfterInterrupt()).toBe('');
    // Ctrl+C ends the search, and a prompt shows.
    coordinator.typed('\x03');
    coordinator.ingest(`${promptFrame(token, 0, 130, '/')}$ `);
    expect(coordinator.keyAfterInterrupt()).toBe(key);
    coordinator.ingest(`${continuationFrame(token, 0)}> `);
    expect(coordinator.keyAfterInterrupt()).toBe('');
    coordinator.ingest(`${promptFrame(token, 0, 130, '/')}$ `);
    expect(coordinator.keyAfterInterrupt()).toBe(key);
    // After a paste, the paste's end comes first: one the shell was still reading ends.
    coordinator.typed('\x1b[200~pasted\x1b[201~');
    expect(coordinator.keyAfterInterrupt()).toBe(`\x1b[201~${key}`);
    coordinator.ingest(`${promptFrame(token, 0, 130, '/')}$ `);
    expect(coordinator.keyAfterInterrupt()).toBe(key);
    expect(postamble().coordinator.keyAfterInterrupt()).toBe('');
  });

  test('the first prompt frame makes the shell ready, with its cwd', async () => {
    const { coordinator, onReady } = promptHook();
    expect(coordinator.isReady).toBe(false);
    coordinator.ingest(`welcome\r\n${promptFrame(token, 0, 0, '/home/me')}$ `);
    await expect(coordinator.ready).resolves.toEqual({ kind: 'ready', cwd: '/home/me' });
    expect(onReady).toHaveBeenCalledOnce();
    expect(coordinator.cwd).toBe('/home/me');
  });

  test('a run completes at the prompt after its start frame, in exact stream order', async () => {
    const { coordinator, run, log } = promptHook();
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
    const handle = run('make');
    // A key first sets aside what the user may have half-typed at the prompt.
    expect(handle.textToWrite).toBe('\x1b[9;7~make\x1b[9;5~');
    coordinator.ingest(`make\r\n${startFrame(token, 1)}building\r\n`);
    coordinator.ingest(`done\r\n${promptFrame(token, 1, 2, '/src')}$ `);
    await expect(handle.wait(1000)).resolves.toMatchObject({
      kind: 'completed',
      exitCode: 2,
      cwd: '/src',
    });
    expect(log.events.map((event) => event.type)).toEqual([
      'output', // "$ "
      'run_start',
      'output', // echo
      'output',
      'output', // "done\r\n"
      'run_complete',
      'output', // "$ "
    ]);
    expect(log.timeline()).toEqual([
      '$ make\r\nbuilding\r\ndone\r\n',
      { complete: handle.runId, exitCode: 2, cwd: '/src' },
      '$ ',
    ]);
    const completed = await handle.wait(0);
    expect(completed).toMatchObject({ seq: 5 });
    expect(log.events[5]).toMatchObject({ type: 'run_complete', startSeq: 1 });
  });

  test('an empty Enter at a prompt neither completes a registered run nor creates one', async () => {
    const { coordinator, run, log } = promptHook();
    coordinator.ingest(promptFrame(token, 4, 0, '/'));
    const handle = run('false');
    // The user pressed Enter on an empty line before the command was typed: same counter again.
    coordinator.ingest(`\r\n${promptFrame(token, 4, 0, '/')}`);
    expect(handle.settled).toBeUndefined();
    coordinator.ingest(`${startFrame(token, 5)}${promptFrame(token, 5, 1, '/')}`);
    await expect(handle.wait(10)).resolves.toMatchObject({ kind: 'completed', exitCode: 1 });
    coordinator.ingest(`\r\n${promptFrame(token, 5, 0, '/')}`);
    expect(log.events.filter((event) => event.type === 'run_complete')).toHaveLength(1);
  });

  test('a prompt frame of an earlier prompt cannot complete a newly registered run', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(`${promptFrame(token, 0, 0, '/')}${startFrame(token, 1)}`);
    const handle = run('ls'); // registered while command 1 (typed by hand) still runs
    coordinator.ingest(promptFrame(token, 1, 0, '/')); // command 1 ends
    coordinator.ingest(promptFrame(token, 0, 0, '/')); // a stale, replayed prompt
    coordinator.ingest(startFrame(token, 1)); // a stale start
    expect(handle.settled).toBeUndefined();
    coordinator.ingest(`${startFrame(token, 2)}${promptFrame(token, 2, 0, '/b')}`);
    expect(handle.settled).toMatchObject({ kind: 'completed', cwd: '/b' });
  });

  test('a prompt after a start frame that never arrived completes the oldest waiting run', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const handle = run('sleep 100');
    coordinator.ingest(`^C\r\n${promptFrame(token, 1, 130, '/')}`);
    expect(handle.settled).toMatchObject({ kind: 'completed', exitCode: 130 });
  });

  test('a line the shell drops on an interrupt ends its run at the next prompt; without an interrupt it waits', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(promptFrame(token, 3, 0, '/'));
    const dropped = run('sleep 30');
    coordinator.interrupted();
    // The shell was still reading the line: it dropped it and showed a new prompt, no command start.
    coordinator.ingest(`^C\r\n${promptFrame(token, 3, 130, '/')}`);
    expect(dropped.settled).toMatchObject({ kind: 'completed', exitCode: 130 });

    const kept = run('sleep 30');
    coordinator.ingest(`\r\n${promptFrame(token, 3, 0, '/')}`); // an empty Enter typed ahead of it
    expect(kept.settled).toBeUndefined();
    coordinator.interrupted();
    // Here the shell had read the line: it starts, and the interrupt ends the command itself.
    coordinator.ingest(`${startFrame(token, 4)}^C\r\n`);
    expect(kept.settled).toBeUndefined();
    coordinator.ingest(promptFrame(token, 4, 130, '/'));
    expect(kept.settled).toMatchObject({ kind: 'completed', exitCode: 130 });
  });

  test('an interrupt while a run executes also ends the runs typed ahead of it, which it discarded', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(promptFrame(token, 2, 0, '/'));
    const running = run('sleep 30');
    coordinator.ingest(startFrame(token, 3));
    const typedAhead = run('echo b');
    const alsoTypedAhead = run('echo c');
    coordinator.interrupted();
    coordinator.ingest(`^C\r\n${promptFrame(token, 3, 130, '/')}`);
    expect(running.settled).toMatchObject({ kind: 'completed', exitCode: 130 });
    expect(typedAhead.settled).toMatchObject({ kind: 'completed', exitCode: 130 });
    expect(alsoTypedAhead.settled).toMatchObject({ kind: 'completed', exitCode: 130 });
    // The user's next command is their own.
    const next = run('true');
    coordinator.ingest(`${startFrame(token, 4)}${promptFrame(token, 4, 0, '/')}`);
    expect(next.settled).toMatchObject({ kind: 'completed', exitCode: 0 });
  });

  test('a run registered after the interrupt is not ended by it', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(promptFrame(token, 2, 0, '/'));
    const running = run('sleep 30');
    coordinator.ingest(startFrame(token, 3));
    coordinator.interrupted();
    const later = run('echo later');
    coordinator.ingest(`^C\r\n${promptFrame(token, 3, 130, '/')}`);
    expect(running.settled).toMatchObject({ exitCode: 130 });
    expect(later.settled).toBeUndefined();
    coordinator.ingest(`${startFrame(token, 4)}${promptFrame(token, 4, 0, '/')}`);
    expect(later.settled).toMatchObject({ kind: 'completed', exitCode: 0 });
  });

  test('runs registered back to back bind to start frames in order', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const first = run('a');
    const second = run('b');
    coordinator.ingest(`${startFrame(token, 1)}${promptFrame(token, 1, 3, '/')}`);
    coordinator.ingest(`${startFrame(token, 2)}${promptFrame(token, 2, 4, '/')}`);
    expect(first.settled).toMatchObject({ exitCode: 3 });
    expect(second.settled).toMatchObject({ exitCode: 4 });
  });

  test('durationMs runs from the start frame to the prompt frame', () => {
    const { coordinator, run, clock } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const handle = run('sleep 1');
    clock.advance(50);
    coordinator.ingest(startFrame(token, 1));
    clock.advance(1000);
    coordinator.ingest(promptFrame(token, 1, 0, '/'));
    expect(handle.settled).toMatchObject({ durationMs: 1000 });
  });

  test('durationMs is rounded to a tenth of a millisecond', () => {
    const { coordinator, run, clock } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const handle = run('true');
    coordinator.ingest(startFrame(token, 1));
    clock.advance(1207.0531349999999);
    coordinator.ingest(promptFrame(token, 1, 0, '/'));
    expect(handle.settled).toMatchObject({ durationMs: 1207.1 });
  });

  test('rejects commands that are empty, span lines or hold control characters', () => {
    const { coordinator } = promptHook();
    for (const command of [
      '',
      '   ',
      'echo a\necho b',
      'ls\r',
      'a\tb',
      'x\x03',
      'x\x1b[A',
      'x\u0085',
    ]) {
      expect(() => coordinator.prepare(command)).toThrow(
        expect.objectContaining({ code: 'INVALID_COMMAND' }) as Error,
      );
    }
    expect(coordinator.prepare('echo "héllo 世界"').command).toBe('echo "héllo 世界"');
  });

  test('a command that is not a string is told so, not called empty', () => {
    const { coordinator } = promptHook();
    expect(() => coordinator.prepare(42 as unknown as string)).toThrow(
      expect.objectContaining({
        code: 'INVALID_COMMAND',
        message: 'prepare() takes the command as a string, the text to type at the prompt (got 42)',
      }) as Error,
    );
  });

  test('probe() is an empty Enter', () => {
    expect(promptHook().coordinator.probe()).toBe('\r');
  });

  test('a run ends with the key that tells the shell lifeline typed it, not with Enter', () => {
    const { coordinator, run } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const text = run('make').textToWrite;
    expect(text.endsWith('make\x1b[9;5~')).toBe(true);
    expect(text).not.toMatch(/[\r\n]/);
  });

  describe('a command that needs more lines', () => {
    test('from a typed Enter until the shell answers, and through its continuation prompts until it starts, runs are held; it is one run', () => {
      const log = recorder({ mode: 'prompt-hook', token, shellRuns: true });
      const { coordinator } = log;
      coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      coordinator.typed('for i in 1 2; do');
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      coordinator.typed('\r');
      // The shell has not said yet what it made of the line: it may ask for more.
      expect(coordinator.commandNeedsMoreLines).toBe(true);
      coordinator.ingest(`\r\n${continuationFrame(token, 0)}> `);
      expect(coordinator.commandNeedsMoreLines).toBe(true);
      coordinator.typed('echo $i\r');
      coordinator.ingest(`echo $i\r\n${continuationFrame(token, 0)}> `);
      coordinator.typed('done\r');
      expect(coordinator.commandNeedsMoreLines).toBe(true);
      const command = 'for i in 1 2; do\necho $i\ndone';
      coordinator.ingest(`done\r\n${startFrame(token, 1, command)}1\r\n2\r\n`);
      // It started: a run of its own now keeps runs back, no longer the continuation.
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      coordinator.ingest(`${promptFrame(token, 1, 0, '/')}$ `);
      const starts = log.events.filter((event) => event.type === 'run_start');
      expect(starts).toEqual([expect.objectContaining({ command, origin: 'shell' })]);
      expect(log.timeline()).toEqual([
        '$ \r\n> echo $i\r\n> done\r\n1\r\n2\r\n',
        { complete: starts[0]!.runId, exitCode: 0, cwd: '/' },
        '$ ',
      ]);
    });

    test('Ctrl+C at a continuation prompt ends it at the next prompt frame, which onPrompt reports', () => {
      const onPrompt = vi.fn();
      const log = recorder({ mode: 'prompt-hook', token, onPrompt, reportsTyping: true });
      const { coordinator } = log;
      coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
      coordinator.typed('cat <<EOF\r');
      coordinator.ingest(`\r\n${continuationFrame(token, 0)}> `);
      onPrompt.mockClear();
      coordinator.typed('\x03');
      expect(coordinator.commandNeedsMoreLines).toBe(true);
      coordinator.ingest(
        `^C\r\n${startFrame(token, 1, 'cat <<EOF')}${promptFrame(token, 1, 130, '/')}$ `,
      );
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      expect(onPrompt).toHaveBeenCalledOnce();
    });

    test('an Enter inside a bracketed paste is text of the line, even with the paste cut in pieces; the Enter after it counts', () => {
      const { coordinator } = promptHook();
      coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
      coordinator.typed('\x1b[200~echo a\recho b\r\x1b[20');
      coordinator.typed('1~');
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      coordinator.typed('\x1b[2');
      coordinator.typed('00~for i in 1; do\r');
      coordinator.typed('echo $i\x1b[201~');
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      coordinator.typed('\r');
      expect(coordinator.commandNeedsMoreLines).toBe(true);
      // Any prompt (an empty line, a syntax error) says the line is done with.
      coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
      expect(coordinator.commandNeedsMoreLines).toBe(false);
    });

    test('a continuation frame of a command that has started since binds nothing, and postamble mode never holds', () => {
      const { coordinator } = promptHook();
      coordinator.ingest(`${promptFrame(token, 0, 0, '/')}$ `);
      coordinator.ingest(startFrame(token, 1, 'sleep 1'));
      coordinator.ingest(continuationFrame(token, 0));
      expect(coordinator.commandNeedsMoreLines).toBe(false);
      const other = postamble().coordinator;
      other.typed('for i in 1; do\r');
      expect(other.commandNeedsMoreLines).toBe(false);
    });
  });
});

describe('waiting', () => {
  test('a timed-out run still completes later and is still recorded', async () => {
    const { coordinator, run, clock, log } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const handle = run('sleep 5');
    coordinator.ingest(startFrame(token, 1));
    const first = handle.wait(100);
    clock.advance(100);
    await expect(first).resolves.toEqual({ kind: 'timeout' });
    const second = handle.wait(10_000);
    clock.advance(4000);
    coordinator.ingest(promptFrame(token, 1, 0, '/'));
    await expect(second).resolves.toMatchObject({ kind: 'completed', exitCode: 0 });
    expect(log.events.filter((event) => event.type === 'run_complete')).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  test('several waiters all see the outcome; a finished run answers at once', async () => {
    const { coordinator, run } = promptHook();
    const handle = run('true');
    const waits = [handle.wait(Infinity), handle.wait(1000), handle.wait(5)];
    coordinator.ingest(`${startFrame(token, 1)}${promptFrame(token, 1, 0, '/')}`);
    const outcomes = await Promise.all(waits);
    expect(new Set(outcomes.map((outcome) => outcome.kind))).toEqual(new Set(['completed']));
    await expect(handle.wait(0)).resolves.toBe(outcomes[0]);
  });

  test('an aborted wait rejects with the signal reason; the run goes on', async () => {
    const { coordinator, run } = promptHook();
    const handle = run('true');
    const controller = new AbortController();
    const waiting = handle.wait(1000, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    await expect(handle.wait(1000, { signal: controller.signal })).rejects.toThrow(
      'caller gave up',
    );
    coordinator.ingest(`${startFrame(token, 1)}${promptFrame(token, 1, 0, '/')}`);
    await expect(handle.wait(0)).resolves.toMatchObject({ kind: 'completed' });
  });

  test('a timeout longer than a timer can wait (2^31 - 1 ms) still waits its whole length', async () => {
    const { coordinator, run, clock } = promptHook();
    coordinator.ingest(promptFrame(token, 0, 0, '/'));
    const handle = run('sleep 100');
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    let outcome: unknown;
    void handle.wait(thirtyDays).then((result) => {
      outcome = result;
    });
    clock.advance(1000);
    await Promise.resolve();
    expect(outcome).toBeUndefined();
    clock.advance(thirtyDays - 1001);
    await Promise.resolve();
    expect(outcome).toBeUndefined();
    clock.advance(1);
    await Promise.resolve();
    expect(outcome).toEqual({ kind: 'timeout' });
    expect(clock.pendingTimers).toBe(0);
  });

  test('a negative or missing timeout is refused', async () => {
    const { run } = promptHook();
    const handle = run('true');
    await expect(handle.wait(-1)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(handle.wait(Number.NaN)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('registrations', () => {
  test('beyond the cap, register() throws a clear error until a run settles', () => {
    const { coordinator, run } = promptHook({ maxRegistrations: 2 });
    run('a');
    const second = run('b');
    let error: unknown;
    try {
      run('c');
    } catch (caught) {
      error = caught;
    }
    expect(RunCompletionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'REGISTRATION_LIMIT' });
    expect((error as Error).message).toMatch(/maxRegistrations is 2/);
    expect(coordinator.cancel(second.runId)).toBe(true);
    expect(() => run('c')).not.toThrow();
  });

  test('cancel() settles waiters and the run can no longer complete', async () => {
    const { coordinator, run, log } = promptHook();
    const handle = run('a');
    const waiting = handle.wait(1000);
    expect(coordinator.cancel(handle.runId)).toBe(true);
    expect(coordinator.cancel(handle.runId)).toBe(false);
    await expect(waiting).resolves.toEqual({ kind: 'cancelled', reason: 'cancelled' });
    coordinator.ingest(`${startFrame(token, 1)}${promptFrame(token, 1, 0, '/')}`);
    expect(log.events.some((event) => event.type === 'run_complete')).toBe(false);
  });

  test('a registration expires after registrationTtlMs', async () => {
    const { coordinator, run, clock } = promptHook({ registrationTtlMs: 60_000 });
    const old = run('a');
    clock.advance(60_000);
    const fresh = run('b');
    await expect(old.wait(0)).resolves.toEqual({ kind: 'cancelled', reason: 'expired' });
    expect(coordinator.registeredRuns).toBe(1);
    coordinator.ingest(`${startFrame(token, 1)}${promptFrame(token, 1, 9, '/')}`);
    expect(fresh.settled).toMatchObject({ exitCode: 9 });
  });

  test('a run is registered once, and only by the coordinator that prepared it', () => {
    const first = promptHook();
    const second = promptHook();
    const prepared = first.coordinator.prepare('ls');
    expect(() => second.coordinator.register(prepared, 0)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_RUN' }) as Error,
    );
    first.coordinator.register(prepared, 0);
    expect(() => first.coordinator.register(prepared, 1)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_RUN' }) as Error,
    );
    const same = first.coordinator.prepare('ls', { runId: prepared.runId });
    expect(() => first.coordinator.register(same, 2)).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_RUN_ID' }) as Error,
    );
    expect(() => first.coordinator.register(first.coordinator.prepare('ls'), -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }) as Error,
    );
  });
});

describe('exit', () => {
  test('resetForExit() settles every waiter with exited, is idempotent, and later runs are exited', async () => {
    const { coordinator, run } = promptHook();
    const handle = run('sleep 100');
    const waiting = handle.wait(Infinity);
    coordinator.resetForExit();
    coordinator.resetForExit();
    await expect(waiting).resolves.toEqual({ kind: 'exited' });
    await expect(coordinator.ready).resolves.toEqual({ kind: 'exited' });
    await expect(run('ls').wait(1000)).resolves.toEqual({ kind: 'exited' });
    expect(coordinator.registeredRuns).toBe(0);
  });

  test('flushOnExit() releases a partial look-alike and drops a partial frame carrying the token', () => {
    const looksAlike = promptHook();
    looksAlike.coordinator.ingest('out\x1b_lifeline;Xy');
    looksAlike.coordinator.flushOnExit();
    expect(looksAlike.log.outputText()).toBe('out\x1b_lifeline;Xy');

    const real = promptHook();
    real.coordinator.ingest(`out\x1b_lifeline;${token};P;1;0;/ho`);
    real.coordinator.flushOnExit();
    expect(real.log.outputText()).toBe('out');
  });
});

describe('idle flush', () => {
  test('a partial look-alike at a chunk end is released after 30 ms and one more timer turn', () => {
    const { coordinator, clock, log } = promptHook();
    coordinator.ingest('vim\x1b');
    expect(log.outputText()).toBe('vim');
    clock.advance(29);
    expect(log.outputText()).toBe('vim');
    clock.advance(1);
    clock.advance(0);
    expect(log.outputText()).toBe('vim\x1b');
    expect(clock.pendingTimers).toBe(0);
  });

  test('a continuation before the idle time completes the frame instead', () => {
    const { coordinator, clock, run } = promptHook();
    const handle = run('ls');
    const frame = `${startFrame(token, 1)}${promptFrame(token, 1, 0, '/')}`;
    coordinator.ingest(frame.slice(0, 40));
    clock.advance(20);
    coordinator.ingest(frame.slice(40));
    expect(handle.settled).toMatchObject({ kind: 'completed' });
    expect(clock.pendingTimers).toBe(0);
  });

  test('an idleFlushMs longer than a timer can wait holds a partial look-alike until more input or exit', () => {
    const clock = new FakeClock();
    const log = recorder({ mode: 'prompt-hook', token, clock, idleFlushMs: 2 ** 31 });
    log.coordinator.ingest('vim\x1b');
    clock.advance(60_000);
    expect(log.outputText()).toBe('vim');
    expect(clock.pendingTimers).toBe(0);
    log.coordinator.ingest('[0m');
    expect(log.outputText()).toBe('vim\x1b[0m');
    log.coordinator.ingest('\x1b');
    log.coordinator.flushOnExit();
    expect(log.outputText()).toBe('vim\x1b[0m\x1b');
  });

  test('a partial frame carrying the token is never released as output', () => {
    const { coordinator, clock, log } = promptHook();
    coordinator.ingest(`a\x1b_lifeline;${token};P;1;0`);
    clock.advance(10_000);
    expect(log.outputText()).toBe('a');
  });
  describe('commands the shell reports on its own', () => {
    function withShellRuns() {
      const log = recorder({
        mode: 'prompt-hook',
        token,
        clock: new FakeClock(),
        random: seededRandom(3),
        shellRuns: true,
      });
      const run = (command: string) => {
        const prepared = log.coordinator.prepare(command);
        return log.coordinator.register(prepared, log.appendRunStart(prepared.runId, command));
      };
      const runs = () =>
        log.events.flatMap((event) =>
          event.type === 'run_start'
            ? [{ command: event.command, origin: event.origin ?? 'lifeline' }]
            : [],
        );
      return { log, run, runs, coordinator: log.coordinator };
    }

    test('a start no registered run waits for is a run of its own, with its command line, completed at its prompt', () => {
      const { log, coordinator, runs } = withShellRuns();
      coordinator.ingest(promptFrame(token, 0, 0, '/'));
      coordinator.ingest(
        `echo hi\r\n${startFrame(token, 1, 'echo hi; echo 100%')}hi\r\n${promptFrame(token, 1, 0, '/w')}$ `,
      );
      expect(runs()).toEqual([{ command: 'echo hi; echo 100%', origin: 'shell' }]);
      const start = log.events.find((event) => event.type === 'run_start');
      expect(log.events.find((event) => event.type === 'run_complete')).toMatchObject({
        runId: start?.runId,
        startSeq: start?.seq,
        exitCode: 0,
        cwd: '/w',
      });
      expect(log.outputText()).toBe('echo hi\r\nhi\r\n$ ');
    });

    test('a line typed ahead of a registered run is its own run; the registered run binds to the start of its own line', () => {
      const { coordinator, run, runs } = withShellRuns();
      const lifeline = run('make');
      coordinator.ingest(`${startFrame(token, 1, 'echo typed')}${promptFrame(token, 1, 0, '/')}`);
      expect(lifeline.settled).toBeUndefined();
      coordinator.ingest(`${startFrame(token, 2, 'make')}${promptFrame(token, 2, 2, '/')}`);
      expect(lifeline.settled).toMatchObject({ kind: 'completed', exitCode: 2 });
      expect(runs()).toEqual([
        { command: 'make', origin: 'lifeline' },
        { command: 'echo typed', origin: 'shell' },
      ]);
    });

    test('keys typed into the line just before a registered run was written join its line: the run binds to it, its run_start as written', () => {
      const { coordinator, run, runs } = withShellRuns();
      const lifeline = run('make');
      coordinator.ingest(`${startFrame(token, 1, 'time make')}${promptFrame(token, 1, 0, '/')}`);
      expect(lifeline.settled).toMatchObject({ kind: 'completed', exitCode: 0 });
      expect(runs()).toEqual([{ command: 'make', origin: 'lifeline' }]);
    });

    test('a start frame with a line its integration cut short binds the registered run; a person’s such line is a run of its start', () => {
      const { coordinator, run, runs } = withShellRuns();
      const long = `printf %s '${'%'.repeat(100_000)}'`;
      const lifeline = run(long);
      const cut = `\x1b_lifeline;${token};S;1;printf %25s '${'%25'.repeat(1000)}%\x1b\\`;
      coordinator.ingest(`${cut}${promptFrame(token, 1, 0, '/')}`);
      expect(lifeline.settled).toMatchObject({ kind: 'completed', exitCode: 0 });
      coordinator.ingest(
        `\x1b_lifeline;${token};S;2;echo ${'y'.repeat(50)}%\x1b\\${promptFrame(token, 2, 0, '/')}`,
      );
      expect(runs()).toEqual([
        { command: long, origin: 'lifeline' },
        { command: `echo ${'y'.repeat(50)}…`, origin: 'shell' },
      ]);
    });

    test('without appendShellRunStart such commands are no runs', () => {
      const { coordinator, log } = promptHook();
      coordinator.ingest(`${startFrame(token, 1, 'ls')}${promptFrame(token, 1, 0, '/')}`);
      expect(log.events.filter((event) => event.type !== 'output')).toEqual([]);
    });
  });
});

describe('postamble mode', () => {
  test('the command is typed inside a line that reports it; the echo of that line is removed and its frame completes the run', async () => {
    const { coordinator, run, log } = postamble();
    coordinator.ingest(`${readyFrame(token)}$ `);
    await expect(coordinator.ready).resolves.toEqual({ kind: 'ready', cwd: undefined });
    const handle = run("echo it's");
    const [line, rest] = handle.textToWrite.split('\r');
    const runToken = postambleToken(handle.textToWrite);
    expect(line).toBe(
      ` \\lifelinebegin ${runToken}; eval 'echo it'\\''s'; \\lifelineend ${runToken}`,
    );
    expect(rest).toBe('');
    coordinator.ingest(`${line}\r\n\x1b[34mits\x1b[0m\r\n${completeFrame(runToken, 0, '/w')}$ `);
    await expect(handle.wait(0)).resolves.toMatchObject({
      kind: 'completed',
      exitCode: 0,
      cwd: '/w',
    });
    expect(log.timeline()).toEqual([
      '$ \x1b[34mits\x1b[0m\r\n',
      { complete: handle.runId, exitCode: 0, cwd: '/w' },
      '$ ',
    ]);
  });

  test('a run whose line the shell abandoned is reported again at later prompts: those frames are removed and complete nothing', () => {
    const { coordinator, run, log } = postamble();
    coordinator.ingest(readyFrame(token));
    const broken = run('echo )');
    const brokenToken = postambleToken(broken.textToWrite);
    coordinator.ingest(`syntax error\r\n${completeFrame(brokenToken, 2, '/w')}`);
    expect(broken.settled).toMatchObject({ exitCode: 2 });
    const next = run('true');
    coordinator.ingest(
      `${completeFrame(brokenToken, 0, '/w')}ok${completeFrame(postambleToken(next.textToWrite), 0, '/w')}`,
    );
    expect(next.settled).toMatchObject({ exitCode: 0 });
    expect(log.outputText()).toBe('syntax error\r\nok');
  });

  test('a frame with the session token or another run token does not complete the run', () => {
    const { coordinator, run } = postamble();
    const first = run('a');
    const second = run('b');
    coordinator.ingest(completeFrame(token, 0, '/'));
    coordinator.ingest(completeFrame(postambleToken(second.textToWrite), 5, '/'));
    expect(first.settled).toBeUndefined();
    expect(second.settled).toMatchObject({ exitCode: 5 });
    coordinator.ingest(completeFrame(postambleToken(second.textToWrite), 6, '/'));
    expect(first.settled).toBeUndefined();
  });

  test('an incomplete-command frame ends the run with 2; its postamble, echoed or run later, shows and completes nothing', async () => {
    const { coordinator, run, log } = postamble();
    coordinator.ingest(readyFrame(token));
    const incomplete = run('echo "open');
    const [line] = incomplete.textToWrite.split('\r');
    coordinator.ingest(`echo "open\r\nnot run\r\n${incompleteFrame(token, '/w')}`);
    await expect(incomplete.wait(0)).resolves.toMatchObject({
      kind: 'completed',
      exitCode: 2,
      cwd: '/w',
    });
    // The shell reads the postamble line after the interrupt, and runs it with the interrupt's status.
    coordinator.ingest(
      `\r\n${line}\r\n${completeFrame(postambleToken(incomplete.textToWrite), 130, '/w')}`,
    );
    const next = run('true');
    coordinator.ingest(completeFrame(postambleToken(next.textToWrite), 0, '/w'));
    await expect(next.wait(0)).resolves.toMatchObject({ kind: 'completed', exitCode: 0 });
    // Even later, its frame is still known: stripped, never shown with its token.
    coordinator.ingest(`late${completeFrame(postambleToken(incomplete.textToWrite), 130, '/w')}`);
    expect(log.timeline()).toEqual([
      'echo "open\r\nnot run\r\n',
      { complete: incomplete.runId, exitCode: 2, cwd: '/w' },
      '\r\n',
      { complete: next.runId, exitCode: 0, cwd: '/w' },
      'late',
    ]);
  });

  test('an incomplete-command frame with no run waiting, or another token, ends nothing', () => {
    const { coordinator, run } = postamble();
    coordinator.ingest(incompleteFrame(token, '/'));
    const handle = run('a');
    coordinator.ingest(incompleteFrame(postambleToken(handle.textToWrite), '/'));
    expect(handle.settled).toBeUndefined();
    coordinator.ingest(incompleteFrame(token, '/'));
    expect(handle.settled).toMatchObject({ exitCode: 2 });
  });

  test('ksh93 statuses for signals (256 + n) are reported as 128 + n', () => {
    const { coordinator, run } = postamble();
    const handle = run('sleep 100');
    coordinator.ingest(completeFrame(postambleToken(handle.textToWrite), 258, '/'));
    expect(handle.settled).toMatchObject({ exitCode: 130 });
  });

  test('multi-line commands and control characters are refused with what to do instead', () => {
    const { coordinator } = postamble();
    expect(() => coordinator.prepare('cat <<EOF\nhi\nEOF')).toThrow(/save them as a script/);
    expect(() => coordinator.prepare('a\tb')).toThrow(
      expect.objectContaining({ code: 'INVALID_COMMAND' }) as Error,
    );
  });

  test('probe() prints a ready frame from a shell started without the integration', async () => {
    const { coordinator, log } = postamble();
    const probe = coordinator.probe();
    const line = probe.slice(0, -1);
    const probeToken = /lifeline;([A-Za-z0-9]+);R/.exec(probe)?.[1] ?? '';
    coordinator.ingest(`${line}\r\n${readyFrame(probeToken)}$ `);
    await expect(coordinator.ready).resolves.toEqual({ kind: 'ready', cwd: undefined });
    expect(log.outputText()).toBe('$ ');
  });
});

describe('input', () => {
  test('bytes are scanned like strings and output keeps the ingested form', () => {
    const { coordinator, run, log } = promptHook();
    const handle = run('ls');
    const encoded = new TextEncoder().encode(
      `é${startFrame(token, 1)}x${promptFrame(token, 1, 0, '/')}`,
    );
    coordinator.ingest(encoded.subarray(0, 1));
    coordinator.ingest(encoded.subarray(1));
    expect(handle.settled).toMatchObject({ kind: 'completed' });
    expect(
      log.events.every((event) => event.type !== 'output' || event.data instanceof Uint8Array),
    ).toBe(true);
    expect(log.outputText()).toBe('éx');
  });

  test('a callback that calls ingest() is refused', () => {
    let caught: unknown;
    const coordinator = createRunCoordinator({
      mode: 'prompt-hook',
      token,
      appendOutput: () => {
        try {
          coordinator.ingest('again');
        } catch (error) {
          caught = error;
        }
      },
      appendRunComplete: () => 0,
    });
    coordinator.ingest('once');
    expect(caught).toMatchObject({ code: 'REENTRANT_INGEST' });
  });

  test('invalid options are refused with clear errors', () => {
    const base = { appendOutput: () => undefined, appendRunComplete: () => 0 };
    expect(() => createRunCoordinator({ ...base, mode: 'prompt-hook', token: 'short' })).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN' }) as Error,
    );
    expect(() =>
      createRunCoordinator({ ...base, mode: 'sometimes' as 'postamble', token }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }) as Error);
    expect(() =>
      createRunCoordinator({ ...base, mode: 'postamble', token, maxRegistrations: 0 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }) as Error);
    // No options at all: said in those words, not as a property read of undefined.
    expect(() => createRunCoordinator(undefined as unknown as RunCoordinatorOptions)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('createRunCoordinator takes its options') as unknown,
      }) as Error,
    );
  });

  test('a number given as a string is refused, and the message shows it was a string', async () => {
    const base = { appendOutput: () => undefined, appendRunComplete: () => 0 };
    const asText = (value: string) => value as unknown as number;
    expect(() =>
      createRunCoordinator({ ...base, mode: 'postamble', token, idleFlushMs: asText('30') }),
    ).toThrow('idleFlushMs must be a number of milliseconds >= 0, got "30"');
    expect(() =>
      createRunCoordinator({ ...base, mode: 'postamble', token, maxRegistrations: asText('8') }),
    ).toThrow('maxRegistrations must be a positive integer, got "8"');
    const { coordinator } = postamble();
    expect(() => coordinator.register(coordinator.prepare('ls'), asText('3'))).toThrow(
      'startSeq must be the non-negative integer seq of the run_start event, got "3"',
    );
    const handle = coordinator.register(coordinator.prepare('ls'), 3);
    await expect(handle.wait(asText('100'))).rejects.toThrow(
      'wait() needs a timeout in milliseconds (>= 0, or Infinity), got "100"',
    );
  });
});
