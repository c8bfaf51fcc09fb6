import fs from 'node:fs';
import path from 'node:path';
import { hasErrno } from '../errno.js';
import { ACTIVE_SEGMENT_FILE } from './segment-files.js';

/** How much of the end of the log a {@link LogEndLook} reads at most. */
const LOG_END_BYTES = 4096;

const lineEnd = 0x0a;

/** Where the whole lines a look found end, in which file, and the seq of the last of them. */
interface WholeEnd {
  /** The active segment's inode: a rotated log has a new file. */
  ino: number;
  /** Offset just past the last line end looked at. */
  end: number;
  /** Seq of the record that ends there (undefined when none was looked at yet). */
  seq: number | undefined;
}

/**
 * Quick looks at the end of session logs (their last few kilobytes): whether every whole line
 * there is a record, each with the seq after the one before. A look that finds otherwise is no
 * verdict: the log is then read as a reader would (see `readLastEvent`), which names the damage.
 * A line still being written (no line end yet) is not looked at. What a look found whole is not
 * read again: the next look at the same file, grown by no more than the few kilobytes looked at,
 * reads only the lines written since and checks that they follow on.
 */
export class LogEndLook {
  readonly #found = new Map<string, WholeEnd>();

  /** Whether the end of the log in session directory `dir` looks whole (see the class). */
  looksWhole(dir: string): boolean {
    let fd: number;
    try {
      fd = fs.openSync(path.join(dir, ACTIVE_SEGMENT_FILE), 'r');
    } catch (error) {
      this.#found.delete(dir);
      if (hasErrno(error, 'ENOENT')) return true;
      throw error;
    }
    try {
      const whole = wholeEndOf(fd, this.#found.get(dir));
      if (whole === false) this.#found.delete(dir);
      else if (whole !== undefined) this.#found.set(dir, whole);
      return whole !== false;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Looks at the end of the log open as `fd`, from where `known` says the last look ended when that
 * is still the same file and near its end.
 * @returns false when a line there is not a record or a seq is out of turn; undefined when no line
 *   ends there (a line longer than the look); else where the whole lines end now
 */
function wholeEndOf(fd: number, known: WholeEnd | undefined): WholeEnd | false | undefined {
  const { size, ino } = fs.fstatSync(fd);
  const resumes =
    known !== undefined &&
    known.ino === ino &&
    known.end <= size &&
    size - known.end <= LOG_END_BYTES;
  const start = resumes ? known.end : Math.max(0, size - LOG_END_BYTES);
  const buffer = Buffer.alloc(size - start);
  const read = fs.readSync(fd, buffer, 0, buffer.length, start);
  // After the last line end: a line still being written.
  const lastLineEnd = buffer.subarray(0, read).lastIndexOf(lineEnd);
  if (lastLineEnd === -1)
    return start === 0 || resumes ? { ino, end: start, seq: known?.seq } : undefined;
  const lines = buffer.subarray(0, lastLineEnd).toString('utf8').split('\n');
  // Before the first line end, unless the look began at a line's start: part of a line.
  if (!resumes && start > 0) lines.shift();
  let previous = resumes ? known.seq : undefined;
  for (const line of lines) {
    const seq = seqOf(line);
    if (seq === undefined || (previous !== undefined && seq !== previous + 1)) return false;
    previous = seq;
  }
  return { ino, end: start + lastLineEnd + 1, seq: previous };
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
