import fs from 'node:fs';
import path from 'node:path';
import { sessionEventSchema, type SessionEvent } from '@lifeline/protocol';

/** A session's event log as read from disk. */
export interface DiskLog {
  /** Every complete record, in file order. */
  readonly events: readonly SessionEvent[];
  /** What is wrong with the log itself: a record that does not parse, a seq out of order. */
  readonly problems: readonly string[];
}

const archivedSegment = /^events\.\d{12}\.jsonl$/;

/**
 * Reads a session's log straight from its files (rotated segments in seq order, then the active
 * `events.jsonl`), without going through any gateway. A last line still being written (no newline
 * yet) is left out: it is not in the log until it is complete.
 */
export function readDiskLog(sessionDir: string): DiskLog {
  let names: string[];
  try {
    names = fs.readdirSync(sessionDir);
  } catch {
    return { events: [], problems: [] };
  }
  const segments = [...names.filter((name) => archivedSegment.test(name)).sort(), 'events.jsonl'];
  const events: SessionEvent[] = [];
  const problems: string[] = [];
  for (const segment of segments) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(sessionDir, segment), 'utf8');
    } catch {
      continue;
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n')) {
      if (line === '') continue;
      const parsed = sessionEventSchema.safeParse(safeJson(line));
      if (!parsed.success) {
        problems.push(`${segment}: a record that is not a session event: ${line.slice(0, 120)}`);
        continue;
      }
      const expected = events.length;
      if (parsed.data.seq !== expected)
        problems.push(`${segment}: seq ${parsed.data.seq} where ${expected} was due`);
      events.push(parsed.data);
    }
  }
  return { events, problems };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
