import fs from 'node:fs';
import path from 'node:path';
import type { PtyScreen } from './pty-screen.js';

/** Where a key's echo is looked for, and the clock its times are on. */
export interface EchoSource {
  /** Calls `listener` with each new piece of text and when it appeared (on `now()`'s clock). */
  onText(listener: (text: string, at: number) => void): () => void;
  now(): number;
}

/** The terminal's screen: what a person would see. */
export function screenEchoSource(screen: PtyScreen): EchoSource {
  return { onText: (listener) => screen.onRender(listener), now: () => performance.now() };
}

/**
 * A session's event log: every byte the session's terminal produced, stamped by the host when it
 * was recorded. During a flood the TUI shows only the newest lines of each frame (the rest are
 * counted as hidden), so an echo can be produced in time yet never be drawn: this source times the
 * echo itself. Follows segment rotation by reading through an open descriptor.
 */
export function sessionLogEchoSource(sessionDir: () => string | undefined, pollMs = 5): EchoSource {
  const listeners = new Set<(text: string, at: number) => void>();
  let fd: number | undefined;
  let inode: number | undefined;
  let offset = 0;
  let carry = '';
  const buffer = Buffer.allocUnsafe(1 << 20);
  const readAvailable = (descriptor: number): boolean => {
    let readAny = false;
    for (;;) {
      const bytes = fs.readSync(descriptor, buffer, 0, buffer.length, offset);
      if (bytes === 0) return readAny;
      readAny = true;
      offset += bytes;
      const lines = (carry + buffer.toString('utf8', 0, bytes)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { type: string; data?: string; time: number };
        if (event.type === 'output' && event.data !== undefined)
          for (const listener of listeners) listener(event.data, event.time);
      }
    }
  };
  const timer = setInterval(() => {
    const dir = sessionDir();
    if (!dir) return;
    const file = path.join(dir, 'events.jsonl');
    if (fd !== undefined) readAvailable(fd);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.ino !== inode) {
      // A new segment: the old one, read to its end above, is complete.
      if (fd !== undefined) fs.closeSync(fd);
      fd = fs.openSync(file, 'r');
      inode = stat.ino;
      offset = 0;
      carry = '';
      readAvailable(fd);
    }
  }, pollMs);
  timer.unref();
  return {
    onText: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearInterval(timer);
          if (fd !== undefined) fs.closeSync(fd);
          fd = undefined;
        }
      };
    },
    now: () => Date.now(),
  };
}
