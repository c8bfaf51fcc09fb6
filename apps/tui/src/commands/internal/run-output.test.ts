import type { SessionEvent } from '@lifeline/protocol';
import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { PROGRAM_LINE_COLUMNS } from '../../session/display-lines.js';
import { RunOutput, type RunOutputFormat } from './run-output.js';

const runId = 'run-1';
const command = 'printf "a\\nb\\n"';

/** A session's events from `startSeq` + 1 on: output chunks, then how the run ended. */
function events(
  chunks: string[],
  end: 'complete' | 'exit' = 'complete',
  startSeq = 4,
): SessionEvent[] {
  const list: SessionEvent[] = chunks.map((data, index) => ({
    type: 'output',
    data,
    seq: startSeq + 1 + index,
    time: 1000 + index,
  }));
  const seq = startSeq + 1 + chunks.length;
  list.push(
    end === 'complete'
      ? {
          type: 'run_complete',
          runId,
          startSeq,
          exitCode: 2,
          cwd: '/tmp',
          durationMs: 12,
          seq,
          time: 2000,
        }
      : { type: 'host_exit', code: 3, signal: null, seq, time: 2000 },
  );
  return list;
}

/** The run's end, exit status 0, at `seq`. */
const completion = (seq: number): SessionEvent => ({
  type: 'run_complete',
  runId,
  startSeq: 4,
  exitCode: 0,
  cwd: '/tmp',
  durationMs: 1,
  seq,
  time: 2,
});

function collect(
  format: RunOutputFormat,
  list: SessionEvent[],
  text = command,
): { output: string; run: RunOutput } {
  const run = new RunOutput({ runId, startSeq: 4, command: text, format });
  let output = '';
  for (const event of list) output += run.apply(event).text;
  return { output, run };
}

// A fresh shell echoes the command twice: as typed, then after the prompt it draws late.
const freshShell = [
  `${command}\r\n`,
  `\x1b[?2004huser@host:~$ ${command}\r\n\x1b[?2004l\ra\r\n`,
  'b\r\n',
];

