import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import type { EventPayload, SessionEvent } from '@lifeline/protocol';
import type { CompletionMode } from '@lifeline/run-completion';
import { describe, expect, test } from 'vitest';
import { createDisplayLines } from './display-lines.js';
import type { OutputLines } from './output-lines.js';
import { createEmulatedScreen } from '../terminal/emulated-screen.js';
import { TranscriptFold } from './transcript-fold.js';

/** Lines split on newlines, nothing else: enough to test the fold itself. */
function plainLines(): OutputLines {
  let partial = '';
  return {
    push(data) {
      const parts = (partial + data).split('\n');
      partial = parts.pop() ?? '';
      return parts;
    },
    end() {
      const rest = partial;
      partial = '';
      return rest === '' ? [] : [rest];
    },
    get partial() {
      return partial;
    },
  };
}

/** A fold of a `shell` session whose prompt and edit line are drawn on a prompt screen of their own. */
function promptScreenFold(shell = '/bin/bash'): TranscriptFold {
  const transcript = new TranscriptFold({
    sid: 's',
    createLines: plainLines,
    createRunLines: createEmulatedScreen,
    promptScreen: true,
  });
  transcript.setShell(shell, 'prompt-hook');
  return transcript;
}

function log(payloads: EventPayload[]): SessionEvent[] {
  return payloads.map((payload, seq) => ({ seq, time: 1000 + seq, ...payload }));
}

/** The output shown between runs. */
function idleLines(transcript: TranscriptFold): string[] {
  return transcript
    .snapshot()
    .blocks.flatMap((block) =>
      block.kind === 'output' && block.runId === undefined ? block.lines : [],
    );
}

/**
 * A session started in `/w` on a terminal `cols` by `rows`, its shell ready, and a function that
 * applies the next event at `time` (seqs counted from 0).
 */
function startedSession(
  transcript: TranscriptFold,
  size: { cols: number; rows: number },
): (time: number, payload: EventPayload) => void {
  let seq = 0;
  const at = (time: number, payload: EventPayload) => {
    transcript.apply({ seq: seq++, time, ...payload });
  };
  at(0, { type: 'host_start', pid: 1, cwd: '/w' });
  at(0, { type: 'resize', ...size });
  at(0, { type: 'shell_ready', cwd: '/w' });
  return at;
}

/**
 * In a session of {@link startedSession}: run `runId` (started at seq `startSeq`) ends at `time`
 * with 0.
 */
function ended(
  at: ReturnType<typeof startedSession>,
  time: number,
  runId: string,
  startSeq: number,
): void {
  at(time, { type: 'run_complete', runId, startSeq, exitCode: 0, cwd: '/w', durationMs: 1 });
}

/**
 * The output shown between runs when a background job's run has ended and `after` follows (output
 * as strings, other events as they are), in a session of `shell`.
 */
function idleAfterBackgroundRun(
  after: (string | EventPayload)[],
  shell?: string,
  mode?: CompletionMode,
): string[] {
  const transcript = fold({ createLines: createDisplayLines });
  if (shell !== undefined) transcript.setShell(shell, mode);
  for (const event of log([
    { type: 'run_start', runId: 'r1', command: 'job &' },
    { type: 'run_complete', runId: 'r1', startSeq: 0, exitCode: 0, cwd: '/', durationMs: 1 },
    ...after.map((item): EventPayload =>
      typeof item === 'string' ? { type: 'output', data: item } : item,
    ),
  ]))
    transcript.apply(event);
  return idleLines(transcript);
}

/** `count` runs `r0`, `r1`… of `command(run)`, each printing `output(run)` and ending with 0. */
function completedRuns(
  count: number,
  command: (run: number) => string,
  output?: (run: number) => string,
): EventPayload[] {
  return Array.from({ length: count }, (_, run): EventPayload[] => [
    { type: 'run_start', runId: `r${run}`, command: command(run) },
    ...(output ? [{ type: 'output' as const, data: output(run) }] : []),
    { type: 'run_complete', runId: `r${run}`, startSeq: 0, exitCode: 0, cwd: '/', durationMs: 1 },
  ]).flat();
}

function fold(options: Partial<ConstructorParameters<typeof TranscriptFold>[0]> = {}) {
  return new TranscriptFold({ sid: 's', createLines: plainLines, ...options });
}

/** A fold with display lines (as the TUI has) that has applied the events of `payloads`. */
function displayFold(payloads: EventPayload[]): TranscriptFold {
  const transcript = fold({ createLines: createDisplayLines });
  for (const event of log(payloads)) transcript.apply(event);
  return transcript;
}

const session = log([
  { type: 'host_start', pid: 1, cwd: '/home' },
  { type: 'resize', cols: 80, rows: 24 },
  { type: 'output', data: '$ ' },
  { type: 'run_start', runId: 'r1', command: 'echo hi' },
  { type: 'output', data: 'echo hi\n' },
  { type: 'output', data: 'hi\n' },
  { type: 'run_complete', runId: 'r1', startSeq: 3, exitCode: 0, cwd: '/home', durationMs: 12 },
  { type: 'output', data: '$ ' },
  { type: 'run_start', runId: 'r2', command: 'false' },
  { type: 'output', data: 'false\n' },
  { type: 'run_complete', runId: 'r2', startSeq: 8, exitCode: 1, cwd: '/tmp', durationMs: 3 },
  { type: 'run_start', runId: 'r3', command: 'sleep 100' },
  { type: 'output', data: 'sleep 100\npartial' },
]);

