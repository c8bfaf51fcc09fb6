import { expect, test } from 'vitest';
import { Fifo } from './fifo.js';

test('hands items back oldest first, across thousands taken and more pushed', () => {
  const fifo = new Fifo<number>();
  expect(fifo.shift()).toBeUndefined();
  for (let item = 0; item < 3000; item += 1) fifo.push(item);
  for (let item = 0; item < 2500; item += 1) expect(fifo.shift()).toBe(item);
  fifo.push(3000);
  expect(fifo.first).toBe(2500);
  expect(fifo.last).toBe(3000);
  for (let item = 2500; item <= 3000; item += 1) expect(fifo.shift()).toBe(item);
  expect(fifo.isEmpty).toBe(true);
  expect(fifo.last).toBeUndefined();
});
