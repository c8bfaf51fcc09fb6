import type fs from 'node:fs';

/**
 * The read buffer of one reader that pages through a log (an attach catching up), with the
 * complete lines a scan read past the record where it stopped: the next scan of the same file
 * from there starts on them instead of reading them again. A page that stops a few records into
 * a megabyte read would otherwise read most of every megabyte twice. Only complete lines are kept:
 * a record once complete on disk never changes (the log is appended to; recovery only cuts a torn
 * or undecodable tail, which a reader reports as damage when it meets it anyway).
 */
export class ReadAhead {
  #buffer: Buffer | undefined;
  /** The file the lines are of (device and inode: a rotated segment keeps them under its new name). */
  #dev = -1;
  #ino = -1;
  /** File offset of the buffer's first byte. */
  #start = 0;
  /** File offset just past the last complete line the buffer holds. */
  #end = 0;

  /**
   * Hands the buffer to a scan of the file `stat` describes, starting at `offset`, with where its
   * lines stand: `held` bytes from the buffer's start (at file offset `start`) are complete lines
   * of that file, the first to visit at `offset`. Held is 0 when the lines kept are of another file
   * or another stretch of it (then `start` is `offset`). Undefined when no buffer is kept.
   */
  take(
    stat: fs.Stats,
    offset: number,
  ): { buffer: Buffer; start: number; held: number } | undefined {
    const buffer = this.#buffer;
    if (buffer === undefined) return undefined;
    this.#buffer = undefined;
    const holds =
      stat.dev === this.#dev &&
      stat.ino === this.#ino &&
      this.#start <= offset &&
      offset < this.#end &&
      this.#end <= stat.size;
    return holds
      ? { buffer, start: this.#start, held: this.#end - this.#start }
      : { buffer, start: offset, held: 0 };
  }

  /**
   * Keeps `buffer` after a scan of the file `stat` describes: its first `filled` bytes were read
   * from file offset `start`, and the complete lines among them are held for the next scan.
   */
  keep(buffer: Buffer, stat: fs.Stats, start: number, filled: number): void {
    this.#buffer = buffer;
    this.#dev = stat.dev;
    this.#ino = stat.ino;
    this.#start = start;
    this.#end = filled === 0 ? start : start + buffer.lastIndexOf(0x0a, filled - 1) + 1;
  }

  /** Lets the buffer go (the reader is done paging). */
  release(): void {
    this.#buffer = undefined;
  }
}
