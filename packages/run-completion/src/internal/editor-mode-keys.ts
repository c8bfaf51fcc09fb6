import { pasteEnd, pasteStart } from './enter-keys.js';

const ESC = 0x1b;
const TAB = 0x09;

/**
 * Control keys other than Tab after which a shell's line editor (bash's readline, zsh's zle, fish)
 * may read the next keys as something other than the command line: a history search (Ctrl+R,
 * Ctrl+S), a prefix waiting for the rest of its key (Ctrl+X), a key read literally or searched for
 * (Ctrl+V, Ctrl+Q, Ctrl+]).
 */
const modeControlKeys = new Set([0x12, 0x13, 0x18, 0x16, 0x11, 0x1d]);

/**
 * What keys typed into a shell at its prompt may have done to its line editor: `'none'`, still
 * editing the command line; `'completion'`, a Tab (a completion, which may end in a list or in a
 * question that reads the next keys as its answer); `'other'`, a key that may leave it in another
 * mode of its own (and maybe a Tab too).
 */
export type ModeKeys = 'none' | 'completion' | 'other';

/**
 * What `keys`, typed into a shell at its prompt, may have done to its line editor (see
 * {@link ModeKeys}). `'other'`: a key of {@link modeControlKeys}; an Escape that begins no complete
 * key (vi command mode, or a Meta prefix waiting for its key); a Meta digit or minus (a count
 * waiting for its command); Escape twice. Printable text, a bracketed paste, editing keys (Ctrl+A,
 * Ctrl+W, Backspace…), cursor and function keys (`ESC [ … final`, `ESC O x`) and Meta letters
 * (`ESC b`) leave it editing the line.
 */
export function modeKeysIn(keys: string): ModeKeys {
  let found: ModeKeys = 'none';
  for (let index = 0; index < keys.length;) {
    const key = keyAt(keys, index);
    switch (key.kind) {
      case 'paste-cut':
        // Its rest comes as keys of their own.
        return found;
      case 'cut':
        return 'other';
      case 'plain': {
        const code = keys.charCodeAt(index);
        if (modeControlKeys.has(code)) return 'other';
        if (code === TAB) found = 'completion';
        break;
      }
      case 'escape': {
        const next = keys.charCodeAt(index + 1);
        if (
          Number.isNaN(next) ||
          next === ESC ||
          next === 0x2d /* - */ ||
          (next >= 0x30 && next <= 0x39) ||
          next < 0x20
        )
          return 'other';
        // A Meta key: the Escape and the key after it.
        index += 2;
        continue;
      }
      case 'paste':
      case 'sequence':
        break;
    }
    index = key.end;
  }
  return found;
}

/**
 * The key typed at `index` of `keys` and where it ends: a bracketed paste (`paste-cut` when its end
 * is not in `keys`), a cursor or function key (`ESC [ … final`, `ESC O x`; `cut` when not whole), an
 * Escape that begins neither (`escape`: it ends at the Escape, the key after it read on its own),
 * or any other character (`plain`).
 */
function keyAt(
  keys: string,
  index: number,
): { kind: 'paste' | 'paste-cut' | 'sequence' | 'cut' | 'escape' | 'plain'; end: number } {
  if (keys.startsWith(pasteStart, index)) {
    const end = keys.indexOf(pasteEnd, index + pasteStart.length);
    return end === -1
      ? { kind: 'paste-cut', end: keys.length }
      : { kind: 'paste', end: end + pasteEnd.length };
  }
  if (keys.charCodeAt(index) !== ESC) return { kind: 'plain', end: index + 1 };
  const next = keys.charCodeAt(index + 1);
  if (next === 0x5b /* [ */) {
    const end = csiEnd(keys, index + 2);
    return end === undefined ? { kind: 'cut', end: keys.length } : { kind: 'sequence', end };
  }
  if (next === 0x4f /* O */)
    return index + 2 >= keys.length
      ? { kind: 'cut', end: keys.length }
      : { kind: 'sequence', end: index + 3 };
  return { kind: 'escape', end: index + 1 };
}

/**
 * Keys that, right after a lone Escape, leave a line editor editing the command line: in vi
 * command mode they go back to insert mode (bash, zsh, fish); after a Meta prefix, they make a
 * Meta key that edits the line or does nothing.
 */
const insertKeys = new Set([0x69 /* i */, 0x61 /* a */, 0x49 /* I */, 0x41 /* A */]);

/**
 * Whether `keys`, typed since the line editor was last seen editing the line, end back in the
 * command line after their last lone Escape: the key right after it is i, a, I or A (vi's insert
 * keys), and every key after that one edits the line (see {@link modeKeysIn}). Escape twice, or
 * any other key after it (a count, a motion, another command), says nothing sure.
 */
export function leavesEscapeForInsert(keys: string): boolean {
  const escape = lastLoneEscape(keys);
  if (escape === -1 || keys.charCodeAt(escape - 1) === ESC) return false;
  return (
    insertKeys.has(keys.charCodeAt(escape + 1)) && modeKeysIn(keys.slice(escape + 2)) === 'none'
  );
}

/**
 * The index of the last Escape in `keys` that begins no cursor or function key (`ESC [`, `ESC O`)
 * and is not the text of a bracketed paste; -1 when none.
 */
function lastLoneEscape(keys: string): number {
  let last = -1;
  for (let index = 0; index < keys.length;) {
    const key = keyAt(keys, index);
    if (key.kind === 'paste-cut') return last;
    if (key.kind === 'escape') last = index;
    index = key.end;
  }
  return last;
}

/** The index after the final byte of a CSI sequence whose parameters start at `from`, if complete. */
function csiEnd(keys: string, from: number): number | undefined {
  for (let index = from; index < keys.length; index += 1) {
    const code = keys.charCodeAt(index);
    if (code >= 0x40 && code <= 0x7e) return index + 1;
    if (code < 0x20 || code > 0x3f) return undefined;
  }
  return undefined;
}

/** Keys that open a history search: Ctrl+R, Ctrl+S. */
const searchKeys = new Set([0x12, 0x13]);
/** Keys a history search takes as its own: its text, Backspace, Ctrl+R and Ctrl+S again. */
function isSearchKey(code: number): boolean {
  return code >= 0x20 || code === 0x08 || searchKeys.has(code);
}

/**
 * Whether `keys`, typed since the shell's line editor was last seen editing the line, open a
 * history search and cancel it with their last key, Ctrl+G or a lone Escape: before the search,
 * only keys that leave the line editor editing the line; within it, only its text, Backspace and
 * more search keys. The line editor is then editing the line again. Any other key (an arrow or a
 * control key ends the search and does what it does; a second Escape may be a Meta prefix) says
 * nothing sure, and neither does a search opened from another mode (bash's vi command mode has one).
 */
export function cancelsHistorySearch(keys: string): boolean {
  let open = -1;
  for (let index = 0; index < keys.length; index += 1) {
    if (searchKeys.has(keys.charCodeAt(index))) {
      open = index;
      break;
    }
  }
  if (open === -1 || modeKeysIn(keys.slice(0, open)) !== 'none') return false;
  const last = keys.charCodeAt(keys.length - 1);
  if (last !== 0x07 && last !== ESC) return false;
  for (let index = open + 1; index < keys.length - 1; index += 1) {
    if (!isSearchKey(keys.charCodeAt(index))) return false;
  }
  return keys.length - 1 > open;
}
