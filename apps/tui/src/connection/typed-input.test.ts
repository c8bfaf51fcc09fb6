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

test('keys are written as they are typed, a few writes on their way at once; past that, what is typed goes next, as one piece', async () => {
  const world = inputWorld();
  world.input.type('l');
  world.input.type('s');
  expect(world.writes).toEqual(['l', 's']);
  for (const key of ' -la') world.input.type(key);
  expect(world.writes).toEqual(['l', 's', ' ', '-', 'l', 'a']);
  world.input.type('\r');
  world.input.type('x');
  // Eight on their way: the rest waits for one of them.
  world.input.type('y');
  world.input.type('z');
  expect(world.writes).toEqual(['l', 's', ' ', '-', 'l', 'a', '\r', 'x']);
  await world.finishWrite();
  expect(world.writes.at(-1)).toBe('yz');
  await world.finishWrite();
  world.input.type('!');
  expect(world.writes.at(-1)).toBe('!');
  expect(world.writes.join('')).toBe('ls -la\rxyz!');
});

test('a huge paste goes in pieces, in order, none cutting a character in two', () => {
  const world = inputWorld();
  const text = `${'a'.repeat(128 * 1024 - 1)}😀${'b'.repeat(10)}`;
  world.input.type(text);
  expect(world.writes).toEqual(['a'.repeat(128 * 1024 - 1), `😀${'b'.repeat(10)}`]);
  expect(world.writes.join('')).toBe(text);
});
