import fs from 'node:fs';
import path from 'node:path';
import { hasErrno } from '../errno.js';
import { ACTIVE_SEGMENT_FILE } from './segment-files.js';

/** How much of the end of the log {@link logEndLooksWhole} reads. */
const LOG_END_BYTES = 4096;

/**
 * A quick look at the end of a session's log (its last few kilobytes): whether every whole line
 * there is a record, each with the seq after the one before. A look that finds otherwise is no
 * verdict: the log is then read as a reader would (see `readLastEvent`), which names the damage.
 * A line still being written (no line end yet) is not looked at.
 */
export function logEndLooksWhole(dir: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path.join(dir, ACTIVE_SEGMENT_FILE), 'r');
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return true;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(0, size - LOG_END_BYTES);
    const buffer = Buffer.alloc(size - start);
    const read = fs.readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer.subarray(0, read).toString('utf8').split('\n');
    // After the last line end: a line still being written.
    lines.pop();
    // Before the first line end, unless the look began at the log's start: part of a line.
    if (start > 0) lines.shift();
    let previous: number | undefined;
    for (const line of lines) {
      const seq = seqOf(line);
      if (seq === undefined || (previous !== undefined && seq !== previous + 1)) return false;
      previous = seq;
    }
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** The seq of a record line, or undefined when the line is not one. */
function seqOf(line: string): number | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const seq = (value as { seq?: unknown }).seq;
    return Number.isInteger(seq) ? (seq as number) : undefined;
  } catch {
    return undefined;
  }
}