describe('TranscriptFold', () => {
  test('a full disk is said from its note until room returns or a new shell starts', () => {
    const transcript = fold();
    const events = log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'note', text: 'the disk is full', condition: 'disk_full' },
      { type: 'output', data: 'held\n' },
      { type: 'note', text: 'there is room again', condition: 'disk_space_returned' },
      { type: 'note', text: 'the disk is full', condition: 'disk_full' },
      { type: 'host_exit', code: 0, signal: null },
      { type: 'host_start', pid: 2, cwd: '/' },
    ]);
    const diskFullAfter = events.map((event) => {
      transcript.apply(event);
      return transcript.snapshot().diskFull;
    });
    expect(diskFullAfter).toEqual([false, true, true, false, true, true, false]);
    expect(transcript.snapshot().blocks).toContainEqual(
      expect.objectContaining({ kind: 'note', text: 'the disk is full', tone: 'warning' }),
    );
  });

  test('output a run dropped on a full disk, piece by piece, is one line under its output that counts it all', () => {
    const transcript = fold();
    const dropped = (bytes: number) => ({
      type: 'note' as const,
      text: `${bytes} bytes of output were dropped: the disk was full`,
      condition: 'output_dropped' as const,
      lostBytes: bytes,
    });
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'run_start', runId: 'r1', command: 'seq 1 5000000' },
      { type: 'output', data: '1\r\n' },
      { type: 'note', text: 'the disk is full', condition: 'disk_full' },
      dropped(65_536),
      dropped(65_536),
      dropped(1000),
      { type: 'run_complete', runId: 'r1', startSeq: 1, exitCode: 0, cwd: '/', durationMs: 9 },
    ]))
      expect(transcript.apply(event)).toBe('applied');
    const { blocks, diskFull } = transcript.snapshot();
    expect(blocks.filter((block) => block.kind === 'note').map((note) => note.text)).toEqual([
      'the disk is full',
      '132072 bytes of output were dropped: the disk was full',
    ]);
    // A piece dropped says nothing of whether the disk has room again.
    expect(diskFull).toBe(true);
  });

  test('where output was dropped on a full disk, the run’s output says so on a line of its own: the line cut there is not spliced to what came after', () => {
    const transcript = fold({
      createLines: createDisplayLines,
      createRunLines: createEmulatedScreen,
    });
    const dropped = {
      type: 'note' as const,
      text: '65536 bytes of output were dropped: the disk was full',
      condition: 'output_dropped' as const,
      lostBytes: 65_536,
    };
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'run_start', runId: 'r1', command: 'seq 1 5000000' },
      { type: 'output', data: '1\r\n2\r\n3' },
      { type: 'note', text: 'the disk is full', condition: 'disk_full' },
      dropped,
      dropped,
      { type: 'note', text: 'the disk has room again', condition: 'disk_space_returned' },
      { type: 'output', data: '0016\r\n90017\r\n' },
      // A second gap, after a line end: no empty line before its mark.
      { type: 'note', text: 'the disk is full', condition: 'disk_full' },
      dropped,
      { type: 'output', data: '90500\r\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 1, exitCode: 0, cwd: '/', durationMs: 9 },
    ]))
      expect(transcript.apply(event)).toBe('applied');
    const output = transcript
      .snapshot()
      .blocks.flatMap((block) =>
        block.kind === 'output'
          ? block.lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''))
          : [],
      );
    const mark = '⚠ output dropped here: the disk was full';
    expect(output).toEqual(['1', '2', '3', mark, '0016', '90017', mark, '90500']);
  });

  test('seqs a host lost on a full disk show once, as the note that says so: the notes without text show nothing', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'note', text: '3 events of this session were lost' },
      { type: 'note', text: '' },
      { type: 'note', text: '' },
      { type: 'host_start', pid: 2, cwd: '/' },
    ]))
      expect(transcript.apply(event)).toBe('applied');
    const notes = transcript.snapshot().blocks.filter((block) => block.kind === 'note');
    expect(notes).toMatchObject([
      { text: '3 events of this session were lost' },
      { text: 'new shell in /' },
    ]);
  });

  test('shows each run as its command, its output without the echoed command line, and its outcome', () => {
    const transcript = fold();
    for (const event of session) expect(transcript.apply(event)).toBe('applied');
    const view = transcript.snapshot();
    expect(
      view.blocks.map((block) =>
        block.kind === 'output'
          ? block.lines
          : block.kind === 'command'
            ? `$ ${block.command}`
            : block.kind === 'footer'
              ? block.outcome
              : block.kind === 'note'
                ? block.text
                : block.clear,
      ),
    ).toEqual([
      '$ echo hi',
      ['hi'],
      { kind: 'exit', exitCode: 0, durationMs: 12 },
      '$ false',
      { kind: 'exit', exitCode: 1, durationMs: 3 },
      '$ sleep 100',
    ]);
    expect(view.live).toMatchObject({
      runId: 'r3',
      command: 'sleep 100',
      screen: ['partial'],
      startedAt: 1011,
    });
    expect(view.cwd).toBe('/tmp');
    expect(view.history).toEqual(['echo hi', 'false', 'sleep 100']);
    expect(view.lastSeq).toBe(session.length - 1);
  });

  test('a command typed ahead of the line editor is echoed twice; neither echo is shown', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'run_start', runId: 'r1', command: 'make' },
      { type: 'output', data: 'make\nuser@host:~$ make\nbuilding\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 0, exitCode: 0, cwd: '/', durationMs: 1 },
    ]))
      transcript.apply(event);
    const outputs = transcript
      .snapshot()
      .blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []));
    expect(outputs).toEqual(['building']);
  });

  test('output of a background job after the prompt is shown without the prompt, and so is what follows it', () => {
    const transcript = displayFold([
      { type: 'run_start', runId: 'r1', command: '(sleep 1; echo bg-done) &' },
      { type: 'output', data: '(sleep 1; echo bg-done) &\r\n[1] 42\r\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 0, exitCode: 0, cwd: '/', durationMs: 1 },
      { type: 'output', data: '\x1b[?2004huser@host:~$ ' },
      { type: 'output', data: 'bg-done\r\n' },
      // Once the line after the prompt is done, a line in pieces is kept whole.
      { type: 'output', data: 'part ' },
      { type: 'output', data: 'two\r\n' },
    ]);
    expect(idleLines(transcript)).toEqual(['bg-done', 'part two']);
  });

  test('a shell that draws no prompt (dash): output after a run is never taken for one', () => {
    expect(
      idleAfterBackgroundRun(['a\r\nb\r\nprogress 3/10', ' done\r\n'], '/usr/bin/dash'),
    ).toEqual(['a', 'b', 'progress 3/10 done']);
  });

  test('a background job writing a line in pieces after the prompt: the line is kept whole', () => {
    expect(idleAfterBackgroundRun(['user@host:~$ ', 'downloading… ', '42%\r\n'])).toEqual([
      'downloading… 42%',
    ]);
  });

  test('which shells draw a prompt: a POSIX sh keeps the unfinished line it printed; a shell run as it is has its prompt left out', () => {
    const nextRun = { type: 'run_start', runId: 'r2', command: 'true' } as const;
    expect(idleAfterBackgroundRun(['done', nextRun], '/bin/dash')).toEqual(['done']);
    expect(idleAfterBackgroundRun(['done', nextRun], '/usr/bin/nu')).toEqual([]);
    // A bash the host runs in postamble mode (older than 4.4) draws none; one taken for recent does.
    expect(idleAfterBackgroundRun(['done', nextRun], '/bin/bash', 'postamble')).toEqual(['done']);
    expect(idleAfterBackgroundRun(['done', nextRun], '/bin/bash')).toEqual([]);
    expect(idleAfterBackgroundRun(['done', nextRun], '/bin/bash', 'prompt-hook')).toEqual([]);
  });

  test("a prompt drawn again after a job's report (zsh), in one piece with it or not, is left out of what follows", () => {
    const report = '\r\n[1]  + 42 done       sleep 1\r\n';
    for (const pieces of [[`${report}\r\n~/src\r\n❯ `], [report, '❯ ']]) {
      expect(idleAfterBackgroundRun(['❯ ', ...pieces, 'later\r\n'])).toEqual([
        '',
        '[1]  + 42 done       sleep 1',
        'later',
      ]);
    }
  });

  test('a run whose end never came is closed as such when the next one starts', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'run_start', runId: 'r1', command: 'make' },
      { type: 'run_start', runId: 'r2', command: 'ls' },
    ]))
      transcript.apply(event);
    expect(transcript.snapshot().blocks[1]).toMatchObject({
      kind: 'footer',
      runId: 'r1',
      outcome: { kind: 'unfinished' },
    });
  });

  test('a prompt of several lines is left out after each run; a greeting before the first prompt stays', () => {
    const transcript = displayFold([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'output', data: 'Welcome aboard\r\n\r\n~/src on main\r\n❯ ' },
      { type: 'run_start', runId: 'r1', command: 'true' },
      { type: 'output', data: 'true\r\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 2, exitCode: 0, cwd: '/', durationMs: 1 },
      { type: 'output', data: '\r\n~/src on main\r\n\x1b[32m❯\x1b[0m ' },
      { type: 'output', data: 'bg-done\r\n' },
      { type: 'run_start', runId: 'r2', command: 'true' },
      { type: 'output', data: 'true\r\n' },
      { type: 'run_complete', runId: 'r2', startSeq: 7, exitCode: 0, cwd: '/', durationMs: 1 },
      // A background job's end is reported right before the prompt.
      { type: 'output', data: '[1]+  Done                    sleep 1\r\n\r\n~/src on main\r\n❯ ' },
    ]);
    expect(idleLines(transcript)).toEqual([
      'Welcome aboard',
      '',
      '~/src on main',
      'bg-done',
      '[1]+  Done                    sleep 1',
    ]);
  });

  test('a shell that says when it is ready: its greeting stays, and every prompt is left out whole, in however many pieces', () => {
    const transcript = displayFold([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'output', data: 'Welcome aboard\r\n' },
      { type: 'shell_ready', cwd: '/src' },
      // The prompt's upper lines (a blank one on its own), then its last line.
      { type: 'output', data: '\x1b[?2004h\r\n' },
      { type: 'output', data: '~/src on main\r\n' },
      { type: 'output', data: '❯ ' },
      { type: 'run_start', runId: 'r1', command: 'true' },
      { type: 'output', data: 'true\r\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 6, exitCode: 0, cwd: '/src', durationMs: 1 },
      // A job's report, then the upper lines, then the last line drawn a moment later.
      { type: 'output', data: '[1]+  Done                    sleep 1\r\n\r\n~/src on main\r\n' },
      { type: 'output', data: '\x1b[32m❯\x1b[0m ' },
      { type: 'output', data: 'a background job\r\n' },
      { type: 'run_start', runId: 'r2', command: 'true' },
      { type: 'output', data: 'true\r\n' },
      { type: 'run_complete', runId: 'r2', startSeq: 13, exitCode: 0, cwd: '/src', durationMs: 1 },
      // A prompt whose last line holds nothing visible is left out when the next run starts.
      { type: 'output', data: '[2]+  Done                    make\r\n\r\n~/src on main\r\n' },
      { type: 'run_start', runId: 'r3', command: 'true' },
    ]);
    expect(idleLines(transcript)).toEqual([
      'Welcome aboard',
      '[1]+  Done                    sleep 1',
      'a background job',
      '[2]+  Done                    make',
    ]);
    expect(transcript.shellCwd).toBe('/src');
  });

  test('what comes while a prompt is due but is more than a prompt, or later than one, is output', () => {
    const shown = (after: { data: string; at: number }[]): string[] => {
      const transcript = fold({ createLines: createDisplayLines });
      const events: SessionEvent[] = [
        { seq: 0, time: 0, type: 'host_start', pid: 1, cwd: '/' },
        { seq: 1, time: 10, type: 'shell_ready' },
        ...after.map(({ data, at }, index): SessionEvent => ({
          seq: index + 2,
          time: at,
          type: 'output',
          data,
        })),
        { seq: after.length + 2, time: 100_000, type: 'run_start', runId: 'r1', command: 'true' },
      ];
      for (const event of events) transcript.apply(event);
      return idleLines(transcript);
    };
    // Six lines of a job, then the prompt: a prompt has fewer upper lines than that.
    expect(
      shown([
        { data: 'a\r\nb\r\nc\r\nd\r\ne\r\nf\r\n', at: 20 },
        { data: '❯ ', at: 30 },
      ]),
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(shown([{ data: 'a\r\nb\r\nc\r\nd\r\ne\r\n❯ ', at: 20 }])).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    // A job's line seconds after the shell was ready, then one more before the next run.
    expect(
      shown([
        { data: '~/src\r\n', at: 20 },
        { data: 'server up\r\n', at: 5000 },
        { data: 'GET /\r\n', at: 9000 },
      ]),
    ).toEqual(['~/src', 'server up', 'GET /']);
    // In time and few: the upper lines of a prompt whose last line shows nothing.
    expect(
      shown([
        { data: '~/src\r\n', at: 20 },
        { data: '\r\n', at: 25 },
      ]),
    ).toEqual([]);
  });

  test('a line left unfinished before the shell said it is ready is a prompt drawn early, not a greeting', () => {
    const transcript = displayFold([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'output', data: 'Welcome, Ada\r\n' },
      // zsh's instant prompt: drawn from a cache before the shell is ready, then drawn again.
      { type: 'output', data: '❯ ' },
      { type: 'shell_ready' },
      { type: 'output', data: '\r\n~/src\r\n❯ ' },
      { type: 'run_start', runId: 'r1', command: 'true' },
    ]);
    expect(idleLines(transcript)).toEqual(['Welcome, Ada']);
  });

  test("lines held as a prompt's upper lines are shown when no prompt follows: the shell exited, or a note came", () => {
    const afterRun = (ending: EventPayload): string[] => {
      const transcript = displayFold([
        { type: 'host_start', pid: 1, cwd: '/' },
        { type: 'shell_ready' },
        { type: 'output', data: '❯ ' },
        { type: 'run_start', runId: 'r1', command: 'make &' },
        { type: 'run_complete', runId: 'r1', startSeq: 3, exitCode: 0, cwd: '/', durationMs: 1 },
        { type: 'output', data: 'make: done\r\n' },
        ending,
      ]);
      return idleLines(transcript);
    };
    expect(afterRun({ type: 'host_exit', code: 0, signal: null })).toEqual(['make: done']);
    expect(afterRun({ type: 'note', text: 'resumed' })).toEqual(['make: done']);
  });

  test('a snapshot never changes: events applied after it are not in its blocks or history', () => {
    const transcript = fold();
    const events = log([
      { type: 'run_start', runId: 'r1', command: 'vim notes' },
      { type: 'output', data: 'vim notes\r\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 0, exitCode: 0, cwd: '/', durationMs: 5 },
      { type: 'run_start', runId: 'r2', command: 'ls' },
    ]);
    for (const event of events.slice(0, 2)) transcript.apply(event);
    const running = transcript.snapshot();
    const blocks = [...running.blocks];
    for (const event of events.slice(2)) transcript.apply(event);
    // Whoever still holds the earlier snapshot (a frame being drawn) sees the run as running, and
    // must not print its result as if it had ended.
    expect(running.live?.runId).toBe('r1');
    expect(running.blocks).toEqual(blocks);
    expect(running.history).toEqual(['vim notes']);
    expect(transcript.snapshot().blocks.map((block) => block.kind)).toEqual([
      'command',
      'footer',
      'command',
    ]);
  });

  test("says whether a running command's echo may still come: until its line is in, for a shown prompt", () => {
    const transcript = fold();
    const events = log([
      { type: 'output', data: '$ ' },
      { type: 'run_start', runId: 'r1', command: 'read x' },
      { type: 'output', data: 'read' },
      { type: 'output', data: ' x\r\n' },
    ]);
    const awaiting = events.map((event) => {
      transcript.apply(event);
      return transcript.snapshot().live?.awaitingEcho;
    });
    expect(awaiting).toEqual([undefined, true, true, false]);
  });

  test("a running command's screen goes down to its cursor, under the echo left out, unless the program hides it", () => {
    const transcript = fold({
      createLines: createDisplayLines,
      createRunLines: createEmulatedScreen,
    });
    const command = "read -p 'Name: ' x";
    const live = (data: string) => {
      transcript.apply({ seq: transcript.lastSeq + 1, time: 1000, type: 'output', data });
      const run = transcript.snapshot().live;
      return { screen: run?.screen, cursor: run?.cursor };
    };
    for (const event of log([
      { type: 'resize', cols: 40, rows: 5 },
      { type: 'output', data: '$ ' },
      { type: 'run_start', runId: 'r1', command },
    ]))
      transcript.apply(event);
    expect(live(`${command}\r\nName: `)).toEqual({
      screen: ['Name: '],
      cursor: { row: 0, column: 6 },
    });
    expect(live('\x1b[?25l')).toEqual({ screen: ['Name:'], cursor: undefined });
    expect(live('\x1b[?25hBob\r\n')).toEqual({
      screen: ['Name: Bob', ''],
      cursor: { row: 1, column: 0 },
    });
  });

  test("a line whose start scrolled off a running command's screen is in the transcript once it ended: its end is left out of the screen, the cursor moved up with the rows", () => {
    const transcript = fold({
      createLines: createDisplayLines,
      createRunLines: createEmulatedScreen,
    });
    for (const event of log([
      { type: 'resize', cols: 10, rows: 4 },
      { type: 'output', data: '$ ' },
      { type: 'run_start', runId: 'r1', command: 'cat f' },
      { type: 'output', data: 'cat f\r\n' },
      // Each line takes two rows: the third's first row leaves the screen, its second is the top.
      { type: 'output', data: 'line-1-abcdefghi\r\nline-2-abcdefghi\r\nline-3-abcdefghi\r\n' },
    ]))
      transcript.apply(event);
    // The echo and line 1 scrolled off, and line 2's first row: its second is the screen's top.
    const { blocks, live } = transcript.snapshot();
    expect(blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []))).toEqual([
      'line-1-abcdefghi',
      'line-2-abcdefghi',
    ]);
    expect(live?.screen).toEqual(['line-3-abc', 'defghi', '']);
    expect(live?.cursor).toEqual({ row: 2, column: 0 });
    expect(live?.screenContinued).toEqual([true, false, false]);
  });

  test('only what the shell echoed of the typed line is left out: a sourced multi-line command, output ending with the command', () => {
    const transcript = displayFold([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'output', data: '\x1b[?2004huser@host:~$ ' },
      { type: 'run_start', runId: 'r1', command: 'echo a\necho b' },
      {
        type: 'output',
        data: ". '/home/u/.lifeline/sessions/s_1/scripts/f9e1b3f5-f209-4143-a070-701a3366203b.sh'\r\n\x1b[?2004l\ra\r\nb\r\n",
      },
      { type: 'run_complete', runId: 'r1', startSeq: 2, exitCode: 0, cwd: '/', durationMs: 1 },
      { type: 'output', data: '\x1b[?2004huser@host:~$ ' },
      { type: 'run_start', runId: 'r2', command: 'history 1' },
      { type: 'output', data: 'history 1\r\n\x1b[?2004l\r    2  history 1\r\n' },
      { type: 'run_complete', runId: 'r2', startSeq: 6, exitCode: 0, cwd: '/', durationMs: 1 },
    ]);
    const outputs = transcript
      .snapshot()
      .blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []));
    expect(outputs).toEqual(['a', 'b', '    2  history 1']);
  });

  test('the prompt a shell leaves when it exits is not a transcript line', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'output', data: 'user@host:~$ ' },
      { type: 'host_exit', code: 0, signal: null },
    ]))
      transcript.apply(event);
    expect(transcript.snapshot().blocks.map((block) => block.kind)).toEqual(['note']);
  });

  test('a note that comes while a run goes on follows what it printed before, above its footer', () => {
    // The run's screen keeps its last lines until it ends, as the TUI's does.
    const transcript = fold({ createRunLines: createEmulatedScreen });
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'run_start', runId: 'r1', command: 'tick' },
      { type: 'output', data: 'tick1\r\ntick2\r\n' },
      { type: 'note', text: 'the session host (pid 7) died without recording its exit' },
      { type: 'host_exit', code: null, signal: 'SIGKILL' },
    ]))
      transcript.apply(event);
    expect(
      transcript
        .snapshot()
        .blocks.map((block) =>
          block.kind === 'output'
            ? block.lines.join('|')
            : block.kind === 'note'
              ? block.text
              : block.kind,
        ),
    ).toEqual([
      'command',
      'tick1|tick2',
      'the session host (pid 7) died without recording its exit',
      'footer',
    ]);
  });

  test('a shell that exits during a run closes it, saying how; a new host is announced', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'run_start', runId: 'r1', command: 'exit 3' },
      { type: 'host_exit', code: 3, signal: null },
      { type: 'host_exit', code: null, signal: 'SIGKILL' },
      { type: 'host_start', pid: 2, cwd: '/srv' },
    ]))
      transcript.apply(event);
    const view = transcript.snapshot();
    expect(view.blocks.map((block) => block.kind)).toEqual(['command', 'footer', 'note', 'note']);
    expect(view.blocks[1]).toMatchObject({ outcome: { kind: 'shell-exited', how: 'code 3' } });
    expect(view.blocks[2]).toMatchObject({
      text: expect.stringContaining('SIGKILL') as unknown,
      tone: 'warning',
    });
    expect(view.blocks[3]).toMatchObject({ text: 'new shell in /srv' });
    expect(view.hostLive).toBe(true);
  });

  test('a session host killed during a run (no exit recorded) is said to be that, not a shell that exited of itself', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/' },
      { type: 'run_start', runId: 'r1', command: 'sleep 100' },
      { type: 'note', text: 'the previous session host ended without recording its exit' },
      { type: 'host_exit', code: null, signal: null },
    ]))
      transcript.apply(event);
    const footer = transcript.snapshot().blocks.find((block) => block.kind === 'footer');
    expect(footer).toMatchObject({
      outcome: {
        kind: 'shell-exited',
        how: 'its session host was killed or crashed; `lifeline logs` may say why',
      },
    });
  });

  test('events it already has are ignored and an event after a gap is refused', () => {
    const transcript = fold();
    const [first, second, third] = session;
    expect(transcript.apply(first!)).toBe('applied');
    expect(transcript.apply(first!)).toBe('duplicate');
    expect(transcript.apply(third!)).toBe('gap');
    expect(transcript.lastSeq).toBe(0);
    expect(transcript.apply(second!)).toBe('applied');
  });

  test('keeps at most maxLinesPerRun lines of a run and counts the rest as hidden', () => {
    const transcript = fold({ maxLinesPerRun: 100 });
    const events: EventPayload[] = [{ type: 'run_start', runId: 'flood', command: 'yes' }];
    for (let chunk = 0; chunk < 50; chunk += 1)
      events.push({ type: 'output', data: 'y\n'.repeat(20) });
    for (const event of log(events)) transcript.apply(event);
    const outputs = transcript.snapshot().blocks.filter((block) => block.kind === 'output');
    const kept = outputs.reduce((total, block) => total + block.lines.length, 0);
    const hidden = outputs.reduce((total, block) => total + block.hidden, 0);
    expect(kept).toBe(100);
    expect(kept + hidden).toBe(1000);
  });

  test('keeps the blocks of the last maxRuns runs only', () => {
    const transcript = fold({ maxRuns: 3 });
    for (const event of log(completedRuns(10, (run) => `echo ${run}`))) transcript.apply(event);
    const view = transcript.snapshot();
    expect(
      view.blocks.flatMap((block) => (block.kind === 'command' ? [block.command] : [])),
    ).toEqual(['echo 7', 'echo 8', 'echo 9']);
    expect(view.droppedBlocks).toBe(14);
    expect(view.history).toHaveLength(10);
  });

  test('keeps at most maxLines output lines across runs, dropping the oldest runs as a run starts', () => {
    const transcript = fold({ maxLines: 250 });
    const runs = completedRuns(
      5,
      (run) => `seq ${run}`,
      (run) => `${run}\n`.repeat(100),
    );
    for (const event of log(runs)) transcript.apply(event);
    const view = transcript.snapshot();
    // As r4 started, r0 to r3 held 400 lines: r0 and r1 went, which left 200.
    expect(
      view.blocks.flatMap((block) => (block.kind === 'command' ? [block.command] : [])),
    ).toEqual(['seq 2', 'seq 3', 'seq 4']);
    // The run starting is never dropped; one before it over the limit alone goes.
    const long = fold({ maxLines: 50, maxLinesPerRun: 80 });
    for (const event of log([
      { type: 'run_start', runId: 'a', command: 'a' },
      { type: 'output', data: 'a\n'.repeat(100) },
      { type: 'run_start', runId: 'b', command: 'b' },
    ]))
      long.apply(event);
    expect(
      long.snapshot().blocks.flatMap((block) => (block.kind === 'command' ? [block.command] : [])),
    ).toEqual(['b']);
  });

  test('replaying a log equals applying it live, in any batches, with repeated deliveries after reconnects', () => {
    const payload = fc.oneof(
      fc.record({
        type: fc.constant('output' as const),
        data: fc.string({ maxLength: 30 }).map((text) => text.replaceAll('\r', '')),
      }),
      fc.record({
        type: fc.constant('run_start' as const),
        runId: fc.constantFrom('a', 'b', 'c'),
        command: fc.constantFrom('ls', 'make', 'echo x'),
      }),
      fc.record({
        type: fc.constant('run_complete' as const),
        runId: fc.constantFrom('a', 'b', 'c'),
        startSeq: fc.nat(),
        exitCode: fc.integer({ min: 0, max: 255 }),
        cwd: fc.constantFrom('/', '/tmp'),
        durationMs: fc.nat(),
      }),
      fc.record({
        type: fc.constant('host_exit' as const),
        code: fc.constantFrom(0, null),
        signal: fc.constantFrom(null, 'SIGKILL'),
      }),
      fc.record({
        type: fc.constant('host_start' as const),
        pid: fc.nat(),
        cwd: fc.constantFrom('/', '/srv'),
      }),
      fc.record({ type: fc.constant('shell_ready' as const), cwd: fc.constantFrom('/', '/srv') }),
    );
    fc.assert(
      fc.property(
        fc.array(payload, { maxLength: 60 }),
        fc.array(fc.nat({ max: 8 }), { maxLength: 30 }),
        (payloads, replays) => {
          const events = log(payloads);
          const whole = fold({ maxLinesPerRun: 5 });
          for (const event of events) whole.apply(event);

          // Live: batches, with a reconnect after each that replays a few events it already had.
          const live = fold({ maxLinesPerRun: 5 });
          let position = 0;
          for (const replay of replays) {
            const end = Math.min(events.length, position + replay + 1);
            for (const event of events.slice(Math.max(0, position - replay), end))
              live.apply(event);
            live.snapshot();
            position = end;
          }
          for (const event of events.slice(position)) live.apply(event);
          expect(live.snapshot()).toEqual(whole.snapshot());
        },
      ),
      fuzzParameters('transcript fold: batches and replays'),
    );
  });
});

