import { INTERRUPT_KEY as CTRL_C } from './interrupt-hold.js';

const PASTE_START = '\x1b[200~';
/** The end marker of a bracketed paste, as a terminal types it. */
export const PASTE_END = '\x1b[201~';

/**
 * Typed keys with each Ctrl+C outside a bracketed paste replaced by `key` (what the shell at its
 * prompt is to get for it; see `promptInterruptKey`), up to the first Enter: a Ctrl+C after it may
 * be meant for the command that Enter starts. A Ctrl+C inside a paste is pasted text.
 */
export function withInterruptKey(data: string, key: string): string {
  if (key === CTRL_C || !data.includes(CTRL_C)) return data;
  let result = '';
  let index = 0;
  while (index < data.length) {
    const pasteAt = data.indexOf(PASTE_START, index);
    const plain = data.slice(index, pasteAt === -1 ? data.length : pasteAt);
    const enterAt = plain.search(/[\r\n]/);
    if (enterAt !== -1) {
      return result + plain.slice(0, enterAt).replaceAll(CTRL_C, key) + data.slice(index + enterAt);
    }
    result += plain.replaceAll(CTRL_C, key);
    if (pasteAt === -1) break;
    const endAt = data.indexOf(PASTE_END, pasteAt + PASTE_START.length);
    const pasteEnd = endAt === -1 ? data.length : endAt + PASTE_END.length;
    result += data.slice(pasteAt, pasteEnd);
    index = pasteEnd;
  }
  return result;
}
