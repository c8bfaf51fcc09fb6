import { expect, test } from 'vitest';
import { TypedInput, type TypedWrite, type TypedWriteOutcome } from './typed-input.js';

/** Typed input whose writes finish when the test says, to a session the test names. */
function inputWorld() {
  const writes: string[] = [];
  const sent: TypedWrite[] = [];
  const finishers: ((outcome: TypedWriteOutcome) => void)[] = [];
  const dropped: string[] = [];
  let sid = 's_first';
  let live: ((live: boolean) => void) | undefined;
  let key = 0;
  const input = new TypedInput({
    sid: () => sid,
    write: (write) =>
      new Promise<TypedWriteOutcome>((resolve) => {
        writes.push(write.data);
        sent.push(write);
        finishers.push(resolve);
      }),
    untilLive: () =>
      new Promise<boolean>((resolve) => {
        live = resolve;
      }),
    dropped: (characters, why) => dropped.push(`${characters} ${why}`),
    newKey: () => `key-${(key += 1)}`,
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const finishWrite = async (outcome: TypedWriteOutcome = 'sent') => {
    const finish = finishers.shift();
    if (!finish) throw new Error('no write on its way');
    finish(outcome);
    // The next write starts once the promise of this one has settled.
    await settle();
  };
  const backLive = async (isLive = true) => {
    if (!live) throw new Error('nothing waits for the gateway');
    live(isLive);
    live = undefined;
    await settle();
  };
  return {
    input,
    writes,
    sent,
    dropped,
    finishWrite,
    backLive,
    showSession: (next: string) => {
      sid = next;
    },
  };
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

test('writes the gateway went away without answering go again, in order and under their names, before what was typed since', async () => {
  const world = inputWorld();
  for (const key of 'ab') world.input.type(key);
  await world.finishWrite();
  // The gateway goes away: `b` has no answer, nor `c` typed just after.
  world.input.type('c');
  await world.finishWrite('connection-lost');
  await world.finishWrite('connection-lost');
  world.input.type('d');
  expect(world.writes).toEqual(['a', 'b', 'c']);
  await world.backLive();
  expect(world.sent.slice(3).map(({ data, key }) => `${data}:${key}`)).toEqual([
    'b:key-2',
    'c:key-3',
    'd:key-4',
  ]);
  expect(world.dropped).toEqual([]);
});

test('keys are dropped, in words, when the gateway does not come back or another session is shown', async () => {
  const world = inputWorld();
  world.input.type('ls');
  await world.finishWrite('connection-lost');
  world.input.type('\r');
  await world.backLive(false);
  expect(world.dropped).toEqual(['3 gateway']);
  expect(world.writes).toEqual(['ls']);

  world.input.type('pwd');
  await world.finishWrite('connection-lost');
  world.showSession('s_other');
  await world.backLive();
  expect(world.dropped).toEqual(['3 gateway', '3 session']);
  world.input.type('x');
  expect(world.sent.at(-1)).toMatchObject({ data: 'x', sid: 's_other' });
});

test('a send after typed keys goes once they are written, past the limit of writes on their way; keys typed after it follow it', async () => {
  const world = inputWorld();
  const order: string[] = [];
  for (const key of 'echo hi') world.input.type(key);
  // Eight on their way: the rest would wait for an answer.
  world.input.type('!\r');
  world.input.afterTyped(() => order.push(`send after ${world.writes.join('')}`));
  world.input.type('ls');
  expect(order).toEqual(['send after echo hi!\r']);
  expect(world.writes.at(-1)).toBe('!\r');
  // What was typed after the send waits its turn, as keys do.
  await world.finishWrite();
  expect(world.writes.at(-1)).toBe('ls');
});

test('a send waits behind keys the gateway went away without answering, until they went again', async () => {
  const world = inputWorld();
  const order: string[] = [];
  world.input.type('q');
  world.input.afterTyped(() => order.push(`send after ${world.writes.join('')}`));
  expect(order).toEqual(['send after q']);
  world.input.type('y');
  await world.finishWrite('connection-lost');
  world.input.afterTyped(() => order.push(`send after ${world.writes.join('')}`));
  await world.finishWrite('connection-lost');
  expect(order).toHaveLength(1);
  await world.backLive();
  expect(order).toEqual(['send after q', 'send after qyqy']);
});

test('a send that waited for a gateway that does not come back is made anyway, to say so', async () => {
  const world = inputWorld();
  const sends: string[] = [];
  world.input.type('x');
  await world.finishWrite('connection-lost');
  world.input.afterTyped(() => sends.push('interrupt'));
  await world.backLive(false);
  expect(world.dropped).toEqual(['1 gateway']);
  expect(sends).toEqual(['interrupt']);
});
