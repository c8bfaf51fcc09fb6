import { describe, expect, test } from 'vitest';
import type { SupervisorState } from '@lifeline/recovery';
import { emptyLine, lineEditor } from '../input/line-editor.js';
import { renderFrame } from '../test-utils/render-frame.js';
import { HeaderBar, type SessionActivity } from './HeaderBar.js';
import { InputLine } from './InputLine.js';
import { SessionPicker } from './SessionPicker.js';

const sid = 's_01m80d15c72eqxhs3a122mbhfd';
const target = sid;
const session = {
  sid: sid as never,
  name: 'work',
  status: 'live' as const,
  cwd: '/srv/app',
  shell: '/bin/bash',
  createdAt: '2026-11-22T00:00:00.000Z',
  lastActivityAt: '2026-11-22T00:59:00.000Z',
  lastCommand: 'make test',
  lastSeq: 12,
};

/** The supervisor's state once it gave up after 3 recoveries within a minute, the last ending so. */
function gaveUp(lastExit: { code: number | null; signal: NodeJS.Signals | null }): SupervisorState {
  return {
    status: 'gave-up',
    target,
    reason: 'budget-exhausted',
    attemptsInWindow: 3,
    of: 3,
    windowMs: 60_000,
    lastExit,
  };
}
describe('HeaderBar', () => {
  /** The header's rows on a terminal `columns` wide, the gateway live. */
  const liveHeader = async (
    columns: number,
    {
      activity = 'ready',
      diskFull = false,
    }: { activity?: SessionActivity; diskFull?: boolean } = {},
  ) => {
    const { frame, unmount } = await renderFrame(
      <HeaderBar
        session={session}
        cwd="/srv/app"
        connection={{ status: 'live', target, generation: 1 }}
        crashLogPath="/x/crash.log"
        activity={activity}
        diskFull={diskFull}
      />,
      columns,
    );
    unmount();
    return frame.split('\n');
  };

  test('shows a cwd in the home directory as the shell does, from ~', async () => {
    const header = async (home: string) => {
      const { frame, unmount } = await renderFrame(
        <HeaderBar
          session={session}
          cwd="/srv/app"
          home={home}
          connection={{ status: 'live', target, generation: 1 }}
          crashLogPath="/x/crash.log"
        />,
        100,
      );
      unmount();
      return frame;
    };
    expect(await header('/srv/app')).toBe('lifeline · work s_01m80d15c72e… · ~ · ● ready');
    expect(await header('/srv')).toBe('lifeline · work s_01m80d15c72e… · ~/app · ● ready');
    // Only a whole directory name: /srv/ap is not the home of /srv/app.
    expect(await header('/srv/ap')).toBe('lifeline · work s_01m80d15c72e… · /srv/app · ● ready');
  });

  test("says when the session's disk is full", async () => {
    expect(await liveHeader(100, { diskFull: true })).toEqual([
      'lifeline · work s_01m80d15c72e… · /srv/app · ● ready · ⚠ disk full: log held in memory',
    ]);
  });

  test('shows the session, the cwd and a live gateway: attaching the session, ready at the prompt, running while a command runs, fitted as the state needs', async () => {
    expect(await liveHeader(100)).toEqual(['lifeline · work s_01m80d15c72e… · /srv/app · ● ready']);
    expect(await liveHeader(100, { activity: 'running' })).toEqual([
      'lifeline · work s_01m80d15c72e… · /srv/app · ● running',
    ]);
    expect(await liveHeader(100, { activity: 'attaching' })).toEqual([
      'lifeline · work s_01m80d15c72e… · /srv/app · ● attaching',
    ]);
    expect(await liveHeader(100, { activity: 'shell exited' })).toEqual([
      'lifeline · work s_01m80d15c72e… · /srv/app · ● shell exited',
    ]);
    expect(await liveHeader(43, { activity: 'running' })).toEqual([
      'lifeline · work s_01m80d15c72e… · ● running',
    ]);
    // Two columns fewer than that, the id gives way, where `● ready` still has it.
    expect(await liveHeader(41)).toEqual(['lifeline · work s_01m80d15c72e… · ● ready']);
    expect(await liveHeader(42, { activity: 'running' })).toEqual(['lifeline · work · ● running']);
    expect(await liveHeader(44, { activity: 'attaching' })).toEqual([
      'lifeline · work · ● attaching',
    ]);
  });

  test('after quitting, says the session was left running and how to come back: by its whole id where it fits', async () => {
    const shown = async (columns: number, activity?: 'shell exited') => {
      const { frame, unmount } = await renderFrame(
        <HeaderBar
          session={session}
          cwd="/srv/app"
          connection={{ status: 'stopped', target, lastExit: undefined }}
          crashLogPath="/x/crash.log"
          {...(activity ? { activity } : {})}
        />,
        columns,
      );
      unmount();
      return frame;
    };
    expect(await shown(100)).toContain(
      'lifeline · work s_01m80d15c72e… · detached · lifeline --resume s_01m80d15c72eqxhs3a122mbhfd',
    );
    expect(await shown(70)).toContain(
      'lifeline · work · detached · lifeline --resume s_01m80d15c72e',
    );
    // Its shell ended (Ctrl+D at its prompt): coming back starts a new one.
    expect(await shown(100, 'shell exited')).toContain(
      'lifeline · work · detached · its shell ended · lifeline --resume s_01m80d15c72e',
    );
  });

  test('stays on one line in a narrow terminal: the cwd is cut by its start, or left out, then the id and the name', async () => {
    const cwd = '/home/ada/src/github.com/lifeline-dev/lifeline/apps/tui';
    const shown = async (columns: number) => {
      const { frame, unmount } = await renderFrame(
        <HeaderBar
          session={session}
          cwd={cwd}
          connection={{ status: 'live', target, generation: 1 }}
          crashLogPath="/x/crash.log"
        />,
        columns,
      );
      unmount();
      return frame.trimEnd().split('\n');
    };
    expect(await shown(100)).toEqual([`lifeline · work s_01m80d15c72e… · ${cwd} · ● ready`]);
    expect(await shown(70)).toEqual([
      'lifeline · work s_01m80d15c72e… · …/lifeline/apps/tui · ● ready',
    ]);
    expect(await shown(45)).toEqual(['lifeline · work s_01m80d15c72e… · ● ready']);
    // Narrower still: the session's id gives way, then its name, rather than the line wrapping.
    expect(await shown(40)).toEqual(['lifeline · work · ● ready']);
    expect(await shown(20)).toEqual(['lifeline · ● ready']);
    // Wide characters take two columns each, in the name and in the cwd.
    const wide = await renderFrame(
      <HeaderBar
        session={{ ...session, name: '開発' }}
        cwd="/srv/プロジェクト/アプリ"
        connection={{ status: 'live', target, generation: 1 }}
        crashLogPath="/x/crash.log"
      />,
      54,
    );
    expect(wide.frame.trimEnd().split('\n')).toEqual([
      'lifeline · 開発 s_01m80d15c72e… · …/アプリ · ● ready',
    ]);
    wide.unmount();
  });

  test('says what happened and what is being done while recovering', async () => {
    const { frame, unmount } = await renderFrame(
      <HeaderBar
        session={session}
        cwd="/srv/app"
        connection={{
          status: 'recovering',
          target,
          attempt: 1,
          of: 3,
          delayMs: 0,
          trigger: 'exit',
          lastExit: { code: null, signal: 'SIGKILL' },
          phase: 'starting',
        }}
        crashLogPath="/x/crash.log"
      />,
    );
    expect(frame).toContain('gateway exited (SIGKILL) — recovering session… attempt 1/3');
    unmount();
  });

  test('after giving up, points at /recover and the crash log', async () => {
    const { frame, unmount } = await renderFrame(
      <HeaderBar
        session={session}
        cwd="/"
        connection={gaveUp({ code: 1, signal: null })}
        crashLogPath="/x/crash.log"
      />,
      200,
    );
    expect(frame).toMatch(
      /gateway exited \(code 1\) — gave up after 3 recoveries within 1 min — \/recover · crash log: \/x\/crash\.log/,
    );
    unmount();
  });
});

