import fs from 'node:fs';

const chunkBytes = 256 * 1024;

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
 * Reads complete, newline-terminated lines of a file from `startOffset`, a chunk at a time, until
 * `visit` returns false or the file ends. A trailing fragment without its newline (a write in
 * progress, or torn by a crash) is never visited.
 */
export function scanLines(
  file: string,
  startOffset: number,
  visit: (line: SegmentLine) => boolean,
): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let carry: Buffer = Buffer.alloc(0);
    let carryOffset = startOffset;
    let readPosition = startOffset;
    for (;;) {
      const bytesRead = fs.readSync(fd, chunk, 0, chunkBytes, readPosition);
      if (bytesRead === 0) return;
      readPosition += bytesRead;
      const data =
        carry.length > 0
          ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
          : chunk.subarray(0, bytesRead);
      let lineStart = 0;
      for (
        let newline = data.indexOf(0x0a);
        newline !== -1;
        newline = data.indexOf(0x0a, lineStart)
      ) {
        const bytes = data.subarray(lineStart, newline);
        const keepGoing = visit({
          bytes,
          get text() {
            return bytes.toString('utf8');
          },
          offset: carryOffset + lineStart,
          nextOffset: carryOffset + newline + 1,
        });
        if (!keepGoing) return;
        lineStart = newline + 1;
      }
      carry = Buffer.from(data.subarray(lineStart));
      carryOffset += lineStart;
    }
  } finally {
    fs.closeSync(fd);
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
