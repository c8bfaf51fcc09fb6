/** What a terminal sends before pasted text, when the program asked for bracketed pastes. */
export const pasteStart = '\x1b[200~';
/** What a terminal sends after pasted text. */
export const pasteEnd = '\x1b[201~';

/**
 * Tells, key by key as they are typed, whether an Enter (CR, or LF: Ctrl+J) reached the line
 * editor outside a bracketed paste. Line ends inside a paste are text of the line (the line editor
 * waits for an Enter after it); a paste may be cut across several pieces of typing.
 */
export class EnterKeys {
  #inPaste = false;
  /** What of a paste bracket the last piece ended with, to be completed by the next piece. */
  #carry = '';

  /** Whether `keys` hold an Enter outside a paste. */
  typed(keys: string): boolean {
    const text = this.#carry + keys;
    this.#carry = '';
    let entered = false;
    let index = 0;
    while (index < text.length) {
      const marker = this.#inPaste ? pasteEnd : pasteStart;
      const found = text.indexOf(marker, index);
      const segmentEnd = found === -1 ? text.length : found;
      if (!this.#inPaste && /[\r\n]/.test(text.slice(index, segmentEnd))) entered = true;
      if (found === -1) {
        this.#carry = partialMarkerAtEnd(text, marker);
        break;
      }
      this.#inPaste = !this.#inPaste;
      index = found + marker.length;
    }
    return entered;
  }
}

/** The end of `text` when it is the start of `marker` (a bracket cut between two pieces). */
function partialMarkerAtEnd(text: string, marker: string): string {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
    if (marker.startsWith(text.slice(-length))) return text.slice(-length);
  }
  return '';
}
