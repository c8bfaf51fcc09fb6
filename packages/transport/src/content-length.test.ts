import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ContentLengthDecoder, MAX_HEADER_BYTES } from './content-length.js';
import type { TransportError } from './errors.js';
import { parseJson } from './ndjson.js';
import type { MalformedFrame } from './transport.js';

interface Decoded {
  messages: unknown[];
  malformed: MalformedFrame[];
  oversize: TransportError[];
}

function decodeChunks(
  chunks: readonly Uint8Array[],
  maxFrameBytes?: number,
): Decoded & { buffered: number[] } {
  const log: Decoded & { buffered: number[] } = {
    messages: [],
    malformed: [],
    oversize: [],
    buffered: [],
  };
  const decoder = new ContentLengthDecoder(
    {
      message: (value) => log.messages.push(value),
      malformed: (frame) => log.malformed.push(frame),
      oversize: (error) => log.oversize.push(error),
    },
    maxFrameBytes === undefined ? {} : { maxFrameBytes },
  );
  for (const chunk of chunks) {
    decoder.push(chunk);
    log.buffered.push(decoder.bufferedBytes);
  }
  decoder.end();
  return log;
}

/** One Content-Length frame of `value` (or of raw body text). */
function frame(
  value: unknown,
  { raw, headers = '' }: { raw?: string; headers?: string } = {},
): Buffer {
  const body = Buffer.from(raw ?? JSON.stringify(value));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n${headers}\r\n`), body]);
}

function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

const jsonValue = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

describe('ContentLengthDecoder', () => {
  test('decodes frames with a Content-Type header, in any header case, with line ends between frames', () => {
    const bytes = Buffer.concat([
      frame({ a: 1 }, { headers: 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n' }),
      Buffer.from('\r\n'),
      Buffer.from('content-length: 7\r\n\r\n{"b":2}'),
    ]);
    expect(decodeChunks([bytes])).toMatchObject({ messages: [{ a: 1 }, { b: 2 }], malformed: [] });
  });

  test('counts the length in UTF-8 bytes, and decodes a character split across chunks', () => {
    const bytes = frame({ text: 'héllo 🙂' });
    const split = bytes.indexOf(Buffer.from('🙂')) + 2;
    expect(decodeChunks([bytes.subarray(0, split), bytes.subarray(split)]).messages).toEqual([
      { text: 'héllo 🙂' },
    ]);
  });

  test('a body that is not JSON is reported with an excerpt, and the next frame still decodes', () => {
    const log = decodeChunks([Buffer.concat([frame(undefined, { raw: 'not json' }), frame([1])])]);
    expect(log.messages).toEqual([[1]]);
    expect(log.malformed.map((bad) => bad.excerpt)).toEqual(['not json']);
  });

  test.each([
    ['no Content-Length', 'Content-Type: application/json\r\n\r\n{}', /no Content-Length/],
    [
      'a length that is not a number',
      'Content-Length: ten\r\n\r\n{}',
      /"ten" is not a decimal number/,
    ],
    ['a line that is not a header', 'Content-Length 2\r\n\r\n{}', /is not "Name: value"/],
    ['two lengths that disagree', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /disagree/],
  ])(
    'a header section with %s is reported, and decoding resumes at the next frame',
    (_, bad, problem) => {
      const log = decodeChunks([Buffer.concat([Buffer.from(bad), frame({ next: true })])]);
      expect(log.messages).toEqual([{ next: true }]);
      expect(log.malformed).toHaveLength(1);
      expect(log.malformed[0]?.error.message).toMatch(problem);
      expect(log.malformed[0]?.error.message).toMatch(/expected "Content-Length: <bytes>/);
    },
  );

  test('a body in another charset is reported and skipped by its length', () => {
    const log = decodeChunks([
      Buffer.concat([
        frame({ a: 1 }, { headers: 'Content-Type: text/plain; charset=latin1\r\n' }),
        frame(2),
      ]),
    ]);
    expect(log.messages).toEqual([2]);
    expect(log.malformed[0]?.error.message).toMatch(/charset "latin1" is not UTF-8/);
  });

  test('a header section that never ends is reported once it passes the limit, without holding more', () => {
    const garbage = Buffer.alloc(MAX_HEADER_BYTES * 3, 'x');
    const log = decodeChunks([...splitAt(garbage, [100, 5000, 9000, 17000]), frame({ after: 1 })]);
    expect(log.malformed).toHaveLength(1);
    expect(log.malformed[0]?.error.message).toMatch(/longer than 8192 bytes/);
    expect(log.messages).toEqual([{ after: 1 }]);
    expect(Math.max(...log.buffered)).toBeLessThanOrEqual(MAX_HEADER_BYTES + 4);
  });

  test('a frame of exactly maxFrameBytes is accepted; one byte more is reported before its body is buffered', () => {
    const exact = frame(undefined, { raw: `"${'a'.repeat(98)}"` });
    const over = frame(undefined, { raw: `"${'a'.repeat(99)}"` });
    const chunks = [exact, ...splitAt(over, [30, 60, 90]), frame(3)];
    const log = decodeChunks(chunks, 100);
    expect(log.messages).toEqual(['a'.repeat(98), 3]);
    expect(log.oversize).toHaveLength(1);
    expect(log.oversize[0]?.code).toBe('FRAME_TOO_LARGE');
    expect(log.oversize[0]?.message).toMatch(/announces 101 bytes, more than the 100-byte limit/);
    expect(Math.max(...log.buffered)).toBeLessThan(101);
  });

  test('a stream that ends inside a body says so', () => {
    const bytes = frame({ cut: 'short' });
    const log = decodeChunks([bytes.subarray(0, bytes.length - 3)]);
    expect(log.messages).toEqual([]);
    expect(log.malformed[0]?.error.message).toMatch(
      /ended 3 bytes before the end of a 15-byte body/,
    );
  });

  test('a throwing handler does not lose the rest of the chunk', () => {
    const seen: unknown[] = [];
    const decoder = new ContentLengthDecoder({
      message: (value) => {
        seen.push(value);
        if (value === 1) throw new Error('listener failed');
      },
    });
    expect(() => decoder.push(Buffer.concat([frame(1), frame(2)]))).toThrow('listener failed');
    expect(seen).toEqual([1, 2]);
  });

  test('rejects an invalid maxFrameBytes', () => {
    expect(
      () => new ContentLengthDecoder({ message: () => undefined }, { maxFrameBytes: 0 }),
    ).toThrow(/maxFrameBytes must be a positive integer/);
  });
});

describe('properties', () => {
  test('any messages, split at any chunk boundaries (inside headers, line ends, UTF-8), decode to the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(jsonValue, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (values, cuts) => {
          const bytes = Buffer.concat(values.map((value) => frame(value)));
          const log = decodeChunks(splitAt(bytes, cuts));
          expect(log.malformed).toEqual([]);
          expect(log.messages).toEqual(values.map((value) => parseJson(JSON.stringify(value))));
        },
      ),
      fuzzParameters('content-length chunks'),
    );
  });

  test('oversize and unparsable frames are reported, never buffered, and the frames around them survive', () => {
    const item = fc.oneof(
      jsonValue.map((value) => ({ kind: 'good' as const, value })),
      fc.nat(400).map((extra) => ({ kind: 'oversize' as const, value: 'x'.repeat(200 + extra) })),
      fc.constantFrom('{', 'nope', '[1,').map((raw) => ({ kind: 'bad' as const, value: raw })),
    );
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (items, cuts) => {
          const bytes = Buffer.concat(
            items.map((entry) =>
              entry.kind === 'bad' ? frame(undefined, { raw: entry.value }) : frame(entry.value),
            ),
          );
          const good = items.filter(
            (entry) =>
              entry.kind === 'good' && Buffer.byteLength(JSON.stringify(entry.value)) <= 200,
          );
          const tooLarge =
            items.length - good.length - items.filter((entry) => entry.kind === 'bad').length;
          const log = decodeChunks(splitAt(bytes, cuts), 200);
          expect(log.messages).toEqual(good.map((entry) => parseJson(JSON.stringify(entry.value))));
          expect(log.oversize).toHaveLength(tooLarge);
          expect(log.malformed).toHaveLength(items.filter((entry) => entry.kind === 'bad').length);
          expect(Math.max(0, ...log.buffered)).toBeLessThanOrEqual(200);
        },
      ),
      fuzzParameters('content-length limits'),
    );
  });

  test('fuzzed bytes never throw out of the decoder and never change Object.prototype', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .constantFrom(
          'Content-Length: ',
          'Content-Length: 5\r\n\r\n',
          '\r\n',
          '\r\n\r\n',
          '{"__proto__":{"x":1}}',
          '12',
        )
        .map((text) => Buffer.from(text)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const log = decodeChunks(pieces, 64);
        expect(log).toBeDefined();
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      fuzzParameters('content-length fuzz'),
    );
  });
});
