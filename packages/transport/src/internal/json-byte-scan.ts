/**
 * A WebAssembly SIMD scan for the bytes that matter to JSON strings: the control characters
 * 0x00–0x1F, the backslash, and one more byte of the caller's choice (the quote, or the backslash
 * again). It tests 64 bytes per loop step, where JavaScript needs one `indexOf` pass over the text
 * per byte value looked for.
 *
 * The module is tiny and assembled here from its instructions, so that it can be read: it imports
 * one 64 KiB page of memory and exports `scan(start, end, extra) → 0 | 1`, which reads
 * `[start, end)` (a multiple of 64 bytes long) and says whether any byte is below 0x20, 0x5C or
 * `extra`. Where WebAssembly cannot be compiled (`node --jitless`, code generation disallowed),
 * {@link createJsonByteScanner} returns `undefined` and callers scan with `indexOf`.
 */

/** Bytes of the scan's memory: one WebAssembly page. */
export const scanMemoryBytes = 64 * 1024;
/** The scan reads whole steps of this many bytes; callers pad the end up to a multiple of it. */
export const scanStepBytes = 64;

/** One scanner: its memory, as a buffer to write into, and the scan of a range of that memory. */
export interface JsonByteScanner {
  readonly memory: Buffer;
  /** Whether `memory[0, end)` holds a byte below 0x20, 0x5C or `extra`; `end` is a multiple of 64. */
  readonly holds: (end: number, extra: number) => boolean;
}

/** Signed LEB128 of a small non-negative integer (below 2^13, all this module needs). */
function signedLeb128(value: number): number[] {
  return value < 0x40 ? [value] : [(value & 0x7f) | 0x80, value >> 7];
}

function unsignedLeb128(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return out;
}

const i32 = 0x7f;
const v128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  return: [0x0f],
  localGet: (index: number) => [0x20, index],
  localSet: (index: number) => [0x21, index],
  localTee: (index: number) => [0x22, index],
  i32Const: (value: number) => [0x41, ...signedLeb128(value)],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  v128Load: (offset: number) => [0xfd, 0x00, 0x00, offset], // align hint 0; offset < 128
  v128Splat: (byte: number) => [0xfd, 0x0c, ...Array.from({ length: 16 }, () => byte)],
  i8x16Splat: [0xfd, 0x0f],
  i8x16Eq: [0xfd, 0x23],
  i8x16LtU: [0xfd, 0x26],
  v128Or: [0xfd, 0x50],
  v128AnyTrue: [0xfd, 0x53],
};

// Parameters 0 `start`, 1 `end`, 2 `extra`; locals 3 `bytes` and 4 `extraBytes` (v128).
const start = 0;
const end = 1;
const extra = 2;
const bytes = 3;
const extraBytes = 4;

/** Leaves on the stack the lanes of the 16 bytes at `start + offset` that are looked for. */
const matchesAt = (offset: number): number[] => [
  ...op.localGet(start),
  ...op.v128Load(offset),
  ...op.localTee(bytes),
  ...op.v128Splat(0x20),
  ...op.i8x16LtU,
  ...op.localGet(bytes),
  ...op.v128Splat(0x5c),
  ...op.i8x16Eq,
  ...op.v128Or,
  ...op.localGet(bytes),
  ...op.localGet(extraBytes),
  ...op.i8x16Eq,
  ...op.v128Or,
];

const scanBody: number[] = [
  ...[0x01, 0x02, v128], // locals: one group of two v128
  ...op.localGet(extra),
  ...op.i8x16Splat,
  ...op.localSet(extraBytes),
  ...op.block,
  ...op.loop,
  ...op.localGet(start),
  ...op.localGet(end),
  ...op.i32GeU,
  ...op.brIf(1), // start >= end: leave the block, nothing found
  // The lanes of every 16 bytes of the step, or-ed together.
  ...Array.from({ length: scanStepBytes / 16 }, (_, block) => [
    ...matchesAt(block * 16),
    ...(block > 0 ? op.v128Or : []),
  ]).flat(),
  ...op.v128AnyTrue,
  ...op.if,
  ...op.i32Const(1),
  ...op.return,
  ...op.end,
  ...op.localGet(start),
  ...op.i32Const(scanStepBytes),
  ...op.i32Add,
  ...op.localSet(start),
  ...op.br(0), // next step
  ...op.end,
  ...op.end,
  ...op.i32Const(0),
  ...op.end,
];

const section = (id: number, content: number[]): number[] => [
  id,
  ...unsignedLeb128(content.length),
  ...content,
];
const name = (text: string): number[] => [text.length, ...Buffer.from(text, 'latin1')];

const moduleBytes = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
  ...section(1, [0x01, 0x60, 0x03, i32, i32, i32, 0x01, i32]), // type 0: (i32 i32 i32) → i32
  ...section(2, [0x01, ...name('js'), ...name('memory'), 0x02, 0x01, 0x01, 0x01]), // memory: 1 page, max 1
  ...section(3, [0x01, 0x00]), // function 0 has type 0
  ...section(7, [0x01, ...name('scan'), 0x00, 0x00]), // export function 0 as "scan"
  ...section(10, [0x01, ...unsignedLeb128(scanBody.length), ...scanBody]),
]);

/** The part of the WebAssembly JavaScript API used here (absent under `node --jitless`). */
interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A scanner with its own memory, or `undefined` where WebAssembly cannot run. */
export function createJsonByteScanner(): JsonByteScanner | undefined {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) return undefined;
  try {
    const memory = new wasm.Memory({ initial: 1, maximum: 1 });
    const instance = new wasm.Instance(new wasm.Module(moduleBytes), { js: { memory } });
    const scan = instance.exports.scan as (start: number, end: number, extra: number) => number;
    return {
      memory: Buffer.from(memory.buffer),
      holds: (scanEnd, extraByte) => scan(0, scanEnd, extraByte) === 1,
    };
  } catch {
    // Compiling WebAssembly can be disallowed (--disallow-code-generation-from-strings).
    return undefined;
  }
}
