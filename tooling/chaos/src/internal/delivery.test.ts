import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareDelivery } from './delivery.js';

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** A log of 1–60 events, delivered in order with some of them delivered again (replays). */
const replayedDelivery = fc
  .integer({ min: 1, max: 60 })
  .chain((count) =>
    fc.tuple(
      fc.constant(count),
      fc.array(fc.integer({ min: 0, max: count - 1 }), { maxLength: 20 }),
    ),
  );

describe('compareDelivery', () => {
  test('a client that received and folded every event once counts nothing', () => {
    expect(
      compareDelivery({
        diskSeqs: range(5),
        deliveredSeqs: range(5),
        folded: { lastSeq: 4, applied: 5 },
      }),
    ).toEqual({
      lost: 0,
      duplicatesDelivered: 0,
      duplicatesApplied: 0,
    });
  });

  test('replayed events count as delivered twice, never as lost, and not as applied twice when the fold ignored them', () => {
    fc.assert(
      fc.property(replayedDelivery, ([count, replays]) => {
        const delivered = [...range(count), ...replays];
        const counts = compareDelivery({
          diskSeqs: range(count),
          deliveredSeqs: delivered,
          folded: { lastSeq: count - 1, applied: count },
        });
        expect(counts).toEqual({
          lost: 0,
          duplicatesDelivered: replays.length,
          duplicatesApplied: 0,
        });
      }),
      fuzzParameters('delivery: replays'),
    );
  });

  test('every event the client never received counts as one lost', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((count) => fc.tuple(fc.constant(count), fc.subarray(range(count)))),
        ([count, missing]) => {
          const delivered = range(count).filter((seq) => !missing.includes(seq));
          const counts = compareDelivery({
            diskSeqs: range(count),
            deliveredSeqs: delivered,
            folded: { lastSeq: count - 1, applied: count },
          });
          expect(counts.lost).toBe(missing.length);
        },
      ),
      fuzzParameters('delivery: missing events'),
    );
  });

  test('events received but not folded (the fold stopped early) count as lost', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((count) => fc.tuple(fc.constant(count), fc.integer({ min: -1, max: count - 1 }))),
        ([count, lastSeq]) => {
          const counts = compareDelivery({
            diskSeqs: range(count),
            deliveredSeqs: range(count),
            folded: { lastSeq, applied: lastSeq + 1 },
          });
          expect(counts.lost).toBe(count - 1 - lastSeq);
        },
      ),
      fuzzParameters('delivery: fold behind'),
    );
  });

  test('applications beyond one per folded seq count as events applied twice', () => {
    expect(
      compareDelivery({
        diskSeqs: range(3),
        deliveredSeqs: [0, 1, 1, 2],
        folded: { lastSeq: 2, applied: 4 },
      }),
    ).toEqual({
      lost: 0,
      duplicatesDelivered: 1,
      duplicatesApplied: 1,
    });
  });
});
