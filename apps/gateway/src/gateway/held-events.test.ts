import type { SessionEvent } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { HeldEvents } from './held-events.js';

const output = (seq: number, length = 10): SessionEvent => ({
  seq,
  time: 0,
  type: 'output',
  data: 'x'.repeat(length),
});

test('holds consecutive events from the next seq on, and hands them out in order', () => {
  const held = new HeldEvents(1000);
  expect(held.keep(output(5), 5)).toBe(true);
  expect(held.keep(output(6), 5)).toBe(true);
  expect(held.size).toBe(20);
  expect(held.next(5)?.seq).toBe(5);
  held.take();
  expect(held.next(7)).toBeUndefined();
  expect(held.isEmpty).toBe(true);
});

test('an event that does not follow on, or does not fit, lets go of everything held', () => {
  const held = new HeldEvents(25);
  expect(held.keep(output(3), 4)).toBe(false);
  held.keep(output(4), 4);
  expect(held.keep(output(6), 4)).toBe(false);
  expect(held.isEmpty).toBe(true);
  held.keep(output(4), 4);
  held.keep(output(5), 4);
  expect(held.keep(output(6), 4)).toBe(false);
  expect(held.size).toBe(0);
});

test('thousands of events taken one by one keep the count exact', () => {
  const held = new HeldEvents(1_000_000);
  for (let seq = 0; seq < 5000; seq += 1) held.keep(output(seq, 3), 0);
  for (let seq = 0; seq < 4000; seq += 1) {
    expect(held.next(seq)?.seq).toBe(seq);
    held.take();
  }
  expect(held.size).toBe(3000);
  expect(held.next(4999)?.seq).toBe(4999);
  expect(held.size).toBe(3);
});
