import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TransportError } from './errors.js';
import {
  NdjsonDecoder,
  encodeMessage,
  NdjsonLineEncoder,
  parseJson,
  serializeMessage,
} from './ndjson.js';
import type { MalformedFrame } from './transport.js';

interface Decoded {
  messages: unknown[];
  malformed: MalformedFrame[];
  oversize: TransportError[];
}

function decoderWithLog(maxFrameBytes?: number): { decoder: NdjsonDecoder; log: Decoded } {
  const log: Decoded = { messages: [], malformed: [], oversize: [] };
  const decoder = new NdjsonDecoder(
    {
      message: (value) => log.messages.push(value),
      malformed: (frame) => log.malformed.push(frame),
      oversize: (error) => log.oversize.push(error),
    },
    maxFrameBytes === undefined ? {} : { maxFrameBytes },
  );
  return { decoder, log };
}

function decodeChunks(chunks: readonly Uint8Array[], maxFrameBytes?: number): Decoded {
  const { decoder, log } = decoderWithLog(maxFrameBytes);
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return log;
}

/** Splits `bytes` at the given (sorted, deduplicated) offsets. */
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

/** `lines` as one NDJSON stream (LF or CRLF line ends), cut into chunks at `offsets`. */
function ndjsonChunks(
  lines: readonly string[],
  offsets: readonly number[],
  crlf: boolean,
): Uint8Array[] {
  const end = crlf ? '\r\n' : '\n';
  return splitAt(Buffer.from(lines.map((line) => line + end).join('')), offsets);
}

/** The engine's garbage collector, for tests that measure what decoded messages keep alive. */
function garbageCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const jsonValue = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

describe('encodeMessage', () => {
  test('writes one line per message, even when strings contain newlines', () => {
    const line = encodeMessage({ text: 'two\nlines\r\n', emoji: '🙂' });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({ text: 'two\nlines\r\n', emoji: '🙂' });
  });

  test.each([
    [
      'a cycle',
      (() => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        return cyclic;
      })(),
    ],
    ['a BigInt', { id: 1n }],
    ['a function', () => 1],
    ['a nested function', { handler: () => 1 }],
    ['a function in an array', [1, () => 2]],
    ['a symbol', { tag: Symbol('x') }],
    ['undefined', undefined],
  ])('throws a TypeError for %s', (_label, message) => {
    expect(() => encodeMessage(message)).toThrow(TypeError);
  });

  test('omits undefined properties the way JSON.stringify does', () => {
    expect(serializeMessage({ present: 1, absent: undefined })).toBe('{"present":1}');
  });
});

describe('NdjsonLineEncoder', () => {
  /** Strings of every kind a log carries: long and short, ASCII, escapes, lone surrogates. */
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.integer({ min: 512, max: 5000 }))
      .map(([piece, length]) => piece.repeat(Math.ceil(length / Math.max(piece.length, 1)))),
    fc.integer({ min: 512, max: 400_000 }).map((length) => 'x'.repeat(length)),
  );

  test('each line is the UTF-8 of encodeMessage, whatever came before it, for any plain message and long strings of any kind', () => {
    const encoder = new NdjsonLineEncoder();
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            jsonValue,
            fc.record({ seq: fc.nat(), time: fc.nat(), type: fc.constant('output'), data: text }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (messages) => {
          for (const message of messages) {
            expect(encoder.encode(message).equals(Buffer.from(encodeMessage(message)))).toBe(true);
          }
        },
      ),
      fuzzParameters('NdjsonLineEncoder'),
    );
  });

  test('throws a TypeError for what JSON cannot represent', () => {
    expect(() => new NdjsonLineEncoder().encode({ id: 1n })).toThrow(TypeError);
  });
});