describe("the shell's own line editor between runs", () => {
  const fold = promptScreenFold;

  test('its prompt and edit line are drawn on a screen of their own, never in the transcript; the run has no echo', () => {
    const transcript = fold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/w' },
      { type: 'resize', cols: 40, rows: 5 },
      { type: 'shell_ready', cwd: '/w' },
      { type: 'output', data: 'w$ ' },
      { type: 'output', data: 'cat al' },
      { type: 'output', data: 'pha.txt ' },
    ]))
      transcript.apply(event);
    expect(transcript.snapshot().shellEditsLines).toBe(true);
    expect(transcript.snapshot().prompt).toEqual({
      rows: ['w$ cat alpha.txt '],
      cursor: { row: 0, column: 17 },
    });
    for (const event of log([
      { type: 'output', data: '\r\n' },
      { type: 'run_start', runId: 'r1', command: 'cat alpha.txt', origin: 'shell' },
      { type: 'output', data: 'cat alpha.txt\r\n' },
      {
        type: 'run_complete',
        runId: 'r1',
        startSeq: 7,
        exitCode: 0,
        cwd: '/w',
        durationMs: 1,
      },
      { type: 'output', data: '[1]+  Done  sleep 1\r\nw$ ' },
    ]).map((event) => ({ ...event, seq: event.seq + 6 })))
      transcript.apply(event);
    const snapshot = transcript.snapshot();
    // The file's one line is the command line itself: output, not an echo, as the shell echoed before.
    expect(
      snapshot.blocks.flatMap((block) =>
        block.kind === 'output' && block.runId === 'r1' ? block.lines : [],
      ),
    ).toEqual(['cat alpha.txt']);
    expect(idleLines(transcript)).toEqual([]);
    expect(snapshot.prompt?.rows).toEqual(['[1]+  Done  sleep 1', 'w$ ']);
    transcript.apply({ seq: 11, time: 2000, type: 'run_start', runId: 'r2', command: 'ls' });
    // The job's report stays; the prompt goes with the screen.
    expect(idleLines(transcript)).toEqual(['[1]+  Done  sleep 1']);
    expect(transcript.snapshot().prompt).toBeUndefined();
  });

  test('what a job prints after the prompt stays in the transcript, and so does a completion list the line editor left above the command line', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 8 });
    at(10, { type: 'output', data: 'w$ ' });
    // A job prints a second later, onto the prompt's line, as in a terminal.
    at(1000, { type: 'output', data: 'bg-two\r\nbg-three\r\n' });
    at(2000, { type: 'input', data: 'l' });
    at(2001, { type: 'output', data: 'ls' });
    at(2002, { type: 'run_start', runId: 'r1', command: 'ls', origin: 'shell' });
    expect(idleLines(transcript)).toEqual(['bg-two', 'bg-three']);
    at(2003, {
      type: 'run_complete',
      runId: 'r1',
      startSeq: 7,
      exitCode: 0,
      cwd: '/w',
      durationMs: 1,
    });
    at(2004, { type: 'output', data: 'w$ ' });
    // bash prints the list under the line Tab Tab was typed on, then the prompt and line again:
    // a terminal keeps both above the command line, which the run's header shows.
    at(3000, { type: 'input', data: 'cat a\t\t' });
    at(3001, { type: 'output', data: 'cat a\r\nalpha.txt  able.txt\r\nw$ cat a' });
    at(3002, { type: 'input', data: 'lpha.txt\r' });
    at(3003, { type: 'output', data: 'lpha.txt\r\n' });
    at(3004, { type: 'run_start', runId: 'r2', command: 'cat alpha.txt', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([
      'bg-two',
      'bg-three',
      'w$ cat a',
      'alpha.txt  able.txt',
    ]);
  });

  test('a completion list printed after the terminal changed its width stays, at the prompt the TUI started on, and after Ctrl+L', () => {
    for (const eraseFirst of [false, true]) {
      const transcript = fold();
      const at = startedSession(transcript, { cols: 40, rows: 8 });
      at(10, { type: 'output', data: 'w$ ' });
      if (eraseFirst) {
        at(500, { type: 'input', data: '\x0c' });
        at(501, { type: 'output', data: '\x1b[H\x1b[2Jw$ ' });
      }
      at(1000, { type: 'resize', cols: 30, rows: 8 });
      at(1001, { type: 'output', data: '\r\x1b[Kw$ ' });
      at(2000, { type: 'input', data: 'cat a\t\t' });
      at(2001, { type: 'output', data: 'cat a\r\nalpha.txt  able.txt\r\nw$ cat a' });
      at(2002, { type: 'input', data: 'lpha.txt\r' });
      at(2003, { type: 'output', data: 'lpha.txt\r\n' });
      at(2004, { type: 'run_start', runId: 'r1', command: 'cat alpha.txt', origin: 'shell' });
      expect(idleLines(transcript), `Ctrl+L first: ${eraseFirst}`).toEqual([
        'w$ cat a',
        'alpha.txt  able.txt',
      ]);
    }
  });

  test('a completion list the line editor erased itself (zsh, under the line) is not kept', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 8 });
    at(10, { type: 'output', data: 'w% ' });
    at(1000, { type: 'input', data: 'cat a\t' });
    at(1001, { type: 'output', data: 'cat a\r\nalpha.txt  able.txt\x1b[1A\r\x1b[8C' });
    at(1002, { type: 'input', data: 'lpha.txt\r' });
    at(1003, { type: 'output', data: 'lpha.txt\r\n\x1b[J' });
    at(1004, { type: 'run_start', runId: 'r1', command: 'cat alpha.txt', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([]);
  });

  test('rows of a command of several lines are not kept, the completion list above them is', () => {
    const transcript = fold();
    // Five rows: the line Tab Tab was typed on scrolls off before the command is complete.
    const at = startedSession(transcript, { cols: 40, rows: 5 });
    at(10, { type: 'output', data: 'w$ ' });
    at(1000, { type: 'input', data: 'for f in a\t\t' });
    at(1001, { type: 'output', data: 'for f in a\r\nalpha.txt  able.txt\r\nw$ for f in a' });
    at(1002, { type: 'input', data: 'lpha.txt; do\r' });
    at(1003, { type: 'output', data: 'lpha.txt; do\r\n> ' });
    at(1004, { type: 'input', data: 'echo $f\r' });
    at(1005, { type: 'output', data: 'echo $f\r\n> ' });
    at(1006, { type: 'input', data: 'done\r' });
    at(1007, { type: 'output', data: 'done\r\n' });
    at(1008, {
      type: 'run_start',
      runId: 'r1',
      command: 'for f in alpha.txt; do\necho $f\ndone',
      origin: 'shell',
    });
    expect(idleLines(transcript)).toEqual(['w$ for f in a', 'alpha.txt  able.txt']);
  });

  test('a long paste that scrolls off is not kept; the completion list above it is', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 6 });
    at(10, { type: 'output', data: '\x1b[?2004hw$ ' });
    at(1000, { type: 'input', data: 'cat a\t\t' });
    at(1001, { type: 'output', data: 'cat a\r\nalpha.txt  able.txt\r\nw$ cat a' });
    // Ctrl+U, then twelve lines pasted in brackets and run with one Enter.
    at(1002, { type: 'input', data: '\x15' });
    at(1003, { type: 'output', data: '\r\x1b[Kw$ ' });
    const pasted = Array.from({ length: 12 }, (_, index) => `echo pasted-${index}`);
    at(1004, { type: 'input', data: `\x1b[200~${pasted.join('\r')}\x1b[201~` });
    at(1005, { type: 'output', data: pasted.join('\r\n') });
    at(1006, { type: 'input', data: '\r' });
    at(1007, { type: 'output', data: '\r\n\x1b[?2004l\r' });
    at(1008, { type: 'run_start', runId: 'r1', command: pasted.join('\n'), origin: 'shell' });
    expect(idleLines(transcript)).toEqual(['w$ cat a', 'alpha.txt  able.txt']);
  });

  test("a long paste at fish's prompt, its line drawn again from its first row for each line pasted: the transcript has the command and its output once", () => {
    const transcript = promptScreenFold('/usr/bin/fish');
    const at = startedSession(transcript, { cols: 40, rows: 6 });
    at(10, { type: 'output', data: '\x1b[?2004hw> ' });
    const pasted = Array.from({ length: 40 }, (_, index) => `echo ${index + 1}`);
    at(1000, { type: 'input', data: `\x1b[200~${pasted.join('\r')}\x1b[201~` });
    // fish goes up to the line's first row (the screen's top holds the cursor once the line is
    // taller than it), then down over every line to the one pasted, scrolling a row off for each
    // line it comes down over below the bottom.
    at(1001, { type: 'output', data: pasted[0] ?? '' });
    for (const [index, line] of pasted.entries())
      if (index > 0)
        at(1001 + index, {
          type: 'output',
          data: `\r\n\x1b[K\x1b[${index}A\r${'\r\n'.repeat(index)}\x1b[3C${line}`,
        });
    at(2000, { type: 'input', data: '\r' });
    at(2001, { type: 'output', data: '\r\n\x1b[?2004l' });
    at(2002, { type: 'run_start', runId: 'r1', command: pasted.join('\n'), origin: 'shell' });
    at(2003, { type: 'output', data: pasted.map((line) => `${line.slice(5)}\r\n`).join('') });
    ended(at, 2004, 'r1', 6);
    expect(idleLines(transcript)).toEqual([]);
    expect(
      transcript.snapshot().blocks.flatMap((block) => (block.kind === 'output' ? block.lines : [])),
    ).toEqual(pasted.map((line) => line.slice(5)));
  });

  test('a completion list the prompt is drawn again under goes to the transcript at once; the prompt screen holds the line being edited', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 10 });
    at(10, { type: 'output', data: 'w$ ' });
    at(1000, { type: 'input', data: 'cat a\t\t' });
    at(1001, { type: 'output', data: 'cat a\r\nalpha.txt  able.txt\r\nw$ cat a' });
    expect(idleLines(transcript)).toEqual(['w$ cat a', 'alpha.txt  able.txt']);
    expect(transcript.snapshot().prompt).toEqual({
      rows: ['w$ cat a'],
      cursor: { row: 0, column: 8 },
    });
    // A second list, asked for on the line drawn again, goes the same way.
    at(1002, { type: 'input', data: 'l\t\t' });
    at(1003, { type: 'output', data: 'l\r\nalpha.txt\r\nw$ cat al' });
    expect(idleLines(transcript)).toEqual([
      'w$ cat a',
      'alpha.txt  able.txt',
      'w$ cat al',
      'alpha.txt',
    ]);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w$ cat al']);
    at(2000, { type: 'input', data: 'pha.txt\r' });
    at(2001, { type: 'output', data: 'pha.txt\r\n' });
    at(2002, { type: 'run_start', runId: 'r1', command: 'cat alpha.txt', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([
      'w$ cat a',
      'alpha.txt  able.txt',
      'w$ cat al',
      'alpha.txt',
    ]);
  });

  test('a prompt whose last row shows nothing is not looked for under a completion list', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 10 });
    at(10, { type: 'output', data: '/w\r\n' });
    at(1000, { type: 'input', data: 'cat a\t\t' });
    at(1001, { type: 'output', data: 'cat a\r\nalpha.txt  able.txt\r\n/w\r\ncat a' });
    expect(idleLines(transcript)).toEqual([]);
    expect(transcript.snapshot().prompt?.rows).toEqual([
      '/w',
      'cat a',
      'alpha.txt  able.txt',
      '/w',
      'cat a',
    ]);
  });

  test('a line given up with Ctrl+C where the shell does not mark its prompts (zsh, fish) goes to the transcript once the prompt is drawn again under it', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 10 });
    at(10, { type: 'output', data: 'w% ' });
    at(1000, { type: 'input', data: 'echo abc' });
    at(1001, { type: 'output', data: 'echo abc' });
    at(1100, { type: 'input', data: '\x03' });
    at(1101, { type: 'output', data: '\r\nw% ' });
    expect(idleLines(transcript)).toEqual(['w% echo abc']);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w% ']);
    at(2000, { type: 'input', data: 'true\r' });
    at(2001, { type: 'output', data: 'true\r\n' });
    at(2002, { type: 'run_start', runId: 'r1', command: 'true', origin: 'shell' });
    expect(idleLines(transcript)).toEqual(['w% echo abc']);
  });

  test('Enter on an empty line where the shell does not mark its prompts (zsh, fish): the prompt left goes to the transcript as the next one is drawn under it', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 10 });
    at(10, { type: 'output', data: 'w% ' });
    for (const time of [1000, 1100]) {
      at(time, { type: 'input', data: '\r' });
      at(time + 1, { type: 'output', data: '\r\nw% ' });
    }
    expect(idleLines(transcript)).toEqual(['w%', 'w%']);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w% ']);
    // A line ended for more (an open loop) goes on at the continuation prompt, on the screen.
    at(2000, { type: 'input', data: 'for i in 1; do\r' });
    at(2001, { type: 'output', data: 'for i in 1; do\r\nfor> ' });
    expect(transcript.snapshot().prompt?.rows).toEqual(['w% for i in 1; do', 'for> ']);
  });

  test('a typed line that wraps onto a row starting as the prompt does is not taken for the prompt drawn again', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 10, rows: 10 });
    at(10, { type: 'output', data: 'w$ ' });
    at(1000, { type: 'input', data: 'echo 12w$ xyz' });
    at(1001, { type: 'output', data: 'echo 12w$ xyz' });
    expect(idleLines(transcript)).toEqual([]);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w$ echo 12', 'w$ xyz']);
  });

  test('a completion list longer than the screen stays above the command line, with its question and the line it was asked for on', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 6 });
    at(10, { type: 'output', data: 'w$ ' });
    at(1000, { type: 'output', data: 'bg-one\r\n' });
    at(2000, { type: 'input', data: 'ls /b\t\t' });
    at(2001, { type: 'output', data: 'ls /b\r\nDisplay all 12 possibilities? (y or n)' });
    at(2002, { type: 'input', data: 'y' });
    const names = Array.from({ length: 12 }, (_, index) => `name-${index}`);
    at(2003, { type: 'output', data: `\r\n${names.join('\r\n')}\r\nw$ ls /b` });
    // The prompt drawn again under the list, with the line: the list is the transcript's at once,
    // as a terminal keeps it above the line, and the prompt screen holds that line only. The
    // prompt the list was asked at stays whole, with the job's line on its row.
    const listed = ['w$ bg-one', 'ls /b', 'Display all 12 possibilities? (y or n)', ...names];
    expect(idleLines(transcript)).toEqual(listed);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w$ ls /b']);
    at(3000, { type: 'input', data: '\x15echo after\r' });
    at(3001, { type: 'output', data: '\r\x1b[Kw$ echo after\r\n' });
    expect(idleLines(transcript)).toEqual(listed);
    at(3002, { type: 'run_start', runId: 'r1', command: 'echo after', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([
      'w$ bg-one',
      'ls /b',
      'Display all 12 possibilities? (y or n)',
      ...names,
    ]);
  });

  test("the screen made narrower at a completion list's pager: the list, its question and the line it was asked for on are kept, once each", () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 6 });
    at(10, { type: 'output', data: 'w$ ' });
    at(2000, { type: 'input', data: 'ls /b\t\t' });
    at(2001, { type: 'output', data: 'ls /b\r\nDisplay all 12 possibilities? (y or n)' });
    at(2002, { type: 'input', data: 'y' });
    const names = Array.from({ length: 12 }, (_, index) => `name-${index}`);
    at(2003, { type: 'output', data: `\r\n${names.slice(0, 5).join('\r\n')}\r\n--More--` });
    at(2500, { type: 'resize', cols: 30, rows: 6 });
    at(3000, { type: 'input', data: ' ' });
    at(3001, { type: 'output', data: `\r\x1b[K${names.slice(5).join('\r\n')}\r\nw$ ls /b` });
    const listed = ['w$ ls /b', 'Display all 12 possibilities? (y or n)', ...names];
    expect(idleLines(transcript)).toEqual(listed);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w$ ls /b']);
    at(4000, { type: 'input', data: '\x15echo after\r' });
    at(4001, { type: 'output', data: '\r\x1b[Kw$ echo after\r\n' });
    at(4002, { type: 'run_start', runId: 'r1', command: 'echo after', origin: 'shell' });
    expect(idleLines(transcript)).toEqual(listed);
  });

  test('a completion list many screens long (zsh prints it all): its rows go to the transcript as they leave the screen, each once, the command line not among them', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 10 });
    at(10, { type: 'output', data: 'w% ' });
    at(1000, { type: 'input', data: 'ls /usr/bin/\t' });
    const question = 'zsh: do you wish to see all 60 possibilities (30 lines)?';
    at(1001, { type: 'output', data: `ls /usr/bin/\r\n${question} ` });
    at(1002, { type: 'input', data: 'y' });
    const names = Array.from({ length: 30 }, (_, index) => `tool-${index}  tool-${index + 30}`);
    at(1003, { type: 'output', data: `\r\n${names.join('\r\n')}\r\nw% ls /usr/bin/` });
    const list = ['w% ls /usr/bin/', question, ...names];
    // At the prompt still: all but the rows the line typed could take (a few, at the bottom).
    const shown = idleLines(transcript);
    expect(shown).toEqual(list.slice(0, shown.length));
    expect(shown.length).toBeGreaterThan(list.length - 10 - 8);
    at(2000, { type: 'input', data: 'true\r' });
    at(2001, { type: 'output', data: '\r\x1b[Kw% true\r\n' });
    at(2002, { type: 'run_start', runId: 'r1', command: 'true', origin: 'shell' });
    expect(idleLines(transcript)).toEqual(list);
  });

  test('a completion list many screens long at a prompt of two rows (zsh): the prompt it was asked at stays whole above it', () => {
    const transcript = fold();
    transcript.setShell('/bin/zsh', 'prompt-hook');
    const at = startedSession(transcript, { cols: 40, rows: 10 });
    at(10, { type: 'output', data: '/w\r\nw% ' });
    at(1000, { type: 'input', data: 'ls /usr/bin/\t' });
    const question = 'zsh: do you wish to see all 60 possibilities (30 lines)?';
    at(1001, { type: 'output', data: `ls /usr/bin/\r\n${question} ` });
    at(1002, { type: 'input', data: 'y' });
    const names = Array.from({ length: 30 }, (_, index) => `tool-${index}  tool-${index + 30}`);
    at(1003, { type: 'output', data: `\r\n${names.join('\r\n')}\r\n/w\r\nw% ls /usr/bin/` });
    at(2000, { type: 'input', data: '\x15true\r' });
    at(2001, { type: 'output', data: '\r\x1b[Kw% true\r\n' });
    at(2002, { type: 'run_start', runId: 'r1', command: 'true', origin: 'shell' });
    expect(idleLines(transcript)).toEqual(['/w', 'w% ls /usr/bin/', question, ...names]);
  });

  test('Ctrl+L after a list scrolled off: the rows above the erase go before it; a list printed after it is kept', () => {
    const transcript = fold();
    const at = startedSession(transcript, { cols: 40, rows: 4 });
    at(10, { type: 'output', data: 'w$ ' });
    at(1000, { type: 'input', data: 'ls /b\t\t' });
    const names = Array.from({ length: 6 }, (_, index) => `name-${index}`);
    at(1001, { type: 'output', data: `ls /b\r\n${names.join('\r\n')}\r\nw$ ls /b` });
    at(1002, { type: 'input', data: '\x0c' });
    at(1003, { type: 'output', data: '\x1b[H\x1b[2Jw$ ls /b' });
    at(1004, { type: 'input', data: '\t\t' });
    at(1005, { type: 'output', data: '\r\nbin  boot\r\nw$ ls /b' });
    at(1006, { type: 'input', data: 'in\r' });
    at(1007, { type: 'output', data: 'in\r\n' });
    at(1008, { type: 'run_start', runId: 'r1', command: 'ls /bin', origin: 'shell' });
    const blocks = transcript
      .snapshot()
      .blocks.map((block) =>
        block.kind === 'output'
          ? block.lines.join('|')
          : block.kind === 'clear'
            ? 'clear'
            : block.kind,
      );
    // The list is kept once the prompt is drawn again under it, before the erase; the line then
    // drawn again on the erased screen is the command's.
    expect(blocks).toEqual([
      'w$ ls /b|name-0',
      'name-1|name-2|name-3|name-4|name-5',
      'clear',
      'w$ ls /b|bin  boot',
      'command',
    ]);
  });

  test('postamble shells and shells run as they are keep Lifeline’s own line', () => {
    const transcript = fold();
    transcript.setShell('/bin/dash', 'postamble');
    expect(transcript.snapshot().shellEditsLines).toBe(false);
    transcript.setShell('/usr/bin/xonsh');
    expect(transcript.snapshot().shellEditsLines).toBe(false);
  });
  test('a job that ends at a two-line prompt with a right part leaves its report in the transcript, without the prompt the shell draws again under it', () => {
    // What zsh and fish print (colours left out): the prompt, its right part drawn and the cursor
    // taken back; a second later the job's report under it, and the prompt again.
    for (const [shell, prompt, report] of [
      [
        '/bin/zsh',
        '\x1b[J/w\r\n# \x1b[K\x1b[35C[0]\x1b[37D',
        '\r\r\n[1]  + done       sleep 1\r\n',
      ],
      [
        '/usr/bin/fish',
        '/w\x1b[K\r\n> \x1b[K\r\x1b[37C[0]\r\x1b[37C\r\x1b[C\x1b[C',
        "\r\nfish: Job 1, 'sleep 1 &' has ended\r\n\r\n\r\x1b[37C[0]\r\x1b[37C\r\x1b[C\x1b[C\r\x1b[A",
      ],
    ] as const) {
      const transcript = promptScreenFold(shell);
      const at = startedSession(transcript, { cols: 40, rows: 8 });
      at(10, { type: 'output', data: prompt });
      at(1000, { type: 'output', data: report + prompt });
      at(2000, { type: 'input', data: 'echo after\r' });
      at(2001, { type: 'output', data: 'echo after\r\r\n' });
      at(2002, { type: 'run_start', runId: 'r1', command: 'echo after', origin: 'shell' });
      const reportLine = report.split('\r\n')[1];
      expect(idleLines(transcript), shell).toEqual([reportLine]);
      // A line typed before the job ended: the shell draws it again under the report, with the
      // prompt. The terminal shows the line where it was typed, under the prompt's upper row, then
      // the report.
      at(2003, { type: 'output', data: 'after\r\n' });
      at(2004, {
        type: 'run_complete',
        runId: 'r1',
        startSeq: 9,
        exitCode: 0,
        cwd: '/w',
        durationMs: 1,
      });
      at(2010, { type: 'output', data: prompt });
      at(3000, { type: 'input', data: 'echo typed' });
      at(3001, { type: 'output', data: 'echo typed' });
      at(4000, { type: 'output', data: `${report}${prompt}echo typed` });
      at(5000, { type: 'input', data: '\r' });
      at(5001, { type: 'output', data: '\r\r\n' });
      at(5002, { type: 'run_start', runId: 'r2', command: 'echo typed', origin: 'shell' });
      expect(
        idleLines(transcript).map((line) => line.trimEnd()),
        shell,
      ).toEqual([
        reportLine,
        '/w',
        `${shell.endsWith('zsh') ? '#' : '>'} echo typed${' '.repeat(25)}[0]`,
        reportLine,
      ]);
    }
  });

  test.each([
    ['/bin/zsh', '\x1b[J/w\r\n# \x1b[K\x1b[35C[0]\x1b[37D', '\r\r\n[1]  + done       job\r\n'],
    [
      '/usr/bin/fish',
      '/w\x1b[K\r\n> \x1b[K\r\x1b[37C[0]\r\x1b[37C\r\x1b[C\x1b[C',
      "\r\nfish: Job 1, 'job &' has ended\r\n",
    ],
  ])(
    "%s: a job's line printed on the prompt's row, left of its right part, is kept without the right part, as its report is",
    (shell, prompt, report) => {
      const transcript = promptScreenFold(shell);
      const at = startedSession(transcript, { cols: 40, rows: 30 });
      at(10, { type: 'output', data: prompt });
      at(1000, { type: 'output', data: 'BGJOB\r\n' });
      at(1001, { type: 'output', data: report + prompt });
      at(2000, { type: 'input', data: 'echo after\r' });
      at(2001, { type: 'output', data: 'echo after\r\n' });
      at(2002, { type: 'run_start', runId: 'r1', command: 'echo after', origin: 'shell' });
      expect(idleLines(transcript).filter((line) => line !== '')).toEqual([
        'BGJOB',
        report.split('\r\n').find((line) => line.trim() !== ''),
      ]);
    },
  );

  test('Ctrl+L after a job printed at a two-line prompt with a right part that changes (a clock): what the job printed goes before the erase; nothing of the prompt drawn again, nor of the command line, after it', () => {
    for (const [shell, prompt, echo] of [
      [
        '/bin/zsh',
        (right: string) => `\x1b[J/w\r\n# \x1b[K\x1b[35C${right}\x1b[37D`,
        'echo x\x1b[K\x1b[29C[1]\r\r\n',
      ],
      [
        '/usr/bin/fish',
        (right: string) => `/w\x1b[K\r\n> \x1b[K\r\x1b[37C${right}\r\x1b[37C\r\x1b[C\x1b[C`,
        'echo x\r\n',
      ],
    ] as const) {
      const transcript = promptScreenFold(shell);
      const at = startedSession(transcript, { cols: 40, rows: 30 });
      at(10, { type: 'output', data: prompt('[0]') });
      // A job's line and its report, and the prompt drawn again under them (two rows lower).
      at(1000, { type: 'output', data: `JOBMSG\r\n\r\n[1]  + done       job\r\n${prompt('[0]')}` });
      at(2000, { type: 'input', data: '\x0c' });
      at(2001, { type: 'output', data: `\x1b[H\x1b[2J${prompt('[1]')}` });
      at(3000, { type: 'input', data: 'echo x\r' });
      at(3001, { type: 'output', data: echo });
      at(3002, { type: 'run_start', runId: 'r1', command: 'echo x', origin: 'shell' });
      const blocks = transcript
        .snapshot()
        .blocks.map((block) => (block.kind === 'output' ? block.lines.join('|') : block.kind));
      expect(blocks.slice(blocks.indexOf('clear')), shell).toEqual(['clear', 'command']);
      const before = blocks.slice(0, blocks.indexOf('clear')).join('|').split('|');
      expect(
        before.filter((line) => line !== ''),
        shell,
      ).toEqual(['JOBMSG', '[1]  + done       job']);
    }
  });

  test('what the shell printed for a line it could not run stays with its run under a right prompt (zsh RPROMPT, fish_right_prompt)', () => {
    for (const [shell, rightPrompt, message] of [
      ['/bin/zsh', '\x1b[K\x1b[35C\x1b[33m[1]\x1b[39m\x1b[37D', "zsh: parse error near `)'"],
      ['/usr/bin/fish', '\x1b[36C\x1b[33m[1]\x1b[39m\r\x1b[2C', "fish: Unexpected ')'"],
    ] as const) {
      const transcript = promptScreenFold(shell);
      const at = startedSession(transcript, { cols: 40, rows: 8 });
      // A two-line prompt, its right part on the line the command is typed on.
      at(10, { type: 'output', data: `\x1b[34m/w\x1b[39m\r\n# ${rightPrompt}` });
      at(1000, { type: 'input', data: 'ls )\r' });
      at(1001, { type: 'output', data: `ls )\r\r\n${message}\r\n` });
      at(1002, { type: 'run_start', runId: 'r1', command: 'ls )', origin: 'shell' });
      at(1003, {
        type: 'run_complete',
        runId: 'r1',
        startSeq: 6,
        exitCode: 1,
        cwd: '/w',
        durationMs: 1,
      });
      const runLines = transcript
        .snapshot()
        .blocks.flatMap((block) =>
          block.kind === 'output' && block.runId === 'r1' ? block.lines : [],
        );
      expect(runLines, shell).toEqual([message]);
      expect(idleLines(transcript), shell).toEqual([]);
    }
  });
});

