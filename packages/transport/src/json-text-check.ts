import { holdsBytesToDecode } from './internal/json-characters.js';
import { longStringLength } from './internal/long-strings.js';

const quote = 0x22;

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `bytes` (UTF-8) are the text of one JSON value, for a caller that passes the text on
 * without needing its value. Text that holds no backslash and no control character (one scan of
 * many bytes per step) has string tokens that are exactly their characters: those of 2 KiB or
 * more are left out and only the rest is parsed, so that long strings cost a scan, not a decode.
 * Other text is parsed whole. Byte sequences that are not UTF-8 are read as U+FFFD, as decoding
 * them does.
 */
export function isJsonText(bytes: Uint8Array): boolean {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < longStringLength || holdsBytesToDecode(buffer, 0, buffer.length))
    return parses(buffer.toString('utf8'));
  let skeleton = '';
  let copiedUpTo = 0;
  for (let open = buffer.indexOf(quote); open !== -1;) {
    // Without backslashes, the next quote closes the string.
    const close = buffer.indexOf(quote, open + 1);
    if (close === -1) return false;
    if (close - open - 1 >= longStringLength) {
      skeleton += `${buffer.toString('utf8', copiedUpTo, open)}""`;
      copiedUpTo = close + 1;
    }
    open = buffer.indexOf(quote, close + 1);
  }
  return parses(skeleton + buffer.toString('utf8', copiedUpTo));
}