describe('RunOutput', () => {
  test('plain: the lines of the run, without the echoed command line and without escapes', () => {
    const { output, run } = collect('plain', events(freshShell));
    expect(output).toBe('a\nb\n');
    expect(run.end).toEqual({ kind: 'completed', exitCode: 2, cwd: '/tmp', durationMs: 12 });
  });

  test('terminal: sanitised text as it streams, echo removed, colours kept and reset at the end', () => {
    const { output } = collect(
      'terminal',
      events([
        `${command}\r\n`,
        '\x1b[31mred\x1b[0m\r\n\x1b]52;c;aGk=\x07\x1b]0;title\x07done\r\n',
      ]),
    );
    expect(output).toBe('\x1b[31mred\x1b[0m\r\ndone\r\n\x1b[0m');
  });

  test('fish draws the command word by word at the columns past its prompt: that is still the echo, in either format', () => {
    const typed = '(sleep 0.3; echo x) &';
    const drawn =
      '(sleep \r\x1b[26C0.3;\r\x1b[30C \r\x1b[31Cecho \r\x1b[36Cx)\r\x1b[39C \r\x1b[40C&\r\x1b[41C\r\r\n';
    const chunks = [drawn, 'fish: command substitutions not allowed here\r\n'];
    expect(collect('terminal', events(chunks), typed).output).toBe(
      'fish: command substitutions not allowed here\r\n',
    );
    expect(collect('plain', events(chunks), typed).output).toBe(
      'fish: command substitutions not allowed here\n',
    );
  });

  test('plain: hostile sequences never reach the output, colours are dropped too', () => {
    const { output } = collect(
      'plain',
      events([`${command}\r\n`, '\x1b[31mred\x1b[0m\r\n\x1bP+q544e\x1b\\\x1b[6nok\r\n']),
    );
    expect(output).toBe('red\nok\n');
  });

  test('a line that merely ends like the command is kept once a real line was seen', () => {
    const { output } = collect('plain', events([`${command}\r\n`, 'first\r\n', `${command}\r\n`]));
    expect(output).toBe(`first\n${command}\n`);
  });

  test('a multi-line command: the echo of the line that sources its script is left out, its lines are kept', () => {
    const twoLines = 'echo a\necho b';
    const sourced =
      ". '/home/u/.lifeline/sessions/s_1/scripts/f9e1b3f5-f209-4143-a070-701a3366203b.sh'";
    const chunks = [`${sourced}\r\n\x1b[?2004l\ra\r\n`, 'b\r\n'];
    expect(collect('plain', events(chunks), twoLines).output).toBe('a\nb\n');
    expect(collect('terminal', events(chunks), twoLines).output).toBe('\ra\r\nb\r\n');
  });

  test("output that ends with the command (the shell's history) is kept: the shell echoed the line once", () => {
    const line = 'history 1; echo done';
    const once = [`${line}\r\n\x1b[?2004l\r   33  ${line}\r\ndone\r\n`];
    expect(collect('plain', events(once), line).output).toBe(`   33  ${line}\ndone\n`);
    expect(collect('terminal', events(once), line).output).toBe(`\r   33  ${line}\r\ndone\r\n`);
    expect(
      collect('plain', events([`history 1\r\n\x1b[?2004l\r   34  history 1\r\n`]), 'history 1')
        .output,
    ).toBe('   34  history 1\n');
    // Typed before the prompt: echoed by the terminal, then redrawn by the line editor after its prompt.
    const typedAhead = [
      `${line}\r\n`,
      `\x1b[?2004huser@host:~$ ${line}\r\n\x1b[?2004l\r    1  ${line}\r\ndone\r\n`,
    ];
    expect(collect('plain', events(typedAhead), line).output).toBe(`    1  ${line}\ndone\n`);
    expect(collect('terminal', events(typedAhead), line).output).toBe(
      `\r    1  ${line}\r\ndone\r\n`,
    );
  });

  test('a full disk, and room again, are passed on as notices; other notes are not', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    const full = run.apply({
      type: 'note',
      text: 'the disk is full',
      condition: 'disk_full',
      seq: 5,
      time: 1,
    });
    const plain = run.apply({ type: 'note', text: 'a remark', seq: 6, time: 2 });
    // Each piece of output dropped meanwhile is not a notice of its own: room again counts them.
    const dropped = run.apply({
      type: 'note',
      text: '65536 bytes of output were dropped: the disk was full',
      condition: 'output_dropped',
      lostBytes: 65_536,
      seq: 7,
      time: 3,
    });
    expect([full.notice, plain.notice, dropped.notice]).toEqual([
      'the disk is full',
      undefined,
      undefined,
    ]);
  });

  test('the shell exiting ends the run; output up to it is kept', () => {
    const { output, run } = collect('plain', events(['exit 3\r\n', 'exit\r\n'], 'exit'), 'exit 3');
    expect(output).toBe('exit\n');
    expect(run.end).toEqual({ kind: 'shell-exited', code: 3, signal: null });
  });

  test('events of other runs: before our run_start ignored, after our run_complete ignored, a gap reported', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    expect(run.apply({ type: 'output', data: 'earlier\r\n', seq: 3, time: 1 }).outcome).toBe(
      'duplicate',
    );
    expect(run.apply({ type: 'output', data: 'later\r\n', seq: 7, time: 1 }).outcome).toBe('gap');
    expect(run.lastSeq).toBe(4);
    for (const event of events(['x\r\n'])) run.apply(event);
    expect(
      run.apply({ type: 'run_start', runId: 'run-2', command: 'next', seq: 7, time: 3 }).outcome,
    ).toBe('after-end');
  });

  test('a run_complete of another run does not end this one', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    const step = run.apply({
      type: 'run_complete',
      runId: 'run-0',
      startSeq: 1,
      exitCode: 0,
      cwd: '/',
      durationMs: 1,
      seq: 5,
      time: 1,
    });
    expect(step.end).toBeUndefined();
    expect(run.end).toBeUndefined();
  });

  test('a wait for input of this run is reported; when answering, only one recorded after the answer was typed', () => {
    const waits = (options: { answering?: boolean }) => {
      const run = new RunOutput({
        runId,
        startSeq: 4,
        command: 'yes',
        format: 'plain',
        ...options,
      });
      return [
        run.apply({ type: 'input_wait', runId: 'run-0', seq: 5, time: 1 }),
        run.apply({ type: 'input_wait', runId, seq: 6, time: 1 }),
        run.apply({ type: 'input', data: 'yes\r', seq: 7, time: 2 }),
        run.apply({ type: 'input_wait', runId, seq: 8, time: 3 }),
      ].map((step) => step.waitsForInput === true);
    };
    expect(waits({})).toEqual([false, true, false, true]);
    expect(waits({ answering: true })).toEqual([false, false, false, true]);
  });

  test('flush returns the unfinished last line when waiting stops early', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    run.apply({ type: 'output', data: `${command}\r\nprogress 50%`, seq: 5, time: 1 });
    expect(run.flush()).toBe('progress 50%\n');
  });

  test('plain: lines a program moves the cursor up over and draws again end as the terminal shows them', () => {
    // `seq 1 3; printf '\033[2A\rX\n'; echo end`: a terminal shows 1, X, end.
    expect(collect('plain', events(['1\r\n2\r\n3\r\n', '\x1b[2A\rX\r\n', 'end\r\n'])).output).toBe(
      '1\nX\nend\n',
    );
    // A display of three lines drawn three times in place, one event each: its last frame.
    const frame = (n: number) => `step a ${n}\r\nstep b ${n}\r\nstep c ${n}\r\n`;
    const redrawn = [frame(1), `\x1b[3A${frame(2)}`, `\x1b[3A\x1b[J${frame(3)}`, 'done\r\n'];
    expect(collect('plain', events(redrawn)).output).toBe('step a 3\nstep b 3\nstep c 3\ndone\n');
  });

  test('plain: lines are drawn at the width of the session, which its resize events change', () => {
    // A line longer than the terminal is wide wraps: a carriage return goes back to its last row.
    const long = `${'a'.repeat(100)}\rZ\r\n`;
    const drawnAt = (size: { cols: number; rows: number } | undefined, resize?: number) => {
      const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain', size });
      let output = '';
      let seq = 5;
      if (resize !== undefined)
        output += run.apply({ type: 'resize', cols: resize, rows: 24, seq: seq++, time: 1 }).text;
      output += run.apply({ type: 'output', data: long, seq: seq++, time: 1 }).text;
      return output + run.flush();
    };
    const wrapped = `${'a'.repeat(80)}Z${'a'.repeat(19)}\n`;
    const whole = `Z${'a'.repeat(99)}\n`;
    expect(drawnAt(undefined)).toBe(wrapped);
    expect(drawnAt({ cols: 120, rows: 30 })).toBe(whole);
    expect(drawnAt({ cols: 80, rows: 24 }, 120)).toBe(whole);
  });

  test('plain: the lines above a spinner or a live summary drawn again and again are handed out as it goes on', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    let seq = 5;
    const print = (data: string) => run.apply({ type: 'output', data, seq: seq++, time: 1 }).text;
    const summary = (n: number) => `passed ${n}\r\nfailed 0\r\n`;
    expect(print(`${command}\r\n✓ a.test\r\n${summary(1)}`)).toBe('');
    expect(run.settle()).toBe('');
    // Only the summary is drawn again: the line above it is final.
    expect(print(`\x1b[2A${summary(1)}`)).toBe('');
    expect(run.settle()).toBe('✓ a.test\n');
    expect(print(`\x1b[2A\x1b[J✓ b.test\r\n${summary(2)}`)).toBe('');
    expect(run.settle()).toBe('');
    expect(print(`\x1b[2A${summary(2)}`)).toBe('');
    expect(run.settle()).toBe('✓ b.test\n');
    const end = run.apply(completion(seq++));
    expect(end.text).toBe('passed 2\nfailed 0\n');
  });

  test('plain: a program on the alternate screen when waiting stops (a pager) leaves what that screen shows', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    const pager = `${command}\r\nbefore\r\n\x1b[?1049h\x1b[H\x1b[2Jline 1\r\nline 2\r\n\x1b[7m:\x1b[0m`;
    run.apply({ type: 'output', data: pager, seq: 5, time: 1 });
    expect(run.flush()).toBe('before\nline 1\nline 2\n:\n');
    // Back on the normal screen, what the program drew on the other one is gone, as on a terminal.
    const { output } = collect('plain', events([`${pager}\x1b[?1049l`, 'after\r\n']));
    expect(output).toBe('before\nafter\n');
  });

  test('plain: tabs and the blanks a line ends with stay as the program wrote them', () => {
    const table = 'name\tage\r\nalice\t30\r\nbob\t\r\n';
    expect(collect('plain', events([table])).output).toBe('name\tage\nalice\t30\nbob\t\n');
    // A table redrawn in place: its last frame, with its tabs.
    const redrawn = ['a\t1\r\nb\t1\r\n', '\x1b[2Aa\t2\r\nb\t2\r\n'];
    expect(collect('plain', events(redrawn)).output).toBe('a\t2\nb\t2\n');
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    run.apply({ type: 'output', data: `${command}\r\nName? `, seq: 5, time: 1 });
    expect(run.flush()).toBe('Name? \n');
  });

  test('plain: a line longer than 1 Mi columns keeps its start and says how many columns were left out', () => {
    const long = 'x'.repeat(PROGRAM_LINE_COLUMNS + 5000);
    const lines = collect('plain', events([`${long}\r\nnext\r\n`])).output.split('\n');
    expect(lines).toHaveLength(3);
    const [cut, next] = lines;
    const kept = /^(x+)… \+(\d+) columns$/.exec(cut ?? '');
    expect(kept?.[1]?.length).toBeGreaterThanOrEqual(PROGRAM_LINE_COLUMNS);
    expect((kept?.[1]?.length ?? 0) + Number(kept?.[2])).toBe(long.length);
    expect(next).toBe('next');
  });

  test('plain: what a clear erased is kept, before what follows it', () => {
    expect(collect('plain', events(['before\r\n', '\x1b[H\x1b[2J\x1b[3Jafter\r\n'])).output).toBe(
      'before\nafter\n',
    );
  });

  test('plain: lines held on the screen are handed out once the program went past them, once', () => {
    const run = new RunOutput({ runId, startSeq: 4, command, format: 'plain' });
    expect(
      run.apply({ type: 'output', data: `${command}\r\nlistening\r\nready?`, seq: 5, time: 1 })
        .text,
    ).toBe('');
    // Rows drawn on since the last look are held: the program may draw on them again.
    expect(run.settle()).toBe('');
    expect(run.settle()).toBe('listening\n');
    expect(run.settle()).toBe('');
    // The unfinished line stays: it is handed out with the rest at the end.
    const end = run.apply(completion(6));
    expect(end.text).toBe('ready?\n');
    expect(run.settle()).toBe('');
  });

  test('however the stream is cut into events and however often they are replayed, the output is the same', () => {
    const stream = `${freshShell.join('')}\x1b[32mgreen\x1b[0m\r\nspin |\rspin /\rspin -\r\nx 1\r\ny 1\r\n\x1b[2Ax 2\r\ny 2\r\ndone\r\n`;
    const expected = {
      plain: collect('plain', events([stream])).output,
      terminal: collect('terminal', events([stream])).output,
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }),
        fc.constantFrom<RunOutputFormat>('plain', 'terminal'),
        fc.array(fc.nat(), { maxLength: 6 }),
        (cuts, format, replays) => {
          const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
          const chunks = points.slice(1).map((end, index) => stream.slice(points[index], end));
          const list = events(chunks);
          // Re-attaching after a reconnect replays events already applied.
          const delivered = list.flatMap((event, index) =>
            replays.includes(index) ? [event, ...list.slice(0, index + 1)] : [event],
          );
          return collect(format, delivered).output === expected[format];
        },
      ),
      fuzzParameters('run output is independent of chunking and replays'),
    );
  });
});
