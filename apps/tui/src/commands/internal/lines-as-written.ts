/** Lines of the line model kept to be matched; past it the oldest go (output the screen never hands out). */
const MAX_KEPT = 10_000;
/** Kept lines looked through for one the screen hands out. */
const MAX_LOOKED = 2_000;

const SPACE = 0x20;
const TAB = 0x09;

/** Whether two lines hold the same characters apart from blanks and tabs (how the screen and the line model agree). */
function sameApartFromBlanks(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && (a.charCodeAt(i) === SPACE || a.charCodeAt(i) === TAB)) i += 1;
    while (j < b.length && (b.charCodeAt(j) === SPACE || b.charCodeAt(j) === TAB)) j += 1;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
    i += 1;
    j += 1;
  }
}

/**
 * The blanks of the lines a screen hands out, as the program wrote them: an emulated screen turns a
 * tab into the blanks it moved over and trims the blanks at a line's end (the cursor after
 * `read -p 'Name? '`), where a line model of the same output keeps them (a tab-separated table for
 * `cut -f` stays one). The line model's lines are {@link add}ed as they are finished; each line the
 * screen hands out is given as the line model wrote it when one of those still unmatched shows the
 * same characters apart from blanks and tabs (those before it are lines drawn over since), and as
 * the screen shows it otherwise.
 */
export class LinesAsWritten {
  #written: string[] = [];
  /** Index of the first line of {@link #written} not matched or passed over yet. */
  #first = 0;

  /** The line model finished these lines. */
  add(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.#written.push(...lines);
    const over = this.#written.length - this.#first - MAX_KEPT;
    if (over > 0) this.#first += over;
    this.#compact();
  }

  /** The line the screen handed out (`shown`), with its blanks as written where they are known. */
  take(shown: string): string {
    // Most lines are shown as they were written, in order.
    if (this.#written[this.#first] === shown) {
      this.#first += 1;
      this.#compact();
      return shown;
    }
    const last = Math.min(this.#written.length, this.#first + MAX_LOOKED);
    for (let index = this.#first; index < last; index += 1) {
      const written = this.#written[index] ?? '';
      if (!sameApartFromBlanks(written, shown)) continue;
      this.#first = index + 1;
      this.#compact();
      return written;
    }
    return shown;
  }

  /** Lets go of the lines matched or passed over, once they are many. */
  #compact(): void {
    if (this.#first < 1024 || this.#first * 2 < this.#written.length) return;
    this.#written = this.#written.slice(this.#first);
    this.#first = 0;
  }
}
