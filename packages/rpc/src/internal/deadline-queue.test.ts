import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { expect, test } from 'vitest';
import { DeadlineQueue, type DeadlineEntry } from './deadline-queue.js';

type Operation =
  | { kind: 'add'; deadline: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'take'; now: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .integer({ min: 0, max: 200 })
      .map((deadline) => ({ kind: 'add' as const, deadline })),
  },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: 'cancel' as const, pick })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: -10, max: 220 }).map((now) => ({ kind: 'take' as const, now })),
  },
);

test('every pending item comes due exactly once, earliest first, and a cancelled one never does', () => {
  fc.assert(
    fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
      const queue = new DeadlineQueue<number>();
      // The model: what is still pending, by item.
      const pending = new Map<number, { deadline: number; entry: DeadlineEntry<number> }>();
      let nextItem = 0;
      for (const step of operations) {
        if (step.kind === 'add') {
          nextItem += 1;
          pending.set(nextItem, {
            deadline: step.deadline,
            entry: queue.add(nextItem, step.deadline),
          });
        } else if (step.kind === 'cancel') {
          const items = [...pending.keys()];
          const item = items[step.pick % Math.max(1, items.length)];
          if (item === undefined) continue;
          queue.cancel((pending.get(item) as { entry: DeadlineEntry<number> }).entry);
          pending.delete(item);
        } else {
          const due = queue.takeDue(step.now);
          const expected = [...pending]
            .filter(([, { deadline }]) => deadline <= step.now)
            .map(([item]) => item);
          expect(new Set(due)).toEqual(new Set(expected));
          expect(due).toHaveLength(expected.length);
          const deadlines = due.map((item) => (pending.get(item) as { deadline: number }).deadline);
          expect(deadlines).toEqual([...deadlines].sort((left, right) => left - right));
          for (const item of due) pending.delete(item);
        }
        expect(queue.size).toBe(pending.size);
        const earliest =
          pending.size === 0
            ? undefined
            : Math.min(...[...pending.values()].map(({ deadline }) => deadline));
        expect(queue.next()).toBe(earliest);
      }
    }),
    fuzzParameters('deadline queue against a model'),
  );
});

test('cancelling twice, or after the entry came due, changes nothing', () => {
  const queue = new DeadlineQueue<string>();
  const first = queue.add('first', 10);
  queue.add('second', 20);
  expect(queue.takeDue(10)).toEqual(['first']);
  queue.cancel(first);
  expect(queue.size).toBe(1);
  const third = queue.add('third', 5);
  queue.cancel(third);
  queue.cancel(third);
  expect(queue.size).toBe(1);
  expect(queue.takeDue(100)).toEqual(['second']);
});
