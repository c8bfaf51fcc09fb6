import fs from 'node:fs';
import path from 'node:path';

/** What reading a session's log straight from its files took. */
export interface LogRead {
  seconds: number;
  events: number;
  /** UTF-8 bytes of the `data` of the `output` events. */
  outputBytes: number;
}

/** Archived segments (`events.<first seq>.jsonl`, in seq order by name), then the active one. */
const segmentPattern = /^events(?:\.\d+)?\.jsonl$/;

/**
 * The limit of a replay: this process reads every segment of a session's event log in 1 MiB
 * chunks, splits the lines and `JSON.parse`s each record, with nothing in between (no index, no
 * paging, no IPC, no validation).
 */
export function readLogDirectly(sessionDir: string): LogRead {
  const started = performance.now();
  const segments = fs
    .readdirSync(sessionDir)
    .filter((name) => segmentPattern.test(name))
    .sort((left, right) =>
      left === 'events.jsonl' ? 1 : right === 'events.jsonl' ? -1 : left.localeCompare(right),
    );
  let events = 0;
  let outputBytes = 0;
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  for (const segment of segments) {
    const fd = fs.openSync(path.join(sessionDir, segment), 'r');
    try {
      let carry = Buffer.alloc(0);
      for (;;) {
        const read = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (read === 0) break;
        const data =
          carry.length > 0
            ? Buffer.concat([carry, chunk.subarray(0, read)])
            : chunk.subarray(0, read);
        let start = 0;
        for (
          let newline = data.indexOf(0x0a);
          newline !== -1;
          newline = data.indexOf(0x0a, start)
        ) {
          const record = JSON.parse(data.toString('utf8', start, newline)) as {
            type: string;
            data?: string;
          };
          events += 1;
          if (record.type === 'output' && record.data !== undefined)
            outputBytes += Buffer.byteLength(record.data);
          start = newline + 1;
        }
        carry = Buffer.from(data.subarray(start));
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return { seconds: (performance.now() - started) / 1000, events, outputBytes };
}
