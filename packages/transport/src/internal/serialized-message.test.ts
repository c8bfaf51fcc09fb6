import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { serializeOnce } from '../ndjson.js';

const long = (text: string): string => text.repeat(Math.ceil(2000 / text.length));

describe('SerializedMessage', () => {
  test.each([
    ['short plain data', { jsonrpc: '2.0', id: 7, result: { ok: true } }],
    ['a long ASCII string', { method: 'session.output', params: { data: long('plain text ') } }],
    ['a long non-ASCII string', { params: { data: long('héllo wörld 🙂 ') } }],
    ['long strings that need escaping', [long('"quoted"\r\n'), long('\u001b[1mbold')]],
    ['two long strings around a short one', { a: long('a'), b: 'b', c: long('ç') }],
    ['data JSON.stringify handles itself', { at: new Date(0), data: long('d') }],
  ])('%s: the frame is the JSON text in UTF-8 plus a newline', (_, message) => {
    const serialized = serializeOnce(message);
    expect(serialized.text).toBe(JSON.stringify(message));
    expect(serialized.toFrame().equals(Buffer.from(`${JSON.stringify(message)}\n`))).toBe(true);
  });

  test('any JSON value: text and frame match JSON.stringify', () => {
    const longText = fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.nat(900))
      .map(([text, times]) => text.repeat(times));
    const value = fc
      .jsonValue({ maxDepth: 2 })
      .chain((json) =>
        fc.record({
          json: fc.constant(json),
          data: longText,
          rest: fc.array(longText, { maxLength: 2 }),
        }),
      );
    fc.assert(
      fc.property(value, (message) => {
        const serialized = serializeOnce(message);
        const expected = JSON.stringify(message);
        expect(serialized.text).toBe(expected);
        expect(serialized.toFrame().equals(Buffer.from(`${expected}\n`))).toBe(true);
      }),
      fuzzParameters('serialized message frame'),
    );
  });

  test('writing into a buffer that may be too short: the frame when it fits, nothing claimed when not', () => {
    const message = fc.record({
      text: fc.string({ unit: 'binary', maxLength: 40 }),
      data: fc.string({ unit: 'grapheme', maxLength: 60 }),
    });
    fc.assert(
      fc.property(message, fc.nat(300), fc.nat(8), (value, room, offset) => {
        const expected = Buffer.from(`${JSON.stringify(value)}\n`);
        const buffer = Buffer.alloc(offset + room);
        const written = serializeOnce(value).tryWriteFrame(buffer, offset);
        if (expected.length > room) {
          expect(written).toBe(-1);
        } else {
          expect(written).toBe(expected.length);
          expect(buffer.subarray(offset, offset + written).equals(expected)).toBe(true);
        }
      }),
      fuzzParameters('frame into a short buffer'),
    );
  });
});
