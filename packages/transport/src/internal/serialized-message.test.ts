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
    expect(serialized.toFrame('ndjson').equals(Buffer.from(`${JSON.stringify(message)}\n`))).toBe(
      true,
    );
  });

  test('any JSON value: text and frame match JSON.stringify', () => {
    const longText = fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.nat(900))
      .map(([text, times]) => text.repeat(times));
    const value = fc.jsonValue({ maxDepth: 2 }).chain((json) =>
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
        expect(serialized.toFrame('ndjson').equals(Buffer.from(`${expected}\n`))).toBe(true);
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
        const written = serializeOnce(value).tryWriteFrame(buffer, offset, 'ndjson');
        if (expected.length > room) {
          expect(written).toBeUndefined();
        } else {
          expect(written).toEqual({ start: offset, end: offset + expected.length });
          expect(buffer.subarray(offset, offset + expected.length).equals(expected)).toBe(true);
        }
      }),
      fuzzParameters('frame into a short buffer'),
    );
  });

  test('Content-Length frames: the header counts the UTF-8 bytes of the body, however it is written', () => {
    const message = fc.record({
      text: fc.string({ unit: 'binary', maxLength: 40 }),
      data: fc.string({ unit: 'grapheme', maxLength: 60 }),
    });
    fc.assert(
      fc.property(message, fc.nat(300), fc.nat(8), (value, room, offset) => {
        const body = Buffer.from(JSON.stringify(value));
        const expected = Buffer.concat([
          Buffer.from(`Content-Length: ${body.length}\r\n\r\n`),
          body,
        ]);
        const serialized = serializeOnce(value);
        expect(serialized.toFrame('content-length').equals(expected)).toBe(true);
        const roomy = Buffer.alloc(offset + body.length * 3 + 36);
        const bounds = serialized.writeFrame(roomy, offset, 'content-length');
        expect(roomy.subarray(bounds.start, bounds.end).equals(expected)).toBe(true);
        const short = Buffer.alloc(offset + room);
        const tried = serialized.tryWriteFrame(short, offset, 'content-length');
        if (offset + 36 + body.length > short.length) expect(tried).toBeUndefined();
        else expect(short.subarray(tried?.start, tried?.end).equals(expected)).toBe(true);
      }),
      fuzzParameters('content-length frame'),
    );
  });
});