test('a command of several lines typed ahead with the one before: its lines echoed at the next prompt are the command, not output', () => {
  // A paste that is not bracketed, or fast typing: bash reads the first line, runs it, and echoes
  // the rest at its next prompt all at once, each line drawn as typed and then again.
  const transcript = promptScreenFold();
  const at = startedSession(transcript, { cols: 100, rows: 25 });
  const prompt = (time: number) => {
    at(time, { type: 'prompt_start' });
    at(time, { type: 'output', data: 'root@vm:/w# ' });
    at(time, { type: 'prompt_end' });
  };
  prompt(1);
  at(10, { type: 'input', data: 'echo one\rfor i in 1; do\recho x\rdone\r' });
  at(11, { type: 'output', data: 'echo one\r\x1b[K\rroot@vm:/w# echo one\r\n' });
  at(11, { type: 'run_start', runId: 'r1', command: 'echo one', origin: 'shell' });
  at(11, { type: 'output', data: 'one\r\n' });
  at(11, { type: 'run_complete', runId: 'r1', startSeq: 5, exitCode: 0, cwd: '/w', durationMs: 0 });
  prompt(12);
  at(12, {
    type: 'output',
    data: 'for i in 1; do\r\x1b[K\rroot@vm:/w# for i in 1; do\r\n> echo x\r\x1b[K\r> echo x\r\n> done\r\x1b[K\r> done\r\n',
  });
  at(12, {
    type: 'run_start',
    runId: 'r2',
    command: 'for i in 1; do\necho x\ndone',
    origin: 'shell',
  });
  at(13, { type: 'output', data: 'x\r\n' });
  at(13, {
    type: 'run_complete',
    runId: 'r2',
    startSeq: 14,
    exitCode: 0,
    cwd: '/w',
    durationMs: 1,
  });
  prompt(14);
  const output = transcript
    .snapshot()
    .blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []));
  expect(output).toEqual(['one', 'x']);
});

