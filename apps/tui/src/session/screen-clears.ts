/**
 * What a program erased of its terminal: the whole screen (`CSI 2 J`, what `clear` and Ctrl+L at a
 * shell's prompt send), or the scrollback too (`CSI 3 J`, which `clear` sends after it).
 */
export type ScreenClear = 'screen' | 'scrollback';

/** A piece of output, or an erase of the whole screen between two pieces (see {@link ScreenClearScanner}). */
export type OutputPiece =
  | { readonly kind: 'output'; readonly data: string }
  | { readonly kind: 'clear'; readonly clear: ScreenClear };

/**
 * `CSI 2 J` and `CSI 3 J`; or the cursor to the top left corner, then an erase from there down:
 * what `clear` and Ctrl+L send where the terminal's description clears so (`TERM=screen` or
 * `tmux`, inside tmux or screen).
 */
const ERASE_IN_DISPLAY = /\x1b\[(?:([23])J|(?:1;1)?H\x1b\[0?J)/g;
/** The starts of an erase a piece of output may end with: the rest comes with the next piece. */
const ERASE_PREFIX = /\x1b(?:\[(?:[23]|1(?:;1?)?|(?:1;1)?H(?:\x1b(?:\[0?)?)?)?)?$/;

/**
 * Finds where one stream of output erases the whole screen or the scrollback, in stream order: each
 * erase is reported right before the piece of output that holds it, so that what the output drew
 * before it (lines that scrolled off) comes first. An erase cut in two at the end of a piece is held
 * until the next piece completes it (or {@link flush} ends the stream).
 */
export class ScreenClearScanner {
  #held = '';

  /** Splits the next piece of output at the erases it holds. */
  split(data: string): OutputPiece[] {
    let text = this.#held + data;
    this.#held = '';
    const cut = ERASE_PREFIX.exec(text);
    if (cut) {
      this.#held = cut[0];
      text = text.slice(0, cut.index);
    }
    const pieces: OutputPiece[] = [];
    let start = 0;
    for (const match of text.matchAll(ERASE_IN_DISPLAY)) {
      if (match.index > start)
        pieces.push({ kind: 'output', data: text.slice(start, match.index) });
      pieces.push({ kind: 'clear', clear: match[1] === '3' ? 'scrollback' : 'screen' });
      start = match.index;
    }
    if (start < text.length) pieces.push({ kind: 'output', data: text.slice(start) });
    return pieces;
  }

  /** Ends the stream: what was held of an erase that never came whole, as output. */
  flush(): string {
    const held = this.#held;
    this.#held = '';
    return held;
  }
}