test('after giving up, on a terminal too narrow for the crash log’s path: one line, `lifeline logs` for the path', async () => {
  const header = (columns: number) =>
    renderFrame(
      <HeaderBar
        session={session}
        cwd="/"
        connection={gaveUp({ code: null, signal: 'SIGKILL' })}
        crashLogPath="/home/someone/.local/state/lifeline/logs/crash.log"
      />,
      columns,
    );
  const wide = await header(120);
  expect(wide.frame.split('\n')).toEqual([
    'lifeline · work · gateway exited (SIGKILL) — gave up after 3 recoveries within 1 min — /recover · lifeline logs',
  ]);
  wide.unmount();
  const narrow = await header(100);
  expect(narrow.frame.split('\n')).toEqual([
    'lifeline · work · gateway exited (SIGKILL) — gave up after 3 recoveries within 1 min — /recover',
  ]);
  narrow.unmount();
});

describe('SessionPicker', () => {
  test('lists live, busy, waiting and ended sessions with cwd, last command and age', async () => {
    const ended = {
      ...session,
      sid: 's_01m80d15c72eqxhs3a122mbhfe' as never,
      status: 'ended' as const,
      name: 'old',
      lastCommand: undefined,
    };
    const busy = {
      ...session,
      sid: 's_01m80d16c72eqxhs3a122mbhfe' as never,
      name: 'dev',
      lastCommand: 'npm run dev',
      running: { runId: 'r2', command: 'npm run dev', startSeq: 3 },
    };
    const asking = {
      ...busy,
      sid: 's_01m80d17c72eqxhs3a122mbhfe' as never,
      name: 'ask',
      lastCommand: 'for i in 1 2; do\n  echo $i\ndone',
      running: { ...busy.running, waitsForInput: true },
    };
    const { frame, unmount } = await renderFrame(
      <SessionPicker
        sessions={[session, ended, busy, asking]}
        selected={1}
        current={sid}
        home="/srv"
        now={Date.parse('2026-11-22T01:00:00.000Z')}
        maxRows={20}
      />,
      160,
    );
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(
      /^sessions · ↑\/↓ move · Enter resumes · Esc closes · most recently active first/,
    );
    expect(lines[1]).toMatch(
      /^ {2}● live\s+s_01m80d15c72e… work \(shown\) ~\/app · make test · 1m ago/,
    );
    expect(lines[2]).toMatch(/^▸ ○ ended s_01m80d15c72e… old ~\/app · \(no runs\) · 1m ago/);
    expect(lines[3]).toMatch(/^ {2}● busy\s+s_01m80d16c72e… dev ~\/app · npm run dev · 1m ago/);
    // A command of several lines stays on the session's one line.
    expect(lines[4]).toMatch(
      /^ {2}● waits s_01m80d17c72e… ask ~\/app · for i in 1 2; do\\n {2}echo \$i\\ndone · 1m ago/,
    );
    unmount();
  });

  test('more sessions than its rows hold: the selected one is in view, and the header says which are shown', async () => {
    const many = Array.from({ length: 10 }, (_, index) => ({
      ...session,
      sid: `s_01m80d15c72eqxhs3a122mbh${String(index).padStart(2, '0')}` as never,
      name: `s${index}`,
    }));
    const shown = async (selected: number) => {
      const { frame, unmount } = await renderFrame(
        <SessionPicker
          sessions={many}
          selected={selected}
          current={undefined}
          now={Date.parse('2026-11-22T01:00:00.000Z')}
          maxRows={4}
        />,
        100,
      );
      unmount();
      const [header = '', ...rows] = frame.trimEnd().split('\n');
      return {
        header,
        rows: rows.map((row) => row.replace(/^(.) [●○] \S+\s+s_\S+ (\S+) .*$/u, '$1$2')),
      };
    };
    expect(await shown(0)).toEqual({
      header: expect.stringMatching(/^sessions 1–3 of 10 · ↑\/↓ move · Enter resumes/) as unknown,
      rows: ['▸s0', ' s1', ' s2'],
    });
    expect((await shown(5)).rows).toEqual([' s4', '▸s5', ' s6']);
    expect(await shown(9)).toEqual({
      header: expect.stringMatching(/^sessions 8–10 of 10 · /) as unknown,
      rows: [' s7', ' s8', '▸s9'],
    });
  });

  test('the pointer is where the selection is; the session shown is named, not pointed at', async () => {
    const other = { ...session, sid: 's_01m80d15c72eqxhs3a122mbhfe' as never, name: 'old' };
    const shown = async (selected: number, columns: number) => {
      const { frame, unmount } = await renderFrame(
        <SessionPicker
          sessions={[other, session]}
          selected={selected}
          current={sid}
          now={Date.parse('2026-11-22T01:00:00.000Z')}
          maxRows={20}
        />,
        columns,
      );
      unmount();
      return frame.trimEnd().split('\n').slice(1);
    };
    expect(await shown(1, 80)).toEqual([
      '  ● live  s_01m80d15c72e… old /srv/app · make test · 1m ago',
      '▸ ● live  s_01m80d15c72e… work (shown) /srv/app · make test · 1m ago',
    ]);
    // In a narrow terminal, still one line per session.
    expect(await shown(0, 34)).toEqual([
      '▸ ● live  s_01m80d15c72e… old /sr…',
      '  ● live  s_01m80d15c72e… work (s…',
    ]);
  });
});