describe('a line typed before the shell showed its first prompt', () => {
  test("the prompt and the line the line editor drew again are not the run's output", () => {
    // The terminal echoed the line as it came (the line editor had not started), then the line
    // editor drew it after the prompt, twice, as bash does with keys typed ahead.
    const transcript = promptScreenFold();
    const prompt = 'root@vm:/w# ';
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/w' },
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'shell_ready', cwd: '/w' },
      { type: 'input', data: 'echo typ' },
      { type: 'output', data: 'echo typ' },
      { type: 'input', data: 'ed-early-123\r' },
      {
        type: 'output',
        data: `ed-early-123\r\n\x1b[?2004h${prompt}echo typed-early-123\r\x1b[K\r${prompt}echo typed-early-123\r\n\x1b[?2004l\r`,
      },
      { type: 'run_start', runId: 'r1', command: 'echo typed-early-123', origin: 'shell' },
      { type: 'output', data: 'typed-early-123\r\n' },
      {
        type: 'run_complete',
        runId: 'r1',
        startSeq: 7,
        exitCode: 0,
        cwd: '/w',
        durationMs: 1,
      },
    ]))
      expect(transcript.apply(event)).toBe('applied');
    const output = transcript
      .snapshot()
      .blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []));
    expect(output).toEqual(['typed-early-123']);
  });

  test('what the shell printed for the line under it stays, as a terminal keeps it (a line fish cannot parse, kept to be fixed)', () => {
    const transcript = promptScreenFold('/usr/bin/fish');
    const at = startedSession(transcript, { cols: 40, rows: 8 });
    // Typed as the shell said it was ready, a moment before it drew its prompt.
    at(5, { type: 'input', data: 'echo )\r' });
    at(10, {
      type: 'output',
      data: "w# echo )\r\nfish: Unexpected ')'\r\necho )\r\n     ^\r\nw# echo )",
    });
    at(1000, { type: 'input', data: '\x7ffixed\r' });
    at(1001, { type: 'output', data: '\b\x1b[Kfixed\r\n' });
    at(1002, { type: 'run_start', runId: 'r1', command: 'echo fixed', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([
      'w# echo )',
      "fish: Unexpected ')'",
      'echo )',
      '     ^',
    ]);
  });

  test('the same with the keys typed one by one, as they come from a person or a terminal in raw mode', () => {
    const transcript = promptScreenFold('/usr/bin/fish');
    const at = startedSession(transcript, { cols: 40, rows: 8 });
    for (const [index, key] of ['e', 'c', 'h', 'o', ' ', ')', '\r'].entries())
      at(5 + index, { type: 'input', data: key });
    at(20, {
      type: 'output',
      data: "w# echo )\r\nfish: Unexpected ')'\r\necho )\r\n     ^\r\nw# echo )",
    });
    at(1000, { type: 'input', data: '\x7f' });
    for (const [index, key] of ['f', 'i', 'x', 'e', 'd', '\r'].entries())
      at(1001 + index, { type: 'input', data: key });
    at(1010, { type: 'output', data: '\b\x1b[Kfixed\r\n' });
    at(1011, { type: 'run_start', runId: 'r1', command: 'echo fixed', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([
      'w# echo )',
      "fish: Unexpected ')'",
      'echo )',
      '     ^',
    ]);
  });

  test('a prompt of two lines drawn after the keys is not kept', () => {
    const transcript = promptScreenFold('/bin/zsh');
    const at = startedSession(transcript, { cols: 40, rows: 8 });
    at(5, { type: 'input', data: 'echo hi\r' });
    at(10, { type: 'output', data: '\x1b[34m/w\x1b[39m\r\n# echo hi\r\n' });
    at(11, { type: 'run_start', runId: 'r1', command: 'echo hi', origin: 'shell' });
    expect(idleLines(transcript)).toEqual([]);
  });
});

describe('clears of the whole screen', () => {
  const fold = () => {
    const transcript = promptScreenFold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/w' },
      { type: 'resize', cols: 40, rows: 5 },
      { type: 'shell_ready', cwd: '/w' },
      { type: 'output', data: 'w$ ' },
    ]))
      transcript.apply(event);
    return transcript;
  };
  const apply = (transcript: TranscriptFold, payloads: EventPayload[]) => {
    const first = transcript.lastSeq + 1;
    for (const event of log(payloads))
      expect(transcript.apply({ ...event, seq: first + event.seq })).toBe('applied');
  };
  const view = (transcript: TranscriptFold) =>
    transcript
      .snapshot()
      .blocks.map((block) =>
        block.kind === 'output'
          ? block.lines.join('|')
          : block.kind === 'clear'
            ? `clear ${block.clear}`
            : block.kind === 'command'
              ? `$ ${block.command}`
              : block.kind,
      );
  const run = (command: string, output: string): EventPayload[] => [
    { type: 'run_start', runId: command, command },
    { type: 'output', data: output },
    { type: 'run_complete', runId: command, startSeq: 0, exitCode: 0, cwd: '/w', durationMs: 1 },
  ];

  test('`clear` in a run: what scrolled off before it, then the clear; the blocks before it are dropped', () => {
    const transcript = fold();
    apply(transcript, run('echo before', 'before\r\n'));
    expect(view(transcript)).toEqual(['$ echo before', 'before', 'footer']);
    apply(
      transcript,
      run(
        'seq 1 8; clear',
        '1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n\x1b[H\x1b[2J\x1b[3Jafter\r\n',
      ),
    );
    // The screen (5 rows) showed 5..8 when it was erased: a terminal shows none of it again.
    expect(view(transcript)).toEqual(['clear scrollback', 'after', 'footer']);
  });

  test('a clear of the screen alone in a run (`clear -x`): what the screen showed stays, above the clear', () => {
    const transcript = fold();
    apply(transcript, run('seq 1 3; clear -x', '1\r\n2\r\n3\r\n\x1b[H\x1b[2Jafter\r\n'));
    // As tmux keeps an erased screen in its scrollback.
    expect(view(transcript)).toEqual([
      '$ seq 1 3; clear -x',
      '1|2|3',
      'clear screen',
      'after',
      'footer',
    ]);
    // The screen (5 rows) showed 5..8 when it was erased; 1..4 had scrolled off.
    apply(
      transcript,
      run('seq 1 8; clear -x', '1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n\x1b[2J\x1b[Hend\r\n'),
    );
    expect(view(transcript).slice(5)).toEqual([
      '$ seq 1 8; clear -x',
      '1|2|3|4',
      '5|6|7|8',
      'clear screen',
      'end',
      'footer',
    ]);
  });

  test('a clear of the screen alone (Ctrl+L at the prompt) keeps the blocks before it', () => {
    const transcript = fold();
    apply(transcript, run('echo before', 'before\r\n'));
    apply(transcript, [{ type: 'output', data: '\x1b[H\x1b[2Jw$ ' }]);
    expect(view(transcript)).toEqual(['$ echo before', 'before', 'footer', 'clear screen']);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w$ ']);
    // Pressed again with nothing new: one clear.
    apply(transcript, [{ type: 'output', data: '\x1b[H\x1b[2Jw$ ' }]);
    expect(view(transcript)).toHaveLength(4);
  });

  test('what a full-screen program erases on the alternate screen clears nothing', () => {
    const transcript = fold();
    apply(transcript, run('echo before', 'before\r\n'));
    apply(transcript, run('vim', '\x1b[?1049h\x1b[H\x1b[2J\x1b[3Jediting\x1b[?1049l'));
    expect(view(transcript)).toEqual(['$ echo before', 'before', 'footer', '$ vim', 'footer']);
  });

  test('an erase cut in two between output events is found', () => {
    const transcript = fold();
    apply(transcript, run('echo before', 'before\r\n'));
    apply(transcript, [
      { type: 'run_start', runId: 'c', command: 'clear' },
      { type: 'output', data: '\x1b[H\x1b[2J\x1b[' },
      { type: 'output', data: '3J' },
      { type: 'run_complete', runId: 'c', startSeq: 0, exitCode: 0, cwd: '/w', durationMs: 1 },
    ]);
    // A run that cleared the screen and succeeded leaves it clear: no footer under the clear.
    expect(view(transcript)).toEqual(['clear scrollback']);
  });

  test('a run that clears the screen and fails keeps its footer, under its command again', () => {
    const transcript = fold();
    apply(transcript, [
      { type: 'run_start', runId: 'c', command: 'clear; false' },
      { type: 'output', data: '\x1b[H\x1b[2J' },
      { type: 'run_complete', runId: 'c', startSeq: 0, exitCode: 1, cwd: '/w', durationMs: 1 },
    ]);
    // The clear screen says which command failed, not only that one did.
    expect(view(transcript)).toEqual([
      '$ clear; false',
      'clear screen',
      '$ clear; false',
      'footer',
    ]);
    apply(transcript, [
      { type: 'run_start', runId: 'd', command: 'clear; ls; false' },
      { type: 'output', data: '\x1b[H\x1b[2Jfile\r\n' },
      { type: 'run_complete', runId: 'd', startSeq: 4, exitCode: 1, cwd: '/w', durationMs: 1 },
    ]);
    // Output after the clear follows no header: its footer says which command printed it.
    expect(view(transcript).slice(4)).toEqual([
      '$ clear; ls; false',
      'clear screen',
      'file',
      'footer',
    ]);
    const blocks = transcript.snapshot().blocks;
    expect(blocks.at(-1)).toMatchObject({
      kind: 'footer',
      afterClear: {
        seq: blocks.findLast((block) => block.kind === 'clear')?.seq,
        command: 'clear; ls; false',
      },
    });
    // A run that cleared nothing has a footer as usual.
    apply(transcript, run('ls', 'file\r\n'));
    expect(transcript.snapshot().blocks.at(-1)).not.toHaveProperty('afterClear');
  });
});

