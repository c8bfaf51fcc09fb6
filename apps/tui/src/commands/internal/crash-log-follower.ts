import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { crashLogFiles, parseCrashLogLine, type CrashLogEntry } from '@lifeline/crash-log';

/** Options of {@link CrashLogFollower}. */
export interface CrashLogFollowerOptions {
  /** Files the log rotates through, the live one included. @default 3 */
  maxFiles?: number;
}

/**
 * Reads what is appended to the crash log from a starting point on, like `tail -F`: lines added
 * to the live file, and across a rotation the rest of the file that was renamed away, then the
 * new live file from its start. Only whole lines are returned; a line still being written waits
 * for the next poll.
 */
export class CrashLogFollower {
  private readonly logPath: string;
  private readonly maxFiles: number;
  private inode: number | undefined;
  private offset = 0;
  private decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(logPath: string, options: CrashLogFollowerOptions = {}) {
    this.logPath = logPath;
    this.maxFiles = options.maxFiles ?? 3;
  }

  /** Starts from the current end of the live file: only lines added after this are returned. */
  skipToEnd(): void {
    const stat = statOf(this.logPath);
    this.inode = stat?.ino;
    this.offset = stat?.size ?? 0;
    this.resetLine();
  }

  /** Entries appended since the last call, in the order they were written. */
  poll(): CrashLogEntry[] {
    const entries: CrashLogEntry[] = [];
    const live = statOf(this.logPath);
    if (this.inode !== undefined && live?.ino !== this.inode) {
      // Rotated: finish the file we were reading under its new name, then read any file rotated
      // after it in full, then the live one from its start.
      const rotated = crashLogFiles(this.logPath, this.maxFiles).slice(0, -1);
      const index = rotated.findIndex((file) => statOf(file)?.ino === this.inode);
      if (index !== -1) {
        entries.push(...this.readFrom(rotated[index] ?? ''));
        for (const newer of rotated.slice(index + 1)) {
          this.offset = 0;
          this.resetLine();
          entries.push(...this.readFrom(newer));
        }
      }
      this.inode = undefined;
      this.offset = 0;
      this.resetLine();
    }
    if (live) {
      if (this.inode === undefined) this.inode = live.ino;
      if (live.size < this.offset) {
        this.offset = 0;
        this.resetLine();
      }
      entries.push(...this.readFrom(this.logPath));
    }
    return entries;
  }

  private readFrom(file: string): CrashLogEntry[] {
    let text = '';
    let descriptor: number | undefined;
    try {
      descriptor = fs.openSync(file, 'r');
      const size = fs.fstatSync(descriptor).size;
      const buffer = Buffer.alloc(64 * 1024);
      while (this.offset < size) {
        const read = fs.readSync(
          descriptor,
          buffer,
          0,
          Math.min(buffer.length, size - this.offset),
          this.offset,
        );
        if (read === 0) break;
        this.offset += read;
        text += this.decoder.write(buffer.subarray(0, read));
      }
    } catch {
      // Gone between the stat and the read (rotated away): the next poll finds it by inode.
    } finally {
      if (descriptor !== undefined) fs.closeSync(descriptor);
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const entries: CrashLogEntry[] = [];
    for (const line of lines) {
      const entry = line === '' ? undefined : parseCrashLogLine(line);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  private resetLine(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
