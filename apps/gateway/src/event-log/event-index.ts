import fs from 'node:fs';

/**
 * One index entry: the event `seq` starts at byte `offset` of the segment whose first seq is
 * `segment`. Entries are written at every segment start and then every few hundred events or
 * kilobytes, so finding any seq reads at most one index file and a bounded stretch of one segment.
 */
export interface IndexEntry {
  seq: number;
  segment: number;
  offset: number;
}

/** Serialises one entry as its index line. */
export function formatIndexEntry(entry: IndexEntry): string {
  return `${entry.seq} ${entry.segment} ${entry.offset}\n`;
}

/**
 * Parses an index file's text. A torn last line (a crash mid-write) and anything after the first
 * malformed or out-of-order line are left out; `validBytes` says where the good part ends. A line
 * that repeats the one before it exactly (a segment start indexed twice by older versions) is
 * skipped.
 */
export function parseIndex(text: string): { entries: IndexEntry[]; validBytes: number } {
  const entries: IndexEntry[] = [];
  let position = 0;
  while (position < text.length) {
    const end = text.indexOf('\n', position);
    if (end === -1) break;
    const match = /^(\d+) (\d+) (\d+)$/.exec(text.slice(position, end));
    if (!match) break;
    const entry = { seq: Number(match[1]), segment: Number(match[2]), offset: Number(match[3]) };
    const previous = entries.at(-1);
    const repeated =
      previous?.seq === entry.seq &&
      previous.segment === entry.segment &&
      previous.offset === entry.offset;
    if (!repeated) {
      if (previous && (entry.seq <= previous.seq || entry.segment < previous.segment)) break;
      entries.push(entry);
    }
    position = end + 1;
  }
  return { entries, validBytes: Buffer.byteLength(text.slice(0, position)) };
}

/** Reads the entries of an index file; a missing file has none. */
export function readIndexFile(file: string): { entries: IndexEntry[]; validBytes: number } {
  try {
    return parseIndex(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], validBytes: 0 };
    throw error;
  }
}

/** The last entry at or before `seq`, by binary search; undefined when `seq` precedes them all. */
export function findEntryAtOrBefore(
  entries: readonly IndexEntry[],
  seq: number,
): IndexEntry | undefined {
  let low = 0;
  let high = entries.length - 1;
  let found: IndexEntry | undefined;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const entry = entries[middle];
    if (!entry) break;
    if (entry.seq <= seq) {
      found = entry;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
