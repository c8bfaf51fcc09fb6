import fs from 'node:fs';

/**
 * Garbles, in place, the first record of a session's event log segment that contains `marker` (as
 * a bad disk block would), leaving every other byte where it was: a host still appending to the
 * segment loses nothing. Returns the seq the record had.
 */
export function damageRecord(segment: string, marker: string): number {
  // Latin-1: one character per byte, so positions in the text are offsets in the file.
  const text = fs.readFileSync(segment).toString('latin1');
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`no record of ${segment} contains ${marker}`);
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  const seq = Number(/^\{"seq":(\d+),/.exec(text.slice(start, end))?.[1] ?? Number.NaN);
  if (Number.isNaN(seq))
    throw new Error(`the line of ${segment} that contains ${marker} is no record`);
  const fd = fs.openSync(segment, 'r+');
  try {
    fs.writeSync(fd, '~'.repeat(end - start), start, 'latin1');
  } finally {
    fs.closeSync(fd);
  }
  return seq;
}
