import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import type { ReadAhead } from './read-ahead.js';

/** Bytes read at a time; a line longer than this grows the buffer to hold it. */
const chunkBytes = 1024 * 1024;
/**
 * The read buffer of the last scan, kept for the next one: a fresh megabyte costs a page fault per
 * 4 KiB on first touch, as much as reading it. A scan started while another runs gets its own.
 */
let spareBuffer: Buffer | undefined;
/** Lines at least this long are checked for ASCII before decoding (the check costs more on short ones). */
const asciiCheckBytes = 256;

/** One complete line of a segment, where it starts and where the next one does. */
export interface SegmentLine {
  /** The line's bytes, without the newline: a view valid only during the visit. */
  bytes: Buffer;
  /** The line's text (decoded when first asked for: a visitor that skips a line never pays for it). */
  readonly text: string;
  offset: number;
  nextOffset: number;
}

/**
 * The text of UTF-8 bytes. ASCII (all a log of plain output holds) decodes as Latin-1 to the same
 * string without UTF-8 validation, several times faster on long lines.
 */
function decodeLine(bytes: Buffer): string {
  return bytes.toString(bytes.length >= asciiCheckBytes && isAscii(bytes) ? 'latin1' : 'utf8');
}

/**
 * Reads complete, newline-terminated lines of a file from `startOffset`, a chunk at a time, until
 * `visit` returns false or the file ends. A trailing fragment without its newline (a write in
 * progress, or torn by a crash) is never visited. The fragment a chunk ends with is moved to the
 * front of the buffer and the next read lands after it, so each byte is copied once from the file.
 * With `readAhead`, the scan reads into the reader's own buffer, starts on the lines the last scan
 * of the same file read past `startOffset`, and leaves the lines it read past its end there.
 */
export function scanLines(
  file: string,
  startOffset: number,
  visit: (line: SegmentLine) => boolean,
  readAhead?: ReadAhead,
): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let stat: fs.Stats | undefined;
  try {
    stat = readAhead && fs.fstatSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  const held = readAhead && stat && readAhead.take(stat, startOffset);
  let buffer = held?.buffer ?? spareBuffer ?? Buffer.allocUnsafe(chunkBytes);
  if (!held) spareBuffer = undefined;
  /** File offset of `buffer[0]`. */
  let bufferOffset = held?.start ?? startOffset;
  /** Bytes of `buffer` read from the file: complete lines from `lineStart` on, then an unfinished one. */
  let filled = held?.held ?? 0;
  let lineStart = startOffset - bufferOffset;
  /** Where the next newline may be: the carried part of a line holds none. */
  let searchFrom = lineStart;
  try {
    for (;;) {
      const data = buffer.subarray(0, filled);
      for (
        let newline = data.indexOf(0x0a, searchFrom);
        newline !== -1;
        newline = data.indexOf(0x0a, lineStart)
      ) {
        const bytes = data.subarray(lineStart, newline);
        let text: string | undefined;
        const keepGoing = visit({
          bytes,
          get text() {
            text ??= decodeLine(bytes);
            return text;
          },
          offset: bufferOffset + lineStart,
          nextOffset: bufferOffset + newline + 1,
        });
        if (!keepGoing) return;
        lineStart = newline + 1;
      }
      buffer.copy(buffer, 0, lineStart, filled);
      filled -= lineStart;
      bufferOffset += lineStart;
      lineStart = 0;
      searchFrom = filled;
      if (filled === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      const bytesRead = fs.readSync(
        fd,
        buffer,
        filled,
        buffer.length - filled,
        bufferOffset + filled,
      );
      if (bytesRead === 0) return;
      filled += bytesRead;
    }
  } finally {
    fs.closeSync(fd);
    if (buffer.length === chunkBytes) {
      if (readAhead && stat) readAhead.keep(buffer, stat, bufferOffset, filled);
      else spareBuffer = buffer;
    }
  }
}

/**
 * Byte length of the part of a file that ends with its last complete, parseable line: what is
 * kept when a crash tore the end of the file.
 */
export function intactLength(file: string): number {
  const size = fs.statSync(file).size;
  if (size === 0) return 0;
  const fd = fs.openSync(file, 'r');
  try {
    const window = Buffer.allocUnsafe(64 * 1024);
    let end = size;
    // Walk backwards to the last newline, then make sure the line it closes parses.
    for (;;) {
      const lastNewline = lastIndexOfNewline(fd, window, end);
      if (lastNewline === -1) return 0;
      const lineStart = lastIndexOfNewline(fd, window, lastNewline) + 1;
      const length = lastNewline - lineStart;
      const line = Buffer.allocUnsafe(length);
      fs.readSync(fd, line, 0, length, lineStart);
      if (parsesAsObject(line.toString('utf8'))) return lastNewline + 1;
      end = lineStart;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function lastIndexOfNewline(fd: number, window: Buffer, before: number): number {
  let end = before;
  while (end > 0) {
    const start = Math.max(0, end - window.length);
    const length = end - start;
    fs.readSync(fd, window, 0, length, start);
    const index = window.subarray(0, length).lastIndexOf(0x0a);
    if (index !== -1) return start + index;
    end = start;
  }
  return -1;
}

function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