describe('the prompt screen at a new width', () => {
  const prompt = 'root@vm:/tmp/a-rather-long-directory-name-for-the-prompt# ';
  /** A long prompt drawn at 100 columns, the terminal narrowed to 30, `echo at-30` typed and run. */
  const narrowedThenRun = (job: EventPayload[] = []): TranscriptFold => {
    const transcript = promptScreenFold();
    for (const event of log([
      { type: 'host_start', pid: 1, cwd: '/w' },
      { type: 'resize', cols: 100, rows: 15 },
      { type: 'shell_ready', cwd: '/w' },
      { type: 'output', data: `\x1b[?2004h${prompt}` },
      ...job,
      { type: 'resize', cols: 30, rows: 15 },
      // bash draws its prompt again from the row the cursor is on, under the rest of the old one.
      { type: 'output', data: `\r\x1b[K\r${prompt}` },
      { type: 'input', data: 'echo at-30' },
      { type: 'output', data: 'echo at-30' },
      { type: 'input', data: '\r' },
      // Enter: readline goes back up to the line's first row and draws it once more.
      {
        type: 'output',
        data: `\r\x1b[K\r\x1bM\x1b[K\r\x1bM\x1b[K\r${prompt}echo at-30\r\n\x1b[?2004l\r`,
      },
      { type: 'run_start', runId: 'r', command: 'echo at-30' },
      { type: 'output', data: 'at-30\r\n' },
      { type: 'run_complete', runId: 'r', startSeq: 0, exitCode: 0, cwd: '/w', durationMs: 1 },
    ]))
      // The terminal is narrowed a second after the prompt was drawn.
      transcript.apply(event.seq >= 4 + job.length ? { ...event, time: event.time + 1000 } : event);
    return transcript;
  };

  test('no row of the prompt or of the typed line is left in the transcript', () => {
    const transcript = narrowedThenRun();
    expect(idleLines(transcript)).toEqual([]);
    const outputs = transcript
      .snapshot()
      .blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []));
    expect(outputs).toEqual(['at-30']);
  });

  test('a job’s report printed at the prompt before the change is kept', () => {
    const transcript = narrowedThenRun([
      { type: 'output', data: '\r\n[1]+  Done                    sleep 1\r\n' },
      { type: 'output', data: prompt },
    ]);
    expect(idleLines(transcript)).toEqual(['[1]+  Done                    sleep 1']);
  });
});

