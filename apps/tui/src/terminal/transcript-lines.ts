// The output of one run as a terminal would show it in a single scrolling column, kept as
// finished lines ready for display. `\r`, `\b` and the column moves overwrite what is under the
// cursor exactly as on a screen (a progress bar ends as its last frame); a line is rendered to a
// string once, when `\n` finishes it, and only the last lines are kept.
import { cellWidthAt, unitWidth } from './internal/cell-width.js';
import { SgrPen } from './internal/sgr-pen.js';
import {
  dimOn,
  hyperlinkEnd,
  hyperlinkStart,
  resetAttributes,
  styleChange,
} from '../terminal-sequences.js';

/** Bounds of the line model beyond the configurable ones. */
export const transcriptLineLimits = {
  /** UTF-16 code units kept in one cell: a character and its combining marks. */
  maxCellLength: 16,
  /**
   * Code units of style and hyperlink sequences rendered into one line; once a line has used
   * them, the rest of it keeps the style it had, so that a style change on every character
   * cannot inflate a line without bound.
   */
  maxStyleLengthPerLine: 65_536,
  /** Longest OSC 8 hyperlink (`params;uri`) applied to cells; a longer one is ignored. */
  maxHyperlinkLength: 2048,
  /** Longest unfinished escape sequence held from one `append` to the next. */
  maxCarryLength: 4096,
} as const;

/** Options of {@link createTranscriptLines}. */
export interface TranscriptLinesOptions {
  /**
   * Finished lines kept in memory; older ones are dropped and counted in `hiddenLineCount`.
   * @default 2000
   */
  maxLines?: number;
  /**
   * Columns kept per line; text beyond them is dropped and the line ends with a dim
   * `… +N columns` marker.
   * @default 10000
   */
  maxColumns?: number;
  /**
   * UTF-16 code units kept over all finished lines (text and styles); older lines are dropped
   * when they add up to more. The newest line is always kept.
   * @default 8388608 (8 Mi)
   */
  maxCharacters?: number;
}

/** The styled lines of one run's output; see {@link createTranscriptLines}. */
export interface TranscriptLines {
  /**
   * Adds sanitised output. SGR sequences set the style, OSC 8 sets the hyperlink, `\n` finishes a
   * line, `\r` returns to column 0, `\b` moves one column back, `\t` to the next multiple of 8
   * (at the end of a line written only at its end, the line keeps it as a tab character),
   * `CSI n G`/`C`/`D` move the cursor within the line and `CSI n K` erases in it. Anything else
   * that is not text is ignored. A sequence cut by the end of `text` is completed by the next call.
   * The cost is proportional to `text` and to the width of the lines it finishes.
   */
  append(text: string): void;
  /** Ends the output: finishes the line being written, if it has anything in it. */
  finish(): void;
  /** Lines finished since the start, whether still kept or not. */
  readonly lineCount: number;
  /** Finished lines dropped to stay within bounds: the oldest ones, `0` to `hiddenLineCount - 1`. */
  readonly hiddenLineCount: number;
  /**
   * Finished line number `index` (from 0, over all lines since the start) rendered as a string
   * with SGR sequences that starts and ends in the default style; `undefined` when it was
   * dropped or is not finished yet.
   */
  line(index: number): string | undefined;
  /** The last `count` finished lines still kept, oldest first. */
  lastLines(count: number): string[];
  /** The line being written, rendered like a finished one; `undefined` when it is empty. */
  currentLine(): string | undefined;
}

const tabWidth = 8;
const notPrintableAscii = /[^\x20-\x7e]/g;
const stringTerminatorStart = /[\x07\x1b]/g;
const hyperlink = /^8;([\x21-\x3a\x3c-\x7e]*);([\x21-\x7e]*)$/;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `transcript option ${name} is ${value}; pass a whole number of at least 1`,
    );
  }
  return value;
}

/** The numeric parameter of a cursor or erase sequence, with its default. */
function parameterValue(parameters: string, fallback: number): number {
  if (parameters === '') return fallback;
  const value = Number(parameters);
  return Number.isFinite(value) ? value : fallback;
}