describe('NdjsonDecoder with an undecodedPrefix', () => {
  const prefix = '{"pass":';

  test('hands over frames that start with it as their bytes, in order with the decoded ones, wherever the chunks split', () => {
    const frame = fc.oneof(
      fc
        .string({ unit: 'binary', maxLength: 40 })
        .map((value) => ({ undecoded: false, text: JSON.stringify({ value }) })),
      fc
        .tuple(fc.string({ unit: 'binary', maxLength: 30 }), fc.nat(6000))
        .map(([text, padding]) => ({
          undecoded: true,
          text: `${prefix}${JSON.stringify(text + 'y'.repeat(padding))}}`,
        })),
    );
    fc.assert(
      fc.property(
        fc.array(frame, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (frames, cuts, crlf) => {
          const seen: { undecoded: boolean; text: string }[] = [];
          const decoder = new NdjsonDecoder(
            {
              message: (value) => seen.push({ undecoded: false, text: JSON.stringify(value) }),
              undecoded: (bytes) => seen.push({ undecoded: true, text: bytes.toString('utf8') }),
            },
            { undecodedPrefix: prefix },
          );
          for (const chunk of ndjsonChunks(
            frames.map(({ text }) => text),
            cuts,
            crlf,
          ))
            decoder.push(chunk);
          decoder.end();
          expect(seen).toEqual(frames);
        },
      ),
      fuzzParameters('undecoded frames'),
    );
  });

  test('still rejects an oversize frame that starts with it', () => {
    const seen: Buffer[] = [];
    const oversize: TransportError[] = [];
    const decoder = new NdjsonDecoder(
      {
        message: () => undefined,
        undecoded: (bytes) => seen.push(bytes),
        oversize: (error) => oversize.push(error),
      },
      { undecodedPrefix: prefix, maxFrameBytes: 64 },
    );
    decoder.push(Buffer.from(`${prefix}"${'z'.repeat(100)}"}\n${prefix}1}\n`));
    expect(oversize).toHaveLength(1);
    expect(seen.map((bytes) => bytes.toString())).toEqual([`${prefix}1}`]);
  });

  test.each([[''], ['\n'], ['é'], [3]])('refuses %j as a prefix', (bad) => {
    expect(
      () => new NdjsonDecoder({ message: () => undefined }, { undecodedPrefix: bad as string }),
    ).toThrow(/undecodedPrefix must be a non-empty string of printable ASCII/);
  });
});

describe('NdjsonDecoder', () => {
  test('accepts CRLF, skips blank lines and decodes a last line without newline', () => {
    const log = decodeChunks([Buffer.from('{"a":1}\r\n\r\n  \n\n[2]\r\n"three"')]);
    expect(log.messages).toEqual([{ a: 1 }, [2], 'three']);
    expect(log.malformed).toEqual([]);
  });

  test('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from(`${JSON.stringify({ text: 'é🙂中' })}\n`);
    const emoji = bytes.indexOf(Buffer.from('🙂'));
    const log = decodeChunks([
      bytes.subarray(0, emoji + 1),
      bytes.subarray(emoji + 1, emoji + 3),
      bytes.subarray(emoji + 3),
    ]);
    expect(log.messages).toEqual([{ text: 'é🙂中' }]);
  });

  test('handles \\r and \\n split across chunks', () => {
    const log = decodeChunks([
      Buffer.from('{"a":1}\r'),
      Buffer.from('\n{"b":2}\r'),
      Buffer.from('\n'),
    ]);
    expect(log.messages).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('reports a non-JSON line with a short excerpt and keeps decoding', () => {
    const garbage = `not json ${'x'.repeat(500)}\u0007`;
    const log = decodeChunks([Buffer.from(`{"before":true}\n${garbage}\n{"after":true}\n`)]);
    expect(log.messages).toEqual([{ before: true }, { after: true }]);
    expect(log.malformed).toHaveLength(1);
    const [frame] = log.malformed;
    expect(frame?.excerpt.startsWith('not json x')).toBe(true);
    expect(frame?.excerpt.length).toBeLessThanOrEqual(81);
    expect(frame?.error).toBeInstanceOf(SyntaxError);
  });

  test('escapes control characters in excerpts', () => {
    const log = decodeChunks([Buffer.from('\u001b[31mred\n')]);
    expect(log.malformed[0]?.excerpt).toBe('\\u001b[31mred');
  });

  test('accepts a frame of exactly maxFrameBytes and rejects one byte more', () => {
    const exact = `"${'a'.repeat(8)}"`; // 10 bytes
    const log = decodeChunks([Buffer.from(`${exact}\r\n"${'b'.repeat(9)}"\n${exact}\n`)], 10);
    expect(log.messages).toEqual(['aaaaaaaa', 'aaaaaaaa']);
    expect(log.oversize).toHaveLength(1);
    expect(log.oversize[0]?.code).toBe('FRAME_TOO_LARGE');
  });

  test('rejects an oversize frame arriving in many chunks without buffering it', () => {
    const { decoder, log } = decoderWithLog(1024);
    decoder.push(Buffer.from('{"small":1}\n"'));
    for (let index = 0; index < 1000; index += 1) {
      decoder.push(Buffer.alloc(100, 0x61));
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(1025);
    }
    decoder.push(Buffer.from('"\n{"next":2}\n'));
    decoder.end();
    expect(log.messages).toEqual([{ small: 1 }, { next: 2 }]);
    expect(log.oversize).toHaveLength(1);
  });

  test('measures the limit in UTF-8 bytes, not characters', () => {
    const log = decodeChunks([Buffer.from('"éééé"\n"ééééé"\n"ok"\n')], 10);
    expect(log.messages).toEqual(['éééé', 'ok']);
    expect(log.oversize).toHaveLength(1);
  });

  test('skips a byte-order mark at the start of the stream', () => {
    expect(decodeChunks([Buffer.from('\ufeff{"a":1}\n')]).messages).toEqual([{ a: 1 }]);
  });

  test('without an oversize handler, an oversize frame is reported as malformed', () => {
    const malformed: MalformedFrame[] = [];
    const decoder = new NdjsonDecoder(
      { message: () => undefined, malformed: (frame) => malformed.push(frame) },
      { maxFrameBytes: 4 },
    );
    decoder.push(Buffer.from('"too long"\n'));
    expect(malformed).toHaveLength(1);
    expect(TransportError.isInstance(malformed[0]?.error)).toBe(true);
  });

  test('does not keep references to the caller’s buffers', () => {
    const { decoder, log } = decoderWithLog();
    const shared = Buffer.from('{"a":');
    decoder.push(shared);
    shared.fill(0x20);
    decoder.push(Buffer.from('1}\n'));
    expect(log.messages).toEqual([{ a: 1 }]);
  });

  test.each([
    ['ASCII', 'build step 17 finished in 45 ms without warnings. '],
    ['non-ASCII', '✓ Größe geprüft, build step finished in 45 ms. '],
  ])(
    'a message kept from a chunk of many costs about its own size, not the chunk’s (%s)',
    (_, line) => {
      // Keep one message in 16 of ~4 KiB each, read in 64 KiB chunks as from a pipe.
      const data = line.repeat(80).slice(0, 4000);
      const frames = Array.from({ length: 16_000 }, (_unused, seq) =>
        encodeMessage({ jsonrpc: '2.0', method: 'session.output', params: { seq, data } }),
      );
      const bytes = Buffer.from(frames.join(''));
      frames.length = 0;
      const kept: unknown[] = [];
      const decoder = new NdjsonDecoder({
        message: (value) => {
          if ((value as { params: { seq: number } }).params.seq % 16 === 0) kept.push(value);
        },
      });
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
        decoder.push(bytes.subarray(offset, offset + 64 * 1024));
      }
      const collectGarbage = garbageCollector();
      collectGarbage();
      const whileKept = process.memoryUsage().heapUsed;
      const keptCount = kept.length;
      kept.length = 0;
      collectGarbage();
      const perMessage = (whileKept - process.memoryUsage().heapUsed) / keptCount;
      expect(keptCount).toBe(1000);
      // Its data string takes 4,000 bytes (8,000 as UTF-16); a 64 KiB chunk would be 65,536.
      expect(perMessage).toBeLessThan(2 * 8000);
    },
  );

  test('accepts plain Uint8Array chunks', () => {
    const log = decodeChunks([new TextEncoder().encode('{"a":1}\n')]);
    expect(log.messages).toEqual([{ a: 1 }]);
  });

  test('a throwing handler does not lose the rest of the chunk', () => {
    const seen: unknown[] = [];
    const decoder = new NdjsonDecoder({
      message: (value) => {
        seen.push(value);
        if (value === 1) throw new Error('handler bug');
      },
    });
    expect(() => decoder.push(Buffer.from('1\n2\n3\n'))).toThrow('handler bug');
    decoder.push(Buffer.from('4\n'));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  test('deeply nested input neither overflows the stack nor escapes the pollution guard', () => {
    const depth = 200_000;
    const nested = `${'{"a":['.repeat(depth)}{"__proto__":{"polluted":1}}${']}'.repeat(depth)}\n`;
    const log = decodeChunks([Buffer.from(nested)], 4 * 1024 * 1024);
    expect(log.messages).toHaveLength(1);
    let node: unknown = log.messages[0];
    for (let level = 0; level < depth; level += 1) node = (node as { a: unknown[] }).a[0];
    expect(Object.keys(node as object)).toEqual([]);
  });

  test('rejects an invalid maxFrameBytes', () => {
    expect(() => new NdjsonDecoder({ message: () => undefined }, { maxFrameBytes: 0 })).toThrow(
      TransportError,
    );
  });
});

describe('prototype pollution', () => {
  test.each([
    '{"__proto__":{"polluted":true}}',
    '{"a":{"__proto__":{"polluted":true}}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"\\u005f_proto__":{"polluted":true}}',
    '{"__pro\\u0074o__":{"polluted":true}}',
    '[{"__proto__":{"polluted":true}}]',
  ])('%s decodes without a way to reach a prototype', (text) => {
    const value = parseJson(text);
    const merged = naiveMerge({}, value);
    expect(JSON.stringify(value)).not.toContain('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(merged.polluted).toBeUndefined();
  });

  test('keeps harmless uses of the words', () => {
    expect(
      parseJson('{"text":"__proto__ constructor prototype","constructor":"x","prototype":1}'),
    ).toEqual({
      text: '__proto__ constructor prototype',
      constructor: 'x',
      prototype: 1,
    });
  });
});

/**
 * What the decoder promises, written independently: `__proto__` keys gone, and `constructor` /
 * `prototype` keys gone when they hold an object or array.
 */
function withoutPrototypeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypeKeys);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '__proto__') continue;
    if (
      (key === 'constructor' || key === 'prototype') &&
      typeof child === 'object' &&
      child !== null
    )
      continue;
    Object.defineProperty(result, key, {
      value: withoutPrototypeKeys(child),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** The kind of recursive merge that prototype pollution attacks target. */
function naiveMerge(target: Record<string, unknown>, source: unknown): Record<string, unknown> {
  if (typeof source !== 'object' || source === null) return target;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === 'object' && value !== null) {
      const existing = target[key];
      target[key] = naiveMerge(
        typeof existing === 'object' && existing !== null
          ? (existing as Record<string, unknown>)
          : {},
        value,
      );
    } else {
      target[key] = value;
    }
  }
  return target;
}

describe('properties', () => {
  test('any messages, split at any chunk boundaries, decode to the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(jsonValue, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        (messages, offsets, crlf) => {
          const log = decodeChunks(
            ndjsonChunks(
              messages.map((message) => serializeMessage(message)),
              offsets,
              crlf,
            ),
          );
          expect(log.messages).toEqual(
            messages.map((message) => withoutPrototypeKeys(JSON.parse(JSON.stringify(message)))),
          );
          expect(log.malformed).toEqual([]);
        },
      ),
      fuzzParameters('ndjson round trip'),
    );
  });

  test('long frames in any chunks, with escapes or raw control characters anywhere, decode as JSON.parse parses them', () => {
    // Long enough for its strings to be cut out before parsing, and checked while it arrives.
    const longBody = 'plain build output, nothing to escape; '.repeat(3400);
    const special = fc.constantFrom(
      '\\n',
      '\\"',
      '\\\\',
      '\\u0000',
      '\\u00e9',
      '\u0001',
      '\t',
      '\r',
      '\u001b',
      'é',
      '€',
    );
    // Anywhere, or in the last few KiB, which arrive after the rest has been checked.
    const position = fc.oneof(fc.nat(), fc.integer({ min: -6000, max: -1 }));
    const insertions = fc.array(fc.tuple(position, special), { maxLength: 3 });
    const insert = (body: string, at: readonly (readonly [number, string])[]): string =>
      at.reduce((text, [offset, piece]) => {
        const cut = offset < 0 ? Math.max(0, text.length + offset) : offset % (text.length + 1);
        return text.slice(0, cut) + piece + text.slice(cut);
      }, body);
    // Cuts anywhere, or past the first 128 KiB: the frame is then complete only in a later chunk.
    const cutAt = fc.oneof(fc.nat(), fc.integer({ min: 131_072, max: 140_000 }));
    fc.assert(
      fc.property(
        insertions,
        insertions,
        fc.nat(2000),
        fc.array(cutAt, { maxLength: 8 }),
        fc.boolean(),
        (inLong, inShort, extra, offsets, crlf) => {
          const text = `{"a":"${insert(longBody + 'x'.repeat(extra), inLong)}","b":"${insert('short', inShort)}"}`;
          const bytes = Buffer.from(`${text}${crlf ? '\r\n' : '\n'}{"next":1}\n`);
          const log = decodeChunks(splitAt(bytes, offsets));
          let expected: unknown;
          try {
            expected = JSON.parse(text);
          } catch {
            expected = undefined;
          }
          if (expected === undefined) {
            expect(log.malformed).toHaveLength(1);
            expect(log.messages).toEqual([{ next: 1 }]);
          } else {
            expect(log.malformed).toEqual([]);
            expect(log.messages).toEqual([expected, { next: 1 }]);
          }
        },
      ),
      fuzzParameters('long frames in chunks'),
    );
  });

  test('short and long lines mixed in any chunks decode in order, and oversize ones are reported', () => {
    // Lengths on both sides of 2 KiB, from which a complete line is decoded on its own.
    const lineBytes = fc.oneof(
      fc.integer({ min: 20, max: 200 }),
      fc.integer({ min: 2040, max: 2056 }),
      fc.integer({ min: 2057, max: 9000 }),
    );
    /** A message whose line is exactly `bytes` long, with a two-byte character when `wide`. */
    const messageOf = (index: number, bytes: number, wide: boolean): { i: number; s: string } => {
      const overhead = Buffer.byteLength(serializeMessage({ i: index, s: '' }));
      const filler = 'x'.repeat(Math.max(0, bytes - overhead));
      return { i: index, s: wide && filler.length >= 2 ? `é${filler.slice(2)}` : filler };
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineBytes, fc.boolean(), fc.boolean()), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        fc.constantFrom(undefined, 4000),
        (lines, offsets, crlf, maxFrameBytes) => {
          const end = crlf ? '\r\n' : '\n';
          const messages = lines.map(([bytes, wide], index) => messageOf(index, bytes, wide));
          const text = messages
            .map(
              (message, index) =>
                `${serializeMessage(message)}${end}${lines[index]?.[2] ? end : ''}`,
            )
            .join('');
          const log = decodeChunks(splitAt(Buffer.from(text), offsets), maxFrameBytes);
          const fitting = messages.filter(
            (message) =>
              Buffer.byteLength(serializeMessage(message)) <= (maxFrameBytes ?? Infinity),
          );
          expect(log.messages).toEqual(fitting);
          expect(log.oversize).toHaveLength(messages.length - fitting.length);
          expect(log.malformed).toEqual([]);
        },
      ),
      fuzzParameters('ndjson short and long lines'),
    );
  });

  test('oversize frames are rejected without being accumulated, and the frames around them survive', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.string({ minLength: 70, maxLength: 200 }),
            // Few characters, many bytes: the limit is in bytes, not in characters.
            fc.string({ unit: 'grapheme', minLength: 5, maxLength: 40 }),
          ),
          { maxLength: 15 },
        ),
        fc.array(fc.nat(), { maxLength: 30 }),
        (strings, offsets) => {
          const maxFrameBytes = 64;
          const lines = strings.map((value) => serializeMessage(value));
          const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''));
          const { decoder, log } = decoderWithLog(maxFrameBytes);
          for (const chunk of splitAt(bytes, offsets)) {
            decoder.push(chunk);
            expect(decoder.bufferedBytes).toBeLessThanOrEqual(maxFrameBytes + 1);
          }
          decoder.end();
          const fitting = strings.filter(
            (_value, index) => Buffer.byteLength(lines[index] ?? '') <= maxFrameBytes,
          );
          expect(log.messages).toEqual(fitting);
          expect(log.oversize).toHaveLength(strings.length - fitting.length);
        },
      ),
      fuzzParameters('ndjson oversize'),
    );
  });

  test('fuzzed bytes never throw out of the decoder and never change Object.prototype', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const interesting = fc.constantFrom(
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"\\u005f\\u005fproto__":{"polluted":1}}',
      '\n',
      '\r\n',
      '{',
      '"',
      '\\',
      '\u00ff',
      '🙂',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 64 }),
            interesting.map((text) => Buffer.from(text)),
          ),
          {
            maxLength: 20,
          },
        ),
        (chunks) => {
          const { decoder, log } = decoderWithLog(256);
          for (const chunk of chunks) decoder.push(chunk);
          decoder.end();
          for (const message of log.messages) naiveMerge({}, message);
          expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      fuzzParameters('ndjson fuzz'),
    );
  });
});
