import { expect, test } from 'vitest';
import { TypedInput } from './typed-input.js';

/** Typed input whose writes finish when the test says. */
function inputWorld() {
  const writes: string[] = [];
  const finishers: (() => void)[] = [];
  const input = new TypedInput(
    (data) =>
      new Promise<void>((resolve) => {
        writes.push(data);
        finishers.push(resolve);
      }),
  );
  const finishWrite = async () => {
    const finish = finishers.shift();
    if (!finish) throw new Error('no write on its way');
    finish();
    // The next write starts once the promise of this one has settled.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { input, writes, finishWrite };
}

test('keys are written at once, and what is typed while a write is on its way goes next, as one piece', async () => {
  const world = inputWorld();
  world.input.type('l');
  expect(world.writes).toEqual(['l']);
  world.input.type('s');
  world.input.type(' -l');
  world.input.type('\r');
  expect(world.writes).toEqual(['l']);
  await world.finishWrite();
  expect(world.writes).toEqual(['l', 's -l\r']);
  await world.finishWrite();
  world.input.type('x');
  expect(world.writes).toEqual(['l', 's -l\r', 'x']);
});

test('a huge paste goes in pieces, in order, none cutting a character in two', async () => {
  const world = inputWorld();
  const text = `${'a'.repeat(128 * 1024 - 1)}😀${'b'.repeat(10)}`;
  world.input.type(text);
  const [first] = world.writes;
  expect(first).toBe('a'.repeat(128 * 1024 - 1));
  await world.finishWrite();
  expect(world.writes[1]).toBe(`😀${'b'.repeat(10)}`);
  await world.finishWrite();
  expect(world.writes.join('')).toBe(text);
});
