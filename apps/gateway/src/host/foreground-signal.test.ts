import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { foregroundProcessGroup, planSignalDelivery, typeSignalKey } from './foreground-signal.js';

test('interrupt, quit and suspend are typed as their keys, like a person at the terminal', () => {
  expect(planSignalDelivery('SIGINT', 1)).toEqual({ kind: 'key', key: '\x03' });
  expect(planSignalDelivery('SIGQUIT', 1)).toEqual({ kind: 'key', key: '\x1c' });
  expect(planSignalDelivery('SIGTSTP', 1)).toEqual({ kind: 'key', key: '\x1a' });
});

test('other signals go to the foreground process group named in /proc', () => {
  const stat = '4242 (my (odd) cmd) S 1 4242 4242 34816 5151 4194560 0 0';
  expect(foregroundProcessGroup(4242, () => stat)).toBe(5151);
  expect(planSignalDelivery('SIGTERM', 4242, () => stat)).toEqual({ kind: 'kill', pid: -5151 });
});

test('without a terminal the signal goes to the shell itself', () => {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  try {
    const pid = child.pid ?? 0;
    expect(foregroundProcessGroup(pid)).toBeUndefined();
    expect(planSignalDelivery('SIGTERM', pid)).toEqual({ kind: 'kill', pid });
  } finally {
    child.kill('SIGKILL');
  }
});

describe('an interrupt key that reached the shell while it was starting the command', () => {
  const shellPid = 4242;
  /**
   * A terminal whose foreground group is `foreground` (changeable); `typed` runs as the key is
   * typed (the terminal changing hands just then).
   */
  function terminal(foreground: number, typed: () => void = () => undefined) {
    /** Forked children that have not started their command yet: they still run the shell. */
    const state = {
      foreground,
      running: true,
      typed: 0,
      retyped: 0,
      notStarted: new Set<number>(),
      ended: new Set<number>(),
    };
    const options = {
      shellPid,
      type: () => {
        state.typed += 1;
        typed();
      },
      stillRunning: () => state.running,
      retype: () => (state.retyped += 1),
      readStat: (pid: number) =>
        `${pid} (x) ${state.ended.has(pid) ? 'Z' : 'S'} 1 ${pid} ${pid} 34816 ${state.foreground} 4194560 0 0`,
      readCommandLine: (pid: number) =>
        pid === shellPid || state.notStarted.has(pid) ? 'bash\0-i\0' : 'sleep\u000030\0',
    };
    return { state, options };
  }
  afterEach(() => {
    vi.useRealTimers();
  });

  test('is typed once more when the command then takes the terminal and its run goes on', () => {
    vi.useFakeTimers();
    const { state, options } = terminal(shellPid);
    typeSignalKey(options);
    expect(state.typed).toBe(1);
    vi.advanceTimersByTime(50);
    expect(state.retyped).toBe(0);
    state.foreground = 5151;
    vi.advanceTimersByTime(2000);
    expect(state.retyped).toBe(1);
  });

  test('is typed once more when the command took the terminal just as the key was typed and still runs after a moment', () => {
    vi.useFakeTimers();
    // Whether the key reached the shell or the command is not known: the command's going on tells.
    const { state, options } = terminal(shellPid, () => (state.foreground = 5151));
    typeSignalKey(options);
    vi.advanceTimersByTime(50);
    expect(state.retyped).toBe(0);
    vi.advanceTimersByTime(200);
    expect(state.retyped).toBe(1);
  });

  test('is not typed again when the command it reached ends at once, before its shell is back', () => {
    vi.useFakeTimers();
    const { state, options } = terminal(shellPid, () => (state.foreground = 5151));
    typeSignalKey(options);
    vi.advanceTimersByTime(20);
    state.ended.add(5151);
    vi.advanceTimersByTime(2000);
    expect(state.retyped).toBe(0);
  });

  test("is typed once more when it reached the shell's child before that child started the command", () => {
    vi.useFakeTimers();
    // The child already holds the terminal but still runs the shell's code (and signal handlers).
    const { state, options } = terminal(5151);
    state.notStarted.add(5151);
    typeSignalKey(options);
    vi.advanceTimersByTime(50);
    expect(state.retyped).toBe(0);
    state.notStarted.delete(5151);
    vi.advanceTimersByTime(300);
    expect(state.retyped).toBe(1);
  });

  test("waits for the command itself when the shell's child takes the terminal first", () => {
    vi.useFakeTimers();
    const { state, options } = terminal(shellPid);
    typeSignalKey(options);
    state.foreground = 5151;
    state.notStarted.add(5151);
    vi.advanceTimersByTime(300);
    expect(state.retyped).toBe(0);
    state.notStarted.delete(5151);
    vi.advanceTimersByTime(300);
    expect(state.retyped).toBe(1);
  });

  test('is typed once more when the command takes the terminal seconds later, as on a loaded machine', () => {
    vi.useFakeTimers();
    const { state, options } = terminal(shellPid);
    typeSignalKey(options);
    vi.advanceTimersByTime(3000);
    state.foreground = 5151;
    vi.advanceTimersByTime(300);
    expect(state.retyped).toBe(1);
  });

  test('is not typed again when the command already held the terminal, or the run ended, or nothing took the terminal in time', () => {
    vi.useFakeTimers();
    const held = terminal(5151);
    typeSignalKey(held.options);
    vi.advanceTimersByTime(2000);
    expect(held.state).toMatchObject({ typed: 1, retyped: 0 });

    const ended = terminal(shellPid);
    typeSignalKey(ended.options);
    ended.state.running = false;
    ended.state.foreground = 5151;
    vi.advanceTimersByTime(2000);
    expect(ended.state.retyped).toBe(0);

    const late = terminal(shellPid);
    typeSignalKey({ ...late.options, windowMs: 500 });
    vi.advanceTimersByTime(1000);
    late.state.foreground = 5151;
    vi.advanceTimersByTime(2000);
    expect(late.state.retyped).toBe(0);
  });
});