test('a shell has prompted once it draws its first prompt after its start, and again after the next start', () => {
  const transcript = promptScreenFold();
  // Read from its middle, a log has no start to wait for.
  expect(transcript.snapshot().shellPrompted).toBe(true);
  const at = startedSession(transcript, { cols: 40, rows: 10 });
  expect(transcript.snapshot().shellPrompted).toBe(false);
  // Nothing visible is no prompt yet (bracketed paste on).
  at(10, { type: 'output', data: '\x1b[?2004h' });
  expect(transcript.snapshot().shellPrompted).toBe(false);
  at(20, { type: 'output', data: 'w$ ' });
  expect(transcript.snapshot().shellPrompted).toBe(true);
  at(30, { type: 'host_exit', code: 0, signal: null });
  at(40, { type: 'host_start', pid: 2, cwd: '/w' });
  expect(transcript.snapshot().shellPrompted).toBe(false);
  // A run started by the new shell (typed ahead of a prompt not drawn) says it prompted too.
  at(50, { type: 'run_start', runId: 'r1', command: 'true', origin: 'lifeline' });
  expect(transcript.snapshot().shellPrompted).toBe(true);
});

describe("a background job's lines printed right before the shell's prompt", () => {
  const shown = (jobLines: number, rows: number, promptAfterMs: number) => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows });
    at(10, { type: 'output', data: 'w$ ' });
    at(20, { type: 'input', data: 'job &\r' });
    at(21, { type: 'output', data: 'job &\r\n' });
    at(22, { type: 'run_start', runId: 'r1', command: 'job &', origin: 'shell' });
    at(23, { type: 'output', data: '[1] 4242\r\n' });
    ended(at, 24, 'r1', 6);
    // The job prints at once; the prompt comes once the shell's prompt hooks are done.
    const lines = Array.from({ length: jobLines }, (_, index) => `L${index + 1}`);
    at(30, { type: 'output', data: lines.map((line) => `${line}\r\n`).join('') });
    at(30 + promptAfterMs, { type: 'output', data: '[1]+  Done    job\r\nw$ ' });
    at(1000, { type: 'input', data: 'echo next\r' });
    at(1001, { type: 'output', data: 'echo next\r\n' });
    at(1002, { type: 'run_start', runId: 'r2', command: 'echo next', origin: 'shell' });
    return { lines, kept: idleLines(transcript) };
  };

  // Right after them, four rows (the report among them) may be the prompt's upper lines: only the
  // report is told apart there. After slow hooks, all of them are kept.
  test.each([
    ['more than the screen has rows', 30, 8, 'after slow hooks', 300, 0],
    ['fewer than the screen has rows', 12, 30, 'after slow hooks', 300, 0],
    ['more than the screen has rows', 30, 8, 'right after them', 20, 3],
    ['fewer than the screen has rows', 12, 30, 'right after them', 20, 3],
  ])(
    '%s, the prompt %s: all but the rows a prompt can take above its last are kept, once',
    (_, count, rows, __, promptAfterMs, takenForPrompt) => {
      const { lines, kept } = shown(count, rows, promptAfterMs);
      expect(kept).toEqual([...lines.slice(0, count - takenForPrompt), '[1]+  Done    job']);
    },
  );
});

describe("bash's marks of where its prompt begins and ends", () => {
  type At = ReturnType<typeof startedSession>;
  /** bash draws its prompt `data` at `time`, and says where it begins and ends. */
  const prompt = (at: At, time: number, data = 'w$ ') => {
    at(time, { type: 'prompt_start' });
    at(time, { type: 'output', data });
    at(time, { type: 'prompt_end' });
  };
  /** `command` typed at the prompt at `time`, echoed, and started as run `runId`. */
  const typed = (at: At, time: number, command: string, runId: string) => {
    at(time, { type: 'input', data: `${command}\r` });
    at(time + 1, { type: 'output', data: `${command}\r\n` });
    at(time + 2, { type: 'run_start', runId, command, origin: 'shell' });
  };
  /** A background job started at `time`, its run ended. */
  const jobStarted = (at: At, time: number) => {
    typed(at, time, 'job &', 'r1');
    at(time + 3, { type: 'output', data: '[1] 4242\r\n' });
    ended(at, time + 4, 'r1', 8);
  };

  test("a job's lines before and after the prompt are kept, however close to it, and the prompt is not", () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 8 });
    prompt(at, 10);
    jobStarted(at, 20);
    // All of it within a few milliseconds: lines before the prompt, the prompt, lines after it on
    // its row and under it.
    const before = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];
    at(25, { type: 'output', data: before.map((line) => `${line}\r\n`).join('') });
    prompt(at, 26, '\x1b[?2004h~/w\r\nw$ ');
    at(27, { type: 'output', data: 'A1\r\nA2\r\nA3\r\n' });
    typed(at, 1000, 'echo next', 'r2');
    expect(idleLines(transcript)).toEqual([...before, 'A1', 'A2', 'A3']);
  });

  test.each([
    ['more lines than a prompt has are kept', ['N1', 'N2', 'N3', 'N4', 'N5'], true],
    ['a few are taken for its upper lines: only a report is told from them', ['N1', 'N2'], false],
  ])(
    "a job's lines before a prompt that comes late (a slow PROMPT_COMMAND): %s",
    (_, lines, kept) => {
      const transcript = promptScreenFold();
      const at = startedSession(transcript, { cols: 40, rows: 30 });
      prompt(at, 10);
      jobStarted(at, 20);
      at(40, { type: 'output', data: lines.map((line) => `${line}\r\n`).join('') });
      at(540, { type: 'output', data: '[1]+  Done    job\r\n' });
      prompt(at, 541);
      typed(at, 1000, 'true', 'r2');
      expect(idleLines(transcript)).toEqual([...(kept ? lines : []), '[1]+  Done    job']);
    },
  );

  test('what the prompt hooks print before each prompt (a line that changes every time) is left out as the prompt is', () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    at(5, { type: 'output', data: '\r\n--- 12:00:01\r\n' });
    prompt(at, 10);
    typed(at, 20, 'true', 'r1');
    ended(at, 24, 'r1', 8);
    at(30, { type: 'output', data: '\r\n--- 12:00:02\r\n' });
    prompt(at, 31);
    // Shown with the prompt, as a terminal shows it.
    expect(transcript.snapshot().prompt?.rows).toEqual(['', '--- 12:00:02', 'w$ ']);
    typed(at, 1000, 'true', 'r2');
    expect(idleLines(transcript)).toEqual([]);
  });

  test('the prompt ends where bash says, not after the first output that follows it closely', () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    prompt(at, 10);
    // A job started before prints on the prompt's row, at once.
    at(11, { type: 'output', data: 'L1\r\nL2\r\nL3\r\nL4\r\nL5\r\n' });
    typed(at, 1000, 'true', 'r1');
    expect(idleLines(transcript)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5']);
  });

  test.each([
    ['on one row', '[0] w$ '],
    ['on two rows', '[0] ~/w\r\nw$ '],
  ])(
    'a prompt that begins as a job report does (`[0] `, the last status) %s is not taken for one; a report above it is',
    (_, promptText) => {
      const transcript = promptScreenFold();
      const at = startedSession(transcript, { cols: 40, rows: 30 });
      prompt(at, 10, promptText);
      jobStarted(at, 20);
      prompt(at, 30, promptText);
      typed(at, 1000, 'true', 'r2');
      ended(at, 1004, 'r2', 20);
      at(1500, { type: 'output', data: '[1]+  Done    job\r\n' });
      prompt(at, 1501, promptText);
      typed(at, 2000, 'echo next', 'r3');
      expect(idleLines(transcript)).toEqual(['[1]+  Done    job']);
    },
  );

  const leftTwice = ['[0] ~/w', 'w$ x^C', '[130] ~/w', 'w$ ^C'];
  test.each([
    ['Ctrl+C', 30, '', 1, ['[0] ~/w', 'w$ ^C']],
    ['Ctrl+C, on a screen of three rows', 3, '', 1, ['[0] ~/w', 'w$ ^C']],
    ['a key, then Ctrl+C twice', 30, 'x', 2, leftTwice],
    ['a key, then Ctrl+C twice, on a screen of three rows', 3, 'x', 2, leftTwice],
  ])(
    '%s at a prompt of two rows whose first one changes ([$?]): the lines left (and a prompt between them) are kept as a terminal keeps them, the last prompt drawn again is not',
    (_, rows, key, presses, left) => {
      const transcript = promptScreenFold();
      const at = startedSession(transcript, { cols: 40, rows });
      prompt(at, 10, '[0] ~/w\r\nw$ ');
      if (key !== '') {
        at(400, { type: 'input', data: key });
        at(401, { type: 'output', data: key });
      }
      for (let press = 0; press < presses; press += 1) {
        const time = 500 + press * 100;
        at(time, { type: 'input', data: '\x03' });
        at(time + 1, { type: 'output', data: '^C\r\n' });
        prompt(at, time + 2, '[130] ~/w\r\nw$ ');
      }
      typed(at, 1000, 'echo two', 'r1');
      expect(idleLines(transcript)).toEqual(left);
    },
  );

  test('a prompt the screen changed its width at before a key was typed is still told: a completion list asked for there goes to the transcript as the prompt is drawn again', () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    prompt(at, 10);
    at(500, { type: 'resize', cols: 30, rows: 30 });
    // bash draws its prompt again in place.
    at(501, { type: 'output', data: '\r\x1b[Kw$ ' });
    at(1000, { type: 'input', data: 'ls /b\t\t' });
    at(1001, { type: 'output', data: 'ls /b\r\nbin  boot\r\nw$ ls /b' });
    expect(idleLines(transcript)).toEqual(['w$ ls /b', 'bin  boot']);
    expect(transcript.snapshot().prompt?.rows).toEqual(['w$ ls /b']);
  });

  test('a line given up with Ctrl+C goes to the transcript as the prompt is drawn again; a completion list asked for at the new prompt is kept too', () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    prompt(at, 10);
    at(400, { type: 'input', data: 'echo zzz' });
    at(401, { type: 'output', data: 'echo zzz' });
    at(500, { type: 'input', data: '\x03' });
    at(501, { type: 'output', data: '^C\r\n' });
    prompt(at, 502);
    // The prompt screen holds the new prompt alone: Lifeline's header is right above it.
    expect(idleLines(transcript)).toEqual(['w$ echo zzz^C']);
    expect(transcript.snapshot().prompt).toEqual({ rows: ['w$ '], cursor: { row: 0, column: 3 } });
    at(600, { type: 'input', data: 'ls /b\t\t' });
    at(601, { type: 'output', data: 'ls /b\r\nbin  boot\r\nw$ ls /b' });
    expect(idleLines(transcript)).toEqual(['w$ echo zzz^C', 'w$ ls /b', 'bin  boot']);
    at(700, { type: 'input', data: 'in' });
    at(701, { type: 'output', data: 'in' });
    at(1000, { type: 'input', data: '\r' });
    at(1001, { type: 'output', data: '\r\n' });
    at(1002, { type: 'run_start', runId: 'r1', command: 'ls /bin', origin: 'shell' });
    expect(idleLines(transcript)).toEqual(['w$ echo zzz^C', 'w$ ls /b', 'bin  boot']);
  });

  test.each([
    ['', 30],
    [', on a screen of three rows', 3],
  ])(
    'Enter on an empty line at a prompt of two rows%s leaves that prompt whole above the next one, as in a terminal; the prompt a command is typed at is not kept',
    (_, rows) => {
      const transcript = promptScreenFold();
      const at = startedSession(transcript, { cols: 40, rows });
      prompt(at, 10, '~/w\r\nw$ ');
      for (const time of [400, 500]) {
        at(time, { type: 'input', data: '\r' });
        at(time + 1, { type: 'output', data: '\r\n' });
        prompt(at, time + 2, '~/w\r\nw$ ');
      }
      typed(at, 1000, 'echo two', 'r1');
      expect(idleLines(transcript)).toEqual(['~/w', 'w$', '~/w', 'w$']);
    },
  );

  test("a job's line printed on the prompt's row, then Enter on the empty line: that prompt stays whole, the job's line on its row as the terminal shows it", () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    prompt(at, 10, '~/w\r\nw$ ');
    at(500, { type: 'output', data: 'JOB2\r\n' });
    at(1000, { type: 'input', data: '\r' });
    // bash's Enter redraws the line where the cursor is, under the job's line.
    at(1001, { type: 'output', data: '\r\x1b[K\rw$ \r\n[1]+  Done    job\r\n' });
    prompt(at, 1002, '~/w\r\nw$ ');
    typed(at, 2000, 'echo y', 'r1');
    expect(idleLines(transcript)).toEqual(['~/w', 'w$ JOB2', 'w$', '[1]+  Done    job']);
  });

  test('Ctrl+C sent to the shell at its prompt without a key (`lifeline sessions interrupt --at-prompt`), then a command a program runs: the line left stays whole, the prompt drawn again does not', () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    prompt(at, 10, 'root@vm:/w# ');
    at(500, { type: 'output', data: '^C\x1b[?2004l\r\x1b[?2004h\x1b[?2004l\r\r\n' });
    at(501, { type: 'output', data: '\x1b[?2004h' });
    prompt(at, 502, 'root@vm:/w# ');
    // Run by a program: its run starts before the shell echoes its line.
    at(1000, { type: 'run_start', runId: 'r1', command: 'echo after', origin: 'lifeline' });
    at(1001, { type: 'output', data: 'echo after\r\x1b[K\rroot@vm:/w# echo after\r\n' });
    expect(idleLines(transcript)).toEqual(['root@vm:/w# ^C']);
  });

  test("where the log ends (a replay of a session at its prompt), a job's lines under the prompt are the transcript's last", () => {
    const transcript = promptScreenFold();
    const at = startedSession(transcript, { cols: 40, rows: 30 });
    prompt(at, 10);
    at(11, { type: 'output', data: 'Z1\r\nZ2\r\n' });
    expect(idleLines(transcript)).toEqual([]);
    transcript.logEnds();
    expect(idleLines(transcript)).toEqual(['Z1', 'Z2']);
  });
});

