import type { Readable } from 'node:stream';

/**
 * The line reader a careful hand-rolled NDJSON peer would write: UTF-8 decoding by the stream,
 * split on `\n`, one callback per line. Shared by the hand-rolled baseline and the json-rpc-2.0
 * subject so both use the same framing.
 */
export function readLines(input: Readable, onLine: (line: string) => void): void {
  let carry = '';
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    const text = carry.length > 0 ? carry + chunk : chunk;
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      if (newline > start) onLine(text.slice(start, newline));
      start = newline + 1;
    }
    carry = start < text.length ? text.slice(start) : '';
  });
}