/** A copy of `text` that holds no reference to the (possibly much larger) string it was cut from. */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * Renders the first `count` runs of text, each in one style and hyperlink, as a line that starts
 * and ends in the default style. A style sequence is written only where the style changes,
 * within the budget.
 */
function renderRuns(
  count: number,
  texts: readonly string[],
  styles: readonly string[],
  links: readonly string[],
  overflow: number,
): string {
  let line = '';
  let style = '';
  let link = '';
  let styleLength = 0;
  for (let run = 0; run < count; run++) {
    const runStyle = styles[run] ?? '';
    const runLink = links[run] ?? '';
    if (
      (runStyle !== style || runLink !== link) &&
      styleLength < transcriptLineLimits.maxStyleLengthPerLine
    ) {
      let change = '';
      if (runLink !== link && link !== '') change += hyperlinkEnd;
      if (runStyle !== style) change += styleChange(style, runStyle);
      if (runLink !== link && runLink !== '') change += hyperlinkStart(runLink);
      line += change;
      styleLength += change.length;
      style = runStyle;
      link = runLink;
    }
    line += texts[run] ?? '';
  }
  if (link !== '') line += hyperlinkEnd;
  if (style !== '') line += resetAttributes;
  if (overflow > 0) line += columnsLeftOut(overflow);
  return detached(line);
}

/** The dim mark that ends a line cut at its bound: `… +N columns`, those left out. */
export function columnsLeftOut(columns: number): string {
  return `${dimOn}… +${columns} columns${resetAttributes}`;
}

class ScrollingTranscript implements TranscriptLines {
  readonly #maxLines: number;
  readonly #maxColumns: number;
  readonly #maxCharacters: number;
  // Finished lines in a ring: slot `(#oldest + n) % maxLines` holds the n-th kept line.
  readonly #lines: string[];
  readonly #lineLengths: Int32Array;
  #oldest = 0;
  #kept = 0;
  #keptCharacters = 0;
  #hidden = 0;
  // The line being written. While it has only ever been written at its end — nearly always —
  // it is a list of runs, each in one style, appended to in slices. The first write behind its
  // end turns it into cells, one per column, which can be overwritten in place; a wide
  // character fills its column and an empty continuation cell after it.
  #inCells = false;
  readonly #runText: string[] = [];
  readonly #runStyle: string[] = [];
  readonly #runLink: string[] = [];
  /** Runs in use; entries past it are stale. */
  #runCount = 0;
  /** Code units in the last cell of the runs, which combining marks may extend. */
  #lastCellLength = 0;
  readonly #cellText: string[] = [];
  readonly #cellStyle: string[] = [];
  readonly #cellLink: string[] = [];
  #width = 0;
  #column = 0;
  /** How far past `maxColumns` the line was written. */
  #overflow = 0;
  readonly #pen = new SgrPen();
  #link = '';
  /** The start of an escape sequence (or a lone high surrogate) cut by the end of a chunk. */
  #carry = '';

  constructor(options: TranscriptLinesOptions) {
    this.#maxLines = positiveInteger('maxLines', options.maxLines, 2000);
    this.#maxColumns = positiveInteger('maxColumns', options.maxColumns, 10_000);
    this.#maxCharacters = positiveInteger('maxCharacters', options.maxCharacters, 8 * 1024 * 1024);
    this.#lines = new Array<string>(this.#maxLines).fill('');
    this.#lineLengths = new Int32Array(this.#maxLines);
  }

  get lineCount(): number {
    return this.#hidden + this.#kept;
  }

  get hiddenLineCount(): number {
    return this.#hidden;
  }

  line(index: number): string | undefined {
    if (!Number.isInteger(index) || index < this.#hidden || index >= this.#hidden + this.#kept) {
      return undefined;
    }
    return this.#lines[(this.#oldest + index - this.#hidden) % this.#maxLines];
  }

