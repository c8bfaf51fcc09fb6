import fs from 'node:fs';
import path from 'node:path';

/** The segment new events are appended to. */
export const ACTIVE_SEGMENT_FILE = 'events.jsonl';

/** The sparse seq → (segment, byte offset) index. */
export const INDEX_FILE = 'events.idx';

/**
 * Name of a segment once it is full: `events.<first seq, 12 digits>.jsonl`, so a directory
 * listing sorts segments in seq order.
 */
export function archivedSegmentFile(firstSeq: number): string {
  return `events.${String(firstSeq).padStart(12, '0')}.jsonl`;
}

/**
 * Path of the segment that starts at `firstSeq`: its archived name once it has been rotated,
 * else the active segment. A reader that races a rotation notices through the first seq it reads
 * and looks again.
 */
export function segmentPath(dir: string, firstSeq: number): string {
  const archived = path.join(dir, archivedSegmentFile(firstSeq));
  return fs.existsSync(archived) ? archived : path.join(dir, ACTIVE_SEGMENT_FILE);
}
