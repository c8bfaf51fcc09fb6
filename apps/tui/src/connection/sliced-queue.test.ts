import { describe, expect, test } from 'vitest';
import { SlicedQueue } from './sliced-queue.js';

/** A queue on a fake clock: each item takes `costMs` to apply; slices run when `runSlice()` says. */
function queueWorld(costMs: number, limits = { pauseAbove: 100, resumeBelow: 30 }) {
  let clock = 0;
  const applied: number[] = [];
  const log: string[] = [];
  const slices: (() => void)[] = [];
  const queue = new SlicedQueue<number>({
    apply: (item) => {
      clock += costMs;
      applied.push(item);
    },
    sizeOf: () => 10,
    pauseAbove: () => limits.pauseAbove,
    resumeBelow: () => limits.resumeBelow,
    sliceMs: 5,
    pause: () => log.push(`pause after ${applied.length}`),
    resume: () => log.push(`resume after ${applied.length}`),
    now: () => clock,
    schedule: (run) => slices.push(run),
  });
  const runSlice = () => {
    const slice = slices.shift();
    if (!slice) throw new Error('no slice scheduled');
    slice();
  };
  return { queue, applied, log, slices, runSlice, limits };
}

describe('SlicedQueue', () => {
  test('applies items in order, a bounded time at a time, yielding between slices', () => {
    const world = queueWorld(2);
    for (let item = 0; item < 7; item += 1) world.queue.push(item);
    expect(world.applied).toEqual([]);
    expect(world.slices).toHaveLength(1);
    world.runSlice();
    // 2 ms each, 5 ms per slice: the third item crosses the budget and ends the slice.
    expect(world.applied).toEqual([0, 1, 2]);
    world.runSlice();
    expect(world.applied).toEqual([0, 1, 2, 3, 4, 5]);
    world.runSlice();
    expect(world.applied).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(world.slices).toHaveLength(0);
    expect(world.queue.waiting).toBe(0);
  });

  test('pauses the source once too much waits and resumes it when the backlog is low again', () => {
    const world = queueWorld(1);
    for (let item = 0; item < 12; item += 1) world.queue.push(item);
    // 10 per item: the 11th pushed item takes the backlog over 100.
    expect(world.log).toEqual(['pause after 0']);
    world.runSlice();
    expect(world.applied).toHaveLength(5);
    expect(world.log).toEqual(['pause after 0']);
    world.runSlice();
    // 20 left waiting: under 30.
    expect(world.log).toEqual(['pause after 0', 'resume after 10']);
    world.runSlice();
    expect(world.applied).toEqual(Array.from({ length: 12 }, (_, item) => item));
  });

  test('takes its limits as they are when it looks: a higher one lets more wait unpaused', () => {
    const world = queueWorld(1);
    world.limits.pauseAbove = 200;
    for (let item = 0; item < 15; item += 1) world.queue.push(item);
    expect(world.log).toEqual([]);
    for (let item = 15; item < 21; item += 1) world.queue.push(item);
    expect(world.log).toEqual(['pause after 0']);
  });

  test('flush applies everything at once and resumes a paused source', () => {
    const world = queueWorld(3);
    for (let item = 0; item < 15; item += 1) world.queue.push(item);
    world.queue.flush();
    expect(world.applied).toEqual(Array.from({ length: 15 }, (_, item) => item));
    expect(world.log).toEqual(['pause after 0', 'resume after 15']);
    // The slice scheduled before finds nothing left to do.
    world.runSlice();
    expect(world.applied).toHaveLength(15);
  });

  test('an item applied during a slice may flush the rest without breaking the order', () => {
    const applied: number[] = [];
    const slices: (() => void)[] = [];
    const queue: SlicedQueue<number> = new SlicedQueue<number>({
      apply: (item) => {
        applied.push(item);
        if (item === 1) queue.flush();
      },
      sizeOf: () => 1,
      pauseAbove: () => 100,
      resumeBelow: () => 10,
      sliceMs: 1000,
      pause: () => undefined,
      resume: () => undefined,
      now: () => 0,
      schedule: (run) => slices.push(run),
    });
    for (let item = 0; item < 5; item += 1) queue.push(item);
    slices.shift()?.();
    expect(applied).toEqual([0, 1, 2, 3, 4]);
    expect(queue.waiting).toBe(0);
  });
});
