import type { EventPayload, SessionEvent } from '@lifeline/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { AttachProgress } from '../connection/attach-progress.js';
import { createEmulatedScreen } from '../terminal/emulated-screen.js';
import { createDisplayLines } from './display-lines.js';
import type { PassthroughAction } from './passthrough-plan.js';
import { scrollRegionReset } from '../terminal-sequences.js';
import { ScreenHandover, CHROME_ROWS } from './screen-handover.js';
import { SessionView } from './session-view.js';

const event = (seq: number, payload: EventPayload): SessionEvent => ({
  seq,
  time: seq,
  ...payload,
});
const output = (seq: number, data: string) => event(seq, { type: 'output', data });

/** A handover for a 100×30 terminal, recording what it hands over and how it sizes the session. */
function handoverWorld() {
  const progress = new AttachProgress();
  const view = new SessionView({
    createLines: createDisplayLines,
    createRunLines: createEmulatedScreen,
    onNewTranscript: () => handover.reset(),
  });
  const actions: PassthroughAction[] = [];
  const sizes: { cols: number; rows: number }[] = [];
  const handover: ScreenHandover = new ScreenHandover({
    view,
    progress,
    size: { cols: 100, rows: 30 },
    resizeSession: (size) => {
      sizes.push(size);
      return Promise.resolve();
    },
    breadcrumb: () => undefined,
    changed: () => undefined,
  });
  handover.onPassthrough((action) => actions.push(action));
  view.show('s_test');
  /** An event of the session as the controller takes it: into the transcript, then the handover. */
  const receive = (received: SessionEvent) => {
    view.fold.apply(received);
    handover.follow(received);
  };
  return { handover, progress, actions, sizes, receive };
}

test('the session’s terminal is the rows above the TUI’s lines, and the whole terminal while a program has it', () => {
  const world = handoverWorld();
  expect(world.handover.sessionSize()).toEqual({ cols: 100, rows: 30 - CHROME_ROWS });
  world.handover.follow(output(0, 'before\x1b[?1049hdrawn'));
  expect(world.handover.mode).toBe('alternate-screen');
  expect(world.handover.sessionSize()).toEqual({ cols: 100, rows: 30 });
  expect(world.sizes.at(-1)).toEqual({ cols: 100, rows: 30 });
  world.handover.follow(output(1, 'more\x1b[?1049lafter'));
  expect(world.handover.mode).toBe('off');
  expect(world.sizes.at(-1)).toEqual({ cols: 100, rows: 30 - CHROME_ROWS });
  expect(world.actions.map((action) => action.kind)).toEqual([
    'enter',
    'raw',
    'raw',
    'raw',
    'leave',
  ]);
});

test('a program that ends without leaving the alternate screen gives the terminal back', () => {
  const world = handoverWorld();
  world.handover.follow(event(0, { type: 'run_start', runId: 'r1', command: 'vim' }));
  world.handover.follow(output(1, '\x1b[?1049h'));
  expect(world.handover.mode).toBe('alternate-screen');
  world.handover.follow(
    event(2, {
      type: 'run_complete',
      runId: 'r1',
      startSeq: 0,
      exitCode: 137,
      cwd: '/',
      durationMs: 1,
    }),
  );
  expect(world.handover.mode).toBe('off');
  expect(world.actions.at(-1)).toEqual({ kind: 'leave' });
});

test('a full-screen program found running in the history gets the terminal once the history is caught up, and redraws', async () => {
  const world = handoverWorld();
  world.progress.begin();
  world.progress.answered(-1, 1);
  world.progress.end();
  world.handover.follow(output(0, '\x1b[?1049h'));
  expect(world.handover.mode).toBe('off');
  expect(world.actions).toEqual([]);
  world.handover.follow(output(1, 'a frame of the history'));
  expect(world.handover.mode).toBe('alternate-screen');
  expect(world.actions.map((action) => action.kind)).toEqual(['enter', 'raw']);
  // Made to redraw: a size one row short, then its size again.
  await vi.waitFor(() => {
    expect(world.sizes.slice(-2)).toEqual([
      { cols: 100, rows: 29 },
      { cols: 100, rows: 30 },
    ]);
  });
});

test('a program of the history that left the alternate screen again is not handed the terminal', () => {
  const world = handoverWorld();
  world.progress.begin();
  world.progress.answered(-1, 1);
  world.progress.end();
  world.handover.follow(output(0, '\x1b[?1049h'));
  world.handover.follow(output(1, '\x1b[?1049l'));
  expect(world.handover.mode).toBe('off');
  expect(world.actions).toEqual([]);
});

test('the program’s bracketed-paste mode follows its output and ends with its run', () => {
  const world = handoverWorld();
  expect(world.handover.programBracketedPaste).toBe(false);
  world.handover.follow(output(0, '$ \x1b[?2004h'));
  expect(world.handover.programBracketedPaste).toBe(true);
  world.handover.follow(
    event(1, {
      type: 'run_complete',
      runId: 'r1',
      startSeq: 0,
      exitCode: 0,
      cwd: '/',
      durationMs: 1,
    }),
  );
  expect(world.handover.programBracketedPaste).toBe(false);
});

test('taking the terminal back, or showing another session, leaves the program’s screen', () => {
  const world = handoverWorld();
  world.handover.follow(output(0, '\x1b[?1049h'));
  world.handover.takeBack();
  expect(world.handover.mode).toBe('off');
  world.handover.follow(output(1, '\x1b[?1049l\x1b[?1049h'));
  expect(world.handover.mode).toBe('alternate-screen');
  world.handover.reset();
  expect(world.handover.mode).toBe('off');
  expect(world.actions.filter((action) => action.kind === 'leave')).toHaveLength(2);
});

