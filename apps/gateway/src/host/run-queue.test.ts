import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RunQueue } from './run-queue.js';

describe('RunQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('runs are taken in the order they were asked for, with their deadlines', () => {
    let now = 100;
    const queue = new RunQueue(() => now);
    void queue.add('first', 1000, true, () => new Error('busy'));
    now = 200;
    void queue.add('second', 500, false, () => new Error('busy'));
    expect(queue.nextCommand).toBe('first');
    expect(queue.take()).toMatchObject({ command: 'first', deadline: 1100, wait: true });
    expect(queue.take()).toMatchObject({ command: 'second', deadline: 700, wait: false });
    expect(queue.take()).toBeUndefined();
  });

  test('a run not started before its timeout leaves the queue with the busy error', async () => {
    const queue = new RunQueue(() => 0);
    const result = queue.add('late', 1000, true, () => new Error('still busy'));
    void queue.add('later', 5000, true, () => new Error('unused'));
    vi.advanceTimersByTime(1000);
    await expect(result).rejects.toThrow('still busy');
    expect(queue.nextCommand).toBe('later');
  });

  test('a run taken in time is not rejected by its timeout', async () => {
    const queue = new RunQueue(() => 0);
    const result = queue.add('on time', 1000, true, () => new Error('busy'));
    const taken = queue.take();
    vi.advanceTimersByTime(5000);
    taken?.resolve({ runId: 'r', startSeq: 0, completed: true, timedOut: false, exited: false });
    await expect(result).resolves.toMatchObject({ runId: 'r' });
  });

  test('a run withdrawn while queued leaves the queue with the reason; one taken already is not withdrawn', async () => {
    const queue = new RunQueue(() => 0);
    const withdrawal = new AbortController();
    const withdrawn = queue.add('withdrawn', 5000, true, () => new Error('busy'), {
      withdrawn: withdrawal.signal,
    });
    void queue.add('after', 5000, true, () => new Error('busy'));
    withdrawal.abort(new Error('the caller cancelled the request'));
    await expect(withdrawn).rejects.toThrow('the caller cancelled the request');
    expect(queue.nextCommand).toBe('after');

    const late = new AbortController();
    const started = queue.add('started', 5000, true, () => new Error('busy'), {
      withdrawn: late.signal,
    });
    queue.take();
    const taken = queue.take();
    late.abort(new Error('too late'));
    taken?.resolve({ runId: 'r', startSeq: 0, completed: true, timedOut: false, exited: false });
    await expect(started).resolves.toMatchObject({ runId: 'r' });
  });

  test('rejectAll settles every queued run with the error', async () => {
    const queue = new RunQueue(() => 0);
    const results = [
      queue.add('a', 1000, true, () => new Error('busy')),
      queue.add('b', 1000, true, () => new Error('busy')),
    ];
    queue.rejectAll(new Error('exited'));
    for (const result of results) await expect(result).rejects.toThrow('exited');
    expect(queue.take()).toBeUndefined();
  });
});
