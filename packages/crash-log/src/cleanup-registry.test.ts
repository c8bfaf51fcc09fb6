import { expect, test } from 'vitest';
import { CleanupRegistry } from './cleanup-registry.js';

test('runs every cleanup once, newest first, and reports each outcome', async () => {
  const registry = new CleanupRegistry();
  const order: string[] = [];
  registry.add('close-server', () => void order.push('close-server'));
  const remove = registry.add('removed', () => void order.push('removed'));
  registry.add('kill-child', () => void order.push('kill-child'));
  registry.add('broken', () => {
    throw new Error('nope');
  });
  remove();
  expect(registry.size).toBe(3);
  const outcomes = await registry.run();
  expect(order).toEqual(['kill-child', 'close-server']);
  expect(outcomes.map((outcome) => [outcome.name, outcome.ok])).toEqual([
    ['broken', false],
    ['kill-child', true],
    ['close-server', true],
  ]);
  expect(await registry.run()).toBe(outcomes);
  expect(order).toHaveLength(2);
});

test('a cleanup that is not a function, or has no name, is refused when it is added', () => {
  const registry = new CleanupRegistry();
  expect(() => registry.add('x', 5 as unknown as () => void)).toThrow(
    expect.objectContaining({
      code: 'INVALID_OPTION',
      message: 'cleanup "x" must be a function, run at shutdown (got 5)',
    }) as Error,
  );
  expect(() => registry.add('', () => undefined)).toThrow(/a cleanup needs a name/);
  expect(registry.size).toBe(0);
});

test('a hung cleanup does not hold up the others, and stays listed as pending', async () => {
  const registry = new CleanupRegistry();
  let finished = false;
  registry.add('hung', () => new Promise(() => undefined));
  registry.add('quick', async () => {
    await Promise.resolve();
    finished = true;
  });
  void registry.run();
  await new Promise((resolve) => setImmediate(resolve));
  expect(finished).toBe(true);
  expect(registry.pending).toEqual(['hung']);
});

test('a cleanup added after the run began is started at once', async () => {
  const registry = new CleanupRegistry();
  await registry.run();
  let ran = false;
  registry.add('late', () => {
    ran = true;
  });
  expect(ran).toBe(true);
  expect(registry.started).toBe(true);
});

test('run() also waits for cleanups added while it runs, and reports their outcomes', async () => {
  const registry = new CleanupRegistry();
  let failFlush: (error: Error) => void = () => undefined;
  let finishRestore: () => void = () => undefined;
  registry.add('stop-children', async () => {
    // One added as this cleanup starts, one added after it has waited on something.
    registry.add(
      'flush-child',
      () => new Promise<void>((_resolve, reject) => (failFlush = reject)),
    );
    await Promise.resolve();
    registry.add(
      'restore-terminal',
      () => new Promise<void>((resolve) => (finishRestore = resolve)),
    );
  });
  const run = registry.run();
  let settled = false;
  void run.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(registry.pending).toEqual(['flush-child', 'restore-terminal']);

  failFlush(new Error('flush failed'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(settled).toBe(false);

  finishRestore();
  const outcomes = await run;
  expect(outcomes).toHaveLength(3);
  expect(Object.fromEntries(outcomes.map((outcome) => [outcome.name, outcome.ok]))).toEqual({
    'stop-children': true,
    'flush-child': false,
    'restore-terminal': true,
  });
  expect(registry.pending).toEqual([]);
});
