import { sessionEventSchema, type SessionEvent } from '@lifeline/protocol';
import { NdjsonLineEncoder } from '@lifeline/transport/ndjson';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HOST_EVENT_PREFIX, HOST_EVENT_SUFFIX, readHostEventFrame } from './host-event-frame.js';

/** The frame a host writes for `event`: its log line's record inside the notification. */
function frameOf(event: SessionEvent): Buffer {
  const line = new NdjsonLineEncoder().encode(event);
  return Buffer.concat([
    Buffer.from(HOST_EVENT_PREFIX),
    line.subarray(0, line.length - 1),
    Buffer.from(HOST_EVENT_SUFFIX),
  ]);
}

/** Output data of every kind: short, long, plain ASCII, escapes, non-ASCII, lone surrogates. */
const data = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc
    .tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.integer({ min: 1, max: 9000 }))
    .map(([piece, padding]) => `${piece}${'x'.repeat(padding)}${piece}`),
);

const outputEvent = fc.record({
  seq: fc.nat(),
  time: fc.nat(),
  type: fc.constant('output' as const),
  data,
});

const otherEvent = fc.oneof(
  fc.record({
    seq: fc.nat(),
    time: fc.nat(),
    type: fc.constant('run_start' as const),
    runId: fc.string({ minLength: 1, maxLength: 20 }),
    command: data,
  }),
  fc.record({
    seq: fc.nat(),
    time: fc.nat(),
    type: fc.constant('resize' as const),
    cols: fc.integer({ min: 1, max: 500 }),
    rows: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({
    seq: fc.nat(),
    time: fc.nat(),
    type: fc.constant('input' as const),
    data,
  }),
);

describe('readHostEventFrame', () => {
  test('gives back every event a host sends, and its record exactly as the log wrote it', () => {
    fc.assert(
      fc.property(fc.oneof(outputEvent, otherEvent), (event) => {
        const frame = frameOf(event);
        const read = readHostEventFrame(frame);
        expect(read?.event).toEqual(event);
        expect(read?.record.equals(frame.subarray(HOST_EVENT_PREFIX.length, -1))).toBe(true);
      }),
      fuzzParameters('host event frames'),
    );
  });

  test('a record it accepts, however the frame was tampered with, is one JSON object holding the event it returns', () => {
    const tampered = fc
      .tuple(
        outputEvent,
        fc.nat(),
        fc.nat(40),
        fc.constantFrom('"', '\\', '}', '{', ',"x":1', '\n', '\u0001', ']', '"}', '}{', ' '),
      )
      .map(([event, at, cut, insert]) => {
        const text = frameOf(event).toString('utf8');
        const position = at % (text.length + 1);
        return Buffer.from(
          text.slice(0, position) + insert + text.slice(Math.min(text.length, position + cut)),
        );
      });
    fc.assert(
      fc.property(tampered, (frame) => {
        const read = readHostEventFrame(frame);
        if (read === undefined) return;
        const value: unknown = JSON.parse(read.record.toString('utf8'));
        expect(value).toEqual(read.event);
        expect(sessionEventSchema.safeParse(value).success).toBe(true);
        // Spliced into a notification to a client, it ends nothing but itself.
        const spliced = `{"jsonrpc":"2.0","method":"session.event","params":{"sid":"s",${read.record.subarray(1).toString('utf8')}}`;
        expect(JSON.parse(spliced)).toEqual({
          jsonrpc: '2.0',
          method: 'session.event',
          params: { sid: 's', ...read.event },
        });
      }),
      fuzzParameters('tampered host event frames'),
    );
  });

  test.each([
    ['another method', '{"jsonrpc":"2.0","method":"host.other","params":{"seq":1}}'],
    ['params that are not an object', `${HOST_EVENT_PREFIX}[1,2]}`],
    [
      'a member after the data',
      `${HOST_EVENT_PREFIX}{"seq":1,"time":2,"type":"output","data":"a","x":"b"}}`,
    ],
    ['two objects', `${HOST_EVENT_PREFIX}{"seq":1,"time":2,"type":"output","data":"a"},{"seq":2}}`],
    [
      'a raw control character',
      `${HOST_EVENT_PREFIX}{"seq":1,"time":2,"type":"output","data":"a\u0001"}}`,
    ],
    ['an event of no known type', `${HOST_EVENT_PREFIX}{"seq":1,"time":2,"type":"bogus"}}`],
    ['no closing brace', `${HOST_EVENT_PREFIX}{"seq":1,"time":2,"type":"output","data":"a"}`],
  ])('leaves a frame with %s to be decoded as any other', (_label, text) => {
    expect(readHostEventFrame(Buffer.from(text))).toBeUndefined();
  });
});