  lastLines(count: number): string[] {
    const taken = Math.max(0, Math.min(Math.floor(count), this.#kept));
    const lines: string[] = [];
    for (let index = this.#kept - taken; index < this.#kept; index++) {
      lines.push(this.#lines[(this.#oldest + index) % this.#maxLines] ?? '');
    }
    return lines;
  }

  currentLine(): string | undefined {
    return this.#width === 0 && this.#overflow === 0 ? undefined : this.#render();
  }

  append(text: string): void {
    if (this.#carry !== '') {
      text = this.#carry + text;
      this.#carry = '';
    }
    const length = text.length;
    let index = 0;
    while (index < length) {
      // Find the next character that is not printable ASCII: a control, DEL or non-ASCII (which
      // needs a width). A few characters by hand, as escapes are close together in coloured
      // output, then a regex search, which is faster over long plain runs.
      let at = index;
      let code = text.charCodeAt(at);
      const handScanEnd = index + 16;
      while (code >= 0x20 && code <= 0x7e && at < handScanEnd) code = text.charCodeAt(++at);
      if (code >= 0x20 && code <= 0x7e) {
        notPrintableAscii.lastIndex = at;
        at = notPrintableAscii.test(text) ? notPrintableAscii.lastIndex - 1 : length;
        code = text.charCodeAt(at);
      }
      if (at > index) this.#writeNarrow(text, index, at);
      if (at >= length) break;
      index = at + 1;
      if (code === 0x0a) {
        this.#finishLine();
      } else if (code === 0x0d) {
        this.#column = 0;
      } else if (code === 0x08) {
        if (this.#column > 0) this.#column--;
      } else if (code === 0x09) {
        this.#tab();
      } else if (code === 0x1b) {
        const next = this.#applyEscape(text, at);
        if (next === undefined) {
          this.#carry = text.slice(at);
          return;
        }
        index = next;
      } else if (code >= 0xa0 && unitWidth(code) !== 0) {
        // A run of characters of the same width, one code unit each (a word in most scripts
        // other than Latin, or a CJK phrase): written at once.
        const width = unitWidth(code);
        let end = at + 1;
        while (end < length && unitWidth(text.charCodeAt(end)) === width) end++;
        if (width === 1) this.#writeNarrow(text, at, end);
        else this.#writeWide(text, at, end);
        index = end;
      } else if (code >= 0xa0) {
        const isHighSurrogate = code >= 0xd800 && code <= 0xdbff;
        if (isHighSurrogate && index === length) {
          this.#carry = text.slice(at);
          return;
        }
        const end = isHighSurrogate && text.codePointAt(at) !== code ? at + 2 : at + 1;
        this.#writeCharacter(text.slice(at, end), cellWidthAt(text, at));
        index = end;
      }
      // Every other control character is not shown.
    }
  }

  finish(): void {
    this.#carry = '';
    if (this.#width > 0 || this.#overflow > 0) this.#finishLine();
    this.#column = 0;
  }

  /**
   * Applies the escape sequence at `start`; returns where it ends, or `undefined` when the text
   * ends inside it (the caller keeps the rest for the next call).
   */
  #applyEscape(text: string, start: number): number | undefined {
    const length = text.length;
    if (start + 1 >= length) return undefined;
    const introducer = text.charCodeAt(start + 1);
    let index = start + 2;
    if (introducer === 0x5b) {
      while (index < length && text.charCodeAt(index) >= 0x30 && text.charCodeAt(index) <= 0x3f)
        index++;
      const parametersEnd = index;
      while (index < length && text.charCodeAt(index) >= 0x20 && text.charCodeAt(index) <= 0x2f)
        index++;
      if (index >= length) return this.#unfinished(text, start);
      const final = text.charCodeAt(index);
      if (final < 0x40 || final > 0x7e) return start + 1;
      // Sequences with intermediates or a private marker (`<`, `=`, `>`, `?`) change nothing here.
      if (
        parametersEnd === index &&
        !(text.charCodeAt(start + 2) >= 0x3c && parametersEnd > start + 2)
      ) {
        this.#applyControlSequence(text.slice(start + 2, parametersEnd), final);
      }
      return index + 1;
    }
    if (introducer === 0x5d) {
      stringTerminatorStart.lastIndex = index;
      if (!stringTerminatorStart.test(text)) return this.#unfinished(text, start);
      const at = stringTerminatorStart.lastIndex - 1;
      let end = at + 1;
      if (text.charCodeAt(at) === 0x1b) {
        if (at + 1 >= length) return this.#unfinished(text, start);
        if (text.charCodeAt(at + 1) !== 0x5c) return start + 1;
        end = at + 2;
      }
      if (at - index <= transcriptLineLimits.maxHyperlinkLength) {
        const match = hyperlink.exec(text.slice(index, at));
        if (match !== null)
          this.#link = match[2] === '' ? '' : `${match[1] ?? ''};${match[2] ?? ''}`;
      }
      return end;
    }
    index = start + 1;
    while (index < length && text.charCodeAt(index) >= 0x20 && text.charCodeAt(index) <= 0x2f)
      index++;
    if (index >= length) return this.#unfinished(text, start);
    const final = text.charCodeAt(index);
    // Any other complete escape sequence is skipped; a malformed one loses its ESC only.
    return final >= 0x30 && final <= 0x7e ? index + 1 : start + 1;
  }

  /** An escape sequence runs to the end of the text: wait for the rest, unless it is too long. */
  #unfinished(text: string, start: number): number | undefined {
    return text.length - start <= transcriptLineLimits.maxCarryLength ? undefined : start + 1;
  }

  #applyControlSequence(parameters: string, final: number): void {
    switch (final) {
      case 0x6d: // m
        if (parameters === '' || parameters === '0') this.#pen.reset();
        else this.#pen.apply(parameters);
        break;
      case 0x47: // G
        this.#column = Math.min(Math.max(parameterValue(parameters, 1), 1) - 1, this.#maxColumns);
        break;
      case 0x43: {
        // C
        const target = this.#column + Math.max(parameterValue(parameters, 1), 1);
        this.#column = Math.min(target, Math.max(this.#column, this.#maxColumns));
        break;
      }
      case 0x44: // D
        this.#column = Math.max(0, this.#column - Math.max(parameterValue(parameters, 1), 1));
        break;
      case 0x4b: // K
        this.#eraseInLine(parameterValue(parameters, 0));
        break;
      default:
      // Other sequences have no meaning in a single scrolling column.
    }
  }

  #eraseInLine(mode: number): void {
    const column = this.#column;
    if (mode === 2 || (mode === 0 && column === 0)) {
      this.#clearLine();
    } else if (mode === 0) {
      if (column < this.#width) {
        this.#toCells();
        if (this.#cellText[column] === '') this.#cellText[column - 1] = ' ';
        this.#width = column;
      }
      if (column <= this.#maxColumns) this.#overflow = 0;
    } else if (mode === 1 && this.#width > 0) {
      this.#toCells();
      const last = Math.min(column, this.#width - 1);
      for (let cell = 0; cell <= last; cell++) this.#setCell(cell, ' ', '', '');
      if (last + 1 < this.#width && this.#cellText[last + 1] === '') this.#cellText[last + 1] = ' ';
    }
  }

  #clearLine(): void {
    this.#inCells = false;
    this.#runCount = 0;
    this.#lastCellLength = 0;
    this.#width = 0;
    this.#overflow = 0;
  }

  #setCell(cell: number, text: string, style: string, link: string): void {
    this.#cellText[cell] = text;
    this.#cellStyle[cell] = style;
    this.#cellLink[cell] = link;
  }

  #appendRun(text: string, style: string, link: string): void {
    const last = this.#runCount - 1;
    if (last >= 0 && this.#runStyle[last] === style && this.#runLink[last] === link) {
      this.#runText[last] = (this.#runText[last] ?? '') + text;
    } else {
      this.#runText[this.#runCount] = text;
      this.#runStyle[this.#runCount] = style;
      this.#runLink[this.#runCount] = link;
      this.#runCount++;
    }
  }

  /** Whether `width` columns at the cursor fit in the line; if not, counts them as overflow. */
  #fits(width: number): boolean {
    if (this.#column + width <= this.#maxColumns) return true;
    this.#column += width;
    this.#overflow = Math.max(this.#overflow, this.#column - this.#maxColumns);
    return false;
  }

  /**
   * `\t`: the cursor goes to the next multiple of 8. At the end of a line written only at its end,
   * the tab stays in the line as a character (of the columns it moved over), so that text handed
   * on as text keeps it: tab-separated values, a Makefile, `cut -f`. Anywhere else it only moves
   * the cursor, as in a terminal.
   */
  #tab(): void {
    if (this.#column >= this.#maxColumns) return;
    const stop = Math.min(this.#maxColumns, (Math.floor(this.#column / tabWidth) + 1) * tabWidth);
    if (!this.#inCells && this.#column >= this.#width && stop % tabWidth === 0) {
      this.#fillGap();
      this.#appendRun('\t', '', '');
      this.#lastCellLength = 1;
      this.#width = stop;
    }
    this.#column = stop;
  }

  /** Before writing at the cursor past the end of the line: fills the gap with blanks. */
  #fillGap(): void {
    const gap = this.#column - this.#width;
    if (gap <= 0) return;
    if (this.#inCells) {
      for (let cell = this.#width; cell < this.#column; cell++) this.#setCell(cell, ' ', '', '');
    } else {
      this.#appendRun(' '.repeat(gap), '', '');
      this.#lastCellLength = 1;
    }
    this.#width = this.#column;
  }

  /** Writes `text[start, end)`, characters of one column and one code unit each. */
  #writeNarrow(text: string, start: number, end: number): void {
    if (!this.#inCells && this.#column < this.#width) this.#toCells();
    if (!this.#inCells) {
      const count = end - start;
      const room = Math.max(0, this.#maxColumns - this.#column);
      const written = Math.min(room, count);
      if (written > 0) {
        this.#fillGap();
        this.#appendRun(
          start === 0 && written === text.length ? text : text.slice(start, start + written),
          this.#pen.parameters,
          this.#link,
        );
        this.#column += written;
        this.#width = this.#column;
        this.#lastCellLength = 1;
      }
      if (written < count) this.#fits(count - written);
      return;
    }
    const style = this.#pen.parameters;
    const link = this.#link;
    for (let index = start; index < end; index++) {
      if (!this.#fits(1)) {
        this.#fits(end - index - 1);
        return;
      }
      this.#fillGap();
      this.#prepareOverwrite(this.#column, 1);
      this.#setCell(this.#column, text[index] ?? ' ', style, link);
      this.#column++;
      if (this.#column > this.#width) this.#width = this.#column;
    }
  }

  /** Writes `text[start, end)`, characters of two columns and one code unit each. */
  #writeWide(text: string, start: number, end: number): void {
    const columns = 2 * (end - start);
    if (
      this.#inCells ||
      this.#column !== this.#width ||
      this.#column + columns > this.#maxColumns
    ) {
      for (let index = start; index < end; index++) this.#writeCharacter(text.charAt(index), 2);
      return;
    }
    this.#appendRun(text.slice(start, end), this.#pen.parameters, this.#link);
    this.#column += columns;
    this.#width = this.#column;
    this.#lastCellLength = 1;
  }

  #writeCharacter(character: string, width: 0 | 1 | 2): void {
    if (!this.#inCells && this.#column < this.#width) this.#toCells();
    if (width === 0) {
      this.#joinPrevious(character);
      return;
    }
    if (!this.#fits(width)) return;
    this.#fillGap();
    const style = this.#pen.parameters;
    if (this.#inCells) {
      this.#prepareOverwrite(this.#column, width);
      this.#setCell(this.#column, character, style, this.#link);
      if (width === 2) this.#setCell(this.#column + 1, '', style, this.#link);
    } else {
      this.#appendRun(character, style, this.#link);
      this.#lastCellLength = character.length;
    }
    this.#column += width;
    if (this.#column > this.#width) this.#width = this.#column;
  }

  /** A combining mark or format character joins the character before the cursor. */
  #joinPrevious(character: string): void {
    if (!this.#inCells) {
      const last = this.#runCount - 1;
      if (this.#column === this.#width && last >= 0) {
        if (this.#lastCellLength + character.length <= transcriptLineLimits.maxCellLength) {
          this.#runText[last] = (this.#runText[last] ?? '') + character;
          this.#lastCellLength += character.length;
        }
      }
      return;
    }
    let cell = this.#column - 1;
    if (cell >= 0 && cell < this.#width && this.#cellText[cell] === '') cell--;
    if (cell < 0 || cell >= this.#width) return;
    const base = this.#cellText[cell] ?? '';
    if (base.length + character.length <= transcriptLineLimits.maxCellLength) {
      this.#cellText[cell] = base + character;
    }
  }

  /** Before overwriting `width` columns at `column`: blanks the other half of a wide character cut in two. */
  #prepareOverwrite(column: number, width: number): void {
    if (column >= this.#width) return;
    if (this.#cellText[column] === '' && column > 0) this.#cellText[column - 1] = ' ';
    const after = column + width;
    if (after < this.#width && this.#cellText[after] === '') this.#cellText[after] = ' ';
  }

  /** Turns the runs of the line into cells, to be overwritten in place. */
  #toCells(): void {
    let cell = 0;
    for (let run = 0; run < this.#runCount; run++) {
      const text = this.#runText[run] ?? '';
      const style = this.#runStyle[run] ?? '';
      const link = this.#runLink[run] ?? '';
      let index = 0;
      while (index < text.length) {
        const code = text.charCodeAt(index);
        if (code === 0x09) {
          // A tab kept in the line: blanks up to its stop, which can be written over.
          const stop = (Math.floor(cell / tabWidth) + 1) * tabWidth;
          while (cell < stop) this.#setCell(cell++, ' ', '', '');
          index++;
          continue;
        }
        if (code < 0x80) {
          this.#setCell(cell++, text[index] ?? ' ', style, link);
          index++;
          continue;
        }
        const end =
          code >= 0xd800 && code <= 0xdbff && text.codePointAt(index) !== code
            ? index + 2
            : index + 1;
        const width = cellWidthAt(text, index);
        const character = text.slice(index, end);
        index = end;
        if (width === 0) {
          // Runs only ever hold a combining mark after the cell it joined.
          const base = this.#cellText[cell - 1] === '' ? cell - 2 : cell - 1;
          this.#cellText[base] = (this.#cellText[base] ?? '') + character;
          continue;
        }
        this.#setCell(cell++, character, style, link);
        if (width === 2) this.#setCell(cell++, '', style, link);
      }
    }
    this.#inCells = true;
    this.#runCount = 0;
  }

  #finishLine(): void {
    const line = this.#render();
    this.#clearLine();
    this.#column = 0;
    if (this.#kept === this.#maxLines) this.#dropOldest();
    const slot = (this.#oldest + this.#kept) % this.#maxLines;
    this.#lines[slot] = line;
    this.#lineLengths[slot] = line.length;
    this.#kept++;
    this.#keptCharacters += line.length;
    while (this.#keptCharacters > this.#maxCharacters && this.#kept > 1) this.#dropOldest();
  }

  #dropOldest(): void {
    this.#keptCharacters -= this.#lineLengths[this.#oldest] ?? 0;
    this.#lines[this.#oldest] = '';
    this.#oldest = (this.#oldest + 1) % this.#maxLines;
    this.#kept--;
    this.#hidden++;
  }

  #render(): string {
    if (!this.#inCells) {
      return renderRuns(
        this.#runCount,
        this.#runText,
        this.#runStyle,
        this.#runLink,
        this.#overflow,
      );
    }
    const texts: string[] = [];
    const styles: string[] = [];
    const links: string[] = [];
    let start = 0;
    for (let cell = 1; cell <= this.#width; cell++) {
      const style = this.#cellStyle[start] ?? '';
      const link = this.#cellLink[start] ?? '';
      if (cell < this.#width && this.#cellStyle[cell] === style && this.#cellLink[cell] === link)
        continue;
      texts.push(this.#cellText.slice(start, cell).join(''));
      styles.push(style);
      links.push(link);
      start = cell;
    }
    return renderRuns(texts.length, texts, styles, links, this.#overflow);
  }
}

/**
 * Creates the line model of one run's sanitised output: finished lines rendered as strings with
 * SGR sequences (each line self-contained, ready for Ink's `<Text>`), at most `maxLines` of them
 * and `maxCharacters` in all, plus the line being written.
 */
export function createTranscriptLines(options: TranscriptLinesOptions = {}): TranscriptLines {
  return new ScrollingTranscript(options);
}