describe('InputLine', () => {
  test('shows the text with the cursor, and says where keys go while a command runs', async () => {
    const line = lineEditor.left(lineEditor.insert(emptyLine, 'echo hi'));
    const idle = await renderFrame(<InputLine line={line} running={false} hint={undefined} />);
    expect(idle.frame.trim()).toBe('› echo hi');
    idle.unmount();
    const busy = await renderFrame(<InputLine line={emptyLine} running hint={undefined} />);
    expect(busy.frame.trim()).toBe(
      'keys go to the running command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands: /quit, /sessions…',
    );
    busy.unmount();
  });

  test('its hint is the longest variant that fits on the row after the prompt, never wrapped', async () => {
    const slash = lineEditor.insert(emptyLine, '/');
    const hints = [
      ' help, new, sessions, quit… · Enter runs · Esc closes',
      ' help · Esc closes',
    ] as const;
    const shown = async (columns: number) => {
      const { frame, unmount } = await renderFrame(
        <InputLine line={slash} running={false} commandLine hint={hints} />,
        columns,
      );
      unmount();
      return frame.trimEnd().split('\n');
    };
    expect(await shown(80)).toEqual([`lifeline › / ${hints[0]}`]);
    expect(await shown(60)).toEqual([`lifeline › / ${hints[1]}`]);
    expect(await shown(20)).toEqual(['lifeline › /  help…']);
  });

  test('while a command runs, the line says what fits the terminal on one line', async () => {
    const shown = async (columns: number) => {
      const { frame, unmount } = await renderFrame(
        <InputLine line={emptyLine} running hint={undefined} />,
        columns,
      );
      unmount();
      return frame.trimEnd().split('\n');
    };
    expect(await shown(80)).toEqual([
      'keys go to the command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands',
    ]);
    expect(await shown(50)).toEqual(['keys go to the command · Ctrl+C interrupts']);
    expect(await shown(40)).toEqual(['Ctrl+C interrupts · Ctrl+] commands']);
    expect(await shown(30)).toEqual(['Ctrl+C interrupts']);
    expect(await shown(12)).toEqual(['Ctrl+C inte…']);
  });
});