test('a resize of the session’s terminal while the program has the user’s one resets the scroll region there, as a terminal does', () => {
  const world = handoverWorld();
  const resize = (seq: number, rows: number) => event(seq, { type: 'resize', cols: 100, rows });
  world.handover.follow(resize(0, 30 - CHROME_ROWS));
  // Not handed over: the TUI draws the screen itself.
  world.handover.follow(resize(1, 20));
  expect(world.actions).toEqual([]);
  world.handover.follow(output(2, '\x1b[?1049h\x1b[1;20r'));
  world.handover.follow(resize(3, 30));
  world.handover.follow(output(4, 'redrawn'));
  // The same size again changes nothing, and the program keeps the region it set.
  world.handover.follow(resize(5, 30));
  const raw = world.actions.flatMap((action) => (action.kind === 'raw' ? [action.data] : []));
  expect(raw.join('')).toBe(`\x1b[?1049h\x1b[1;20r${scrollRegionReset}redrawn`);
});

describe('the attach key typed with the Enter of a command (a fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('whose run starts late (a machine under load) hands that run the terminal', () => {
    const world = handoverWorld();
    world.handover.attachToRun();
    vi.advanceTimersByTime(1000);
    world.receive(output(0, 'cat\r\n'));
    world.receive(event(1, { type: 'run_start', runId: 'r1', command: 'cat' }));
    vi.advanceTimersByTime(1000);
    expect(world.handover.mode).toBe('attached');
  });

  test('pressed while the shell still starts: the line typed with it is entered at its first prompt, and that run is handed the terminal', () => {
    const world = handoverWorld();
    world.receive(event(0, { type: 'host_start', pid: 1, cwd: '/' }));
    world.handover.attachToRun();
    // Startup files slower than the key waits.
    vi.advanceTimersByTime(5000);
    world.receive(event(1, { type: 'prompt_start' }));
    world.receive(output(2, 'started> '));
    world.receive(event(3, { type: 'prompt_end' }));
    vi.advanceTimersByTime(1000);
    world.receive(output(4, 'cat\r\n'));
    world.receive(event(5, { type: 'run_start', runId: 'r1', command: 'cat' }));
    vi.advanceTimersByTime(1000);
    expect(world.handover.mode).toBe('attached');
  });

  test('that starts no run is forgotten once the shell draws its prompt again: the next run is not handed the terminal', () => {
    const world = handoverWorld();
    world.handover.attachToRun();
    world.receive(event(0, { type: 'prompt_start' }));
    world.receive(output(1, 'cat\r\n'));
    world.receive(event(2, { type: 'run_start', runId: 'r1', command: 'cat' }));
    vi.advanceTimersByTime(2000);
    expect(world.handover.mode).toBe('off');
  });
});

describe('a program that took the alternate screen and missed its terminal growing (a fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** vim's screen drawn for `rows` rows: a line of text, `~` rows, its message on the last. */
  const vimScreen = (rows: number) =>
    `\x1b[H\x1b[2Jtext\r\n${'~\r\n'.repeat(rows - 2)}"f" 1L, 5B\x1b[1;1H`;

  /** vim started in a 100×30 terminal: the session's terminal grows from 28 rows to 30 as it takes it. */
  function vimStarted() {
    const world = handoverWorld();
    world.receive(event(0, { type: 'resize', cols: 100, rows: 30 - CHROME_ROWS }));
    world.receive(event(1, { type: 'run_start', runId: 'r1', command: 'vim f' }));
    // The shell's echo of the command line, then vim taking the alternate screen.
    world.receive(output(2, 'vim f\r\n\x1b[?1049h'));
    expect(world.sizes.at(-1)).toEqual({ cols: 100, rows: 30 });
    world.sizes.length = 0;
    world.receive(event(3, { type: 'resize', cols: 100, rows: 30 }));
    return world;
  }

  test('drawn for the rows it started with, it is made to redraw once it is quiet: once', async () => {
    const world = vimStarted();
    world.receive(output(4, vimScreen(30 - CHROME_ROWS)));
    await vi.advanceTimersByTimeAsync(100);
    // Still printing: not yet.
    world.receive(output(5, '\x1b[2;1H'));
    await vi.advanceTimersByTimeAsync(250);
    expect(world.sizes).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(world.sizes).toEqual([
      { cols: 100, rows: 29 },
      { cols: 100, rows: 30 },
    ]);
    // The redraw's sizes, and a program that still draws short: no second time.
    world.receive(event(6, { type: 'resize', cols: 100, rows: 29 }));
    world.receive(event(7, { type: 'resize', cols: 100, rows: 30 }));
    world.receive(output(8, vimScreen(30 - CHROME_ROWS)));
    await vi.advanceTimersByTimeAsync(2000);
    expect(world.sizes).toHaveLength(2);
  });

  test('drawn at the new size (its last rows too), it is left alone', async () => {
    const world = vimStarted();
    world.receive(output(4, vimScreen(30)));
    await vi.advanceTimersByTimeAsync(2000);
    expect(world.sizes).toEqual([]);
  });

  test('that has drawn nothing yet is looked at once it has drawn and is quiet', async () => {
    const world = vimStarted();
    await vi.advanceTimersByTimeAsync(2000);
    expect(world.sizes).toEqual([]);
    world.receive(output(4, vimScreen(30 - CHROME_ROWS)));
    await vi.advanceTimersByTimeAsync(400);
    expect(world.sizes).toHaveLength(2);
  });

  test('that left the alternate screen before it was looked at is not made to redraw', async () => {
    const world = vimStarted();
    world.receive(output(4, `${vimScreen(30 - CHROME_ROWS)}\x1b[?1049l`));
    world.sizes.length = 0;
    await vi.advanceTimersByTimeAsync(2000);
    expect(world.sizes).toEqual([]);
  });
});