describe('a history read from its last stretch', () => {
  const events = log([
    { type: 'host_start', pid: 1, cwd: '/w' },
    { type: 'resize', cols: 10, rows: 5 },
    // Up a row from under a line of 12 characters: the second row of it on a terminal 10 wide.
    ...completedRuns(
      3,
      (run) => `run ${run}`,
      (run) => `${run}123456789AB\r\n\x1b[AZ\r\n`,
    ),
  ]);
  /** The fold of `events` from the end of the second run on, the rest skipped as a gateway says. */
  function skippedFold(): TranscriptFold {
    const transcript = fold({
      createLines: createDisplayLines,
      createRunLines: createEmulatedScreen,
    });
    const throughSeq = events.findLastIndex((event) => event.type === 'run_complete') - 3;
    transcript.skipHistory(
      { throughSeq, context: events.slice(0, 2) },
      'earlier history is not shown here',
    );
    expect(transcript.lastSeq).toBe(throughSeq);
    for (const event of events.slice(throughSeq + 1))
      expect(transcript.apply(event)).toBe('applied');
    return transcript;
  }

  test('says so at the top and shows the runs after, at the size the session had then', () => {
    const blocks = skippedFold().snapshot().blocks;
    expect(blocks[0]).toMatchObject({ kind: 'note', text: 'earlier history is not shown here' });
    expect(blocks.filter((block) => block.kind === 'command')).toEqual([
      expect.objectContaining({ command: 'run 2' }),
    ]);
    // Drawn on a terminal as wide as the `resize` left out says.
    expect(blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []))).toEqual([
      '2123456789ZB',
    ]);
    // The shell of the `host_start` left out is the session's first: no "new shell" note.
    expect(blocks.filter((block) => block.kind === 'note')).toHaveLength(1);
  });

  test('shown from the middle of a long run: its header, then its output from there, all of it', () => {
    const transcript = fold({
      createLines: createDisplayLines,
      createRunLines: createEmulatedScreen,
    });
    const run = log([
      { type: 'host_start', pid: 1, cwd: '/w' },
      { type: 'resize', cols: 20, rows: 5 },
      { type: 'run_start', runId: 'r1', command: 'seq 1 9' },
      { type: 'output', data: 'seq 1 9\r\n1\r\n2\r\n3\r\n' },
      { type: 'output', data: 'seq 1 9\r\n4\r\n5\r\n' },
      { type: 'output', data: '6\r\n7\r\n8\r\n9\r\n' },
      { type: 'run_complete', runId: 'r1', startSeq: 2, exitCode: 0, cwd: '/w', durationMs: 1 },
    ]);
    transcript.skipHistory({ throughSeq: 3, context: run.slice(0, 3) }, 'not shown');
    for (const event of run.slice(4)) transcript.apply(event);
    const blocks = transcript.snapshot().blocks;
    expect(blocks.filter((block) => block.kind === 'command')).toEqual([
      expect.objectContaining({ command: 'seq 1 9' }),
    ]);
    // The first line read is the run's output (it printed its command line), not the shell's echo.
    expect(blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []))).toEqual([
      'seq 1 9',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
  });

  test('is not skipped once events were applied', () => {
    const transcript = fold();
    transcript.apply(events[0] as SessionEvent);
    transcript.skipHistory({ throughSeq: 5, context: [] }, 'not shown');
    expect(transcript.lastSeq).toBe(0);
    expect(transcript.snapshot().blocks).toEqual([]);
  });
});

test('a run waits for input from its input_wait until it prints or is typed into, in a replay too', () => {
  const transcript = fold();
  const waits = () => transcript.liveRun?.waitsForInput;
  const steps: [EventPayload, boolean | undefined][] = [
    [{ type: 'run_start', runId: 'r1', command: 'read -r a; echo $a; read -r b' }, false],
    [{ type: 'input_wait', runId: 'r0' }, false],
    [{ type: 'input_wait', runId: 'r1' }, true],
    [{ type: 'input', data: 'x\r' }, false],
    [{ type: 'output', data: 'x\r\n' }, false],
    [{ type: 'input_wait', runId: 'r1' }, true],
    [
      { type: 'run_complete', runId: 'r1', startSeq: 0, exitCode: 0, cwd: '/', durationMs: 1 },
      undefined,
    ],
  ];
  const events = log(steps.map(([payload]) => payload));
  events.forEach((event, index) => {
    transcript.apply(event);
    expect(waits(), `after ${event.type}`).toBe(steps[index]?.[1]);
  });
  // Attached while it waits: the history says so.
  const attached = fold();
  for (const event of events.slice(0, 3)) attached.apply(event);
  expect(attached.liveRun?.waitsForInput).toBe(true);
});

test("output applied in parts, each the event applied last's, shows what the event applied whole shows", () => {
  const data = Array.from(
    { length: 3000 },
    (_, index) => `\x1b[3${index % 8}mline ${index}\x1b[0m 日本語 ${'ab'.repeat(index % 50)}\r\n`,
  ).join('');
  const shown = (parts: string[]) => {
    const transcript = fold({ createRunLines: createEmulatedScreen });
    const at = startedSession(transcript, { cols: 60, rows: 10 });
    at(1, { type: 'run_start', runId: 'r1', command: 'cat log' });
    const [first = '', ...more] = parts;
    at(2, { type: 'output', data: first });
    for (const part of more)
      expect(transcript.applyMoreOutput({ seq: 4, time: 2, type: 'output', data: part })).toBe(
        'applied',
      );
    ended(at, 3, 'r1', 3);
    return transcript
      .snapshot()
      .blocks.flatMap((block) => (block.kind === 'output' ? block.lines : []));
  };
  const whole = shown([data]);
  expect(whole.at(-1)).toContain('line 2999');
  const cut = [0, 7000, 7001, 20000, 41234, 60000].map((start, index, starts) =>
    data.slice(start, starts[index + 1]),
  );
  expect(shown(cut)).toEqual(whole);
});

test('more output is applied only as part of the output event applied last', () => {
  const transcript = fold({ createRunLines: createEmulatedScreen });
  const at = startedSession(transcript, { cols: 60, rows: 10 });
  at(1, { type: 'run_start', runId: 'r1', command: 'cat log' });
  // The event applied last (seq 3) is the run's start, not output.
  expect(transcript.applyMoreOutput({ seq: 3, time: 2, type: 'output', data: 'x\r\n' })).toBe(
    'duplicate',
  );
  at(2, { type: 'output', data: 'a\r\n' });
  // Not the seq applied last.
  expect(transcript.applyMoreOutput({ seq: 5, time: 2, type: 'output', data: 'x\r\n' })).toBe(
    'duplicate',
  );
  expect(transcript.applyMoreOutput({ seq: 4, time: 2, type: 'output', data: 'b\r\n' })).toBe(
    'applied',
  );
  ended(at, 3, 'r1', 3);
  expect(
    transcript.snapshot().blocks.flatMap((block) => (block.kind === 'output' ? block.lines : [])),
  ).toEqual(['a', 'b']);
});
