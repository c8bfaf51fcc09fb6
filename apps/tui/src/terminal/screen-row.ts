import { endianness } from 'node:os';
import type { IBufferCell, IBufferLine } from '@xterm/headless';
import { resetAttributes, styleChange } from '../terminal-sequences.js';

/** How a row of the emulated screen is cut at its end. */
export type RowEnd =
  /** Blank cells at the end are left out (the row ends a line). */
  | 'trim'
  /** Only cells nothing was ever written to are left out (the line goes on in the next row). */
  | 'continued';

/**
 * One row of an emulated screen as display text: its characters, with SGR sequences where the
 * style changes, starting and ending in the default style. Only text and styles come out, whatever
 * the program wrote to draw them. The first `keepColumns` cells are kept, blank or not (those
 * before the cursor). A row that ends a line is read only as far as its text goes (blanks after
 * it are left out even when they have a background): a flood of short lines costs what their text
 * costs, not the width of the screen. The cells are read as the emulator packs them, and a style
 * is worked out once per run of cells alike: a flood makes no object per character (it made the
 * TUI spend a third of a `cat` of 100 MB collecting garbage).
 */
export function renderRow(
  line: IBufferLine,
  cell: IBufferCell,
  end: RowEnd,
  keepColumns = 0,
): string {
  const row = (line as unknown as RowInternals)._line;
  const cells = row._data;
  const attributes = cell as unknown as CellAttributes;
  // Cells after the last one written to are read only to keep those before the cursor.
  const readColumns = end === 'trim' ? Math.max(row.getTrimmedLength(), keepColumns) : row.length;
  unitCount = 0;
  let style = '';
  // The attributes `style` (and `blankShows`) were worked out from: a run of cells alike reuses them.
  let styleFg = 0;
  let styleBg = 0;
  let blankShows = false;
  /** Code units up to the last cell kept, and the style open there. */
  let kept = 0;
  let styleAtKept = '';
  for (let column = 0; column < readColumns; column += 1) {
    const at = column * cellSize;
    const content = cells[at] ?? 0;
    // The second half of a wide character.
    if (content >>> widthShift === 0) continue;
    const fg = cells[at + 1] ?? 0;
    const bg = cells[at + 2] ?? 0;
    if (fg !== styleFg || bg !== styleBg || (bg & HAS_EXTENDED_ATTRIBUTES) !== 0) {
      line.getCell(column, cell);
      const cellStyle = styleOf(cell, attributes);
      blankShows = showsBlank(cell);
      styleFg = fg;
      styleBg = bg;
      if (cellStyle !== style) {
        pushUnits(styleChange(style, cellStyle));
        style = cellStyle;
      }
    }
    let blank = column >= keepColumns;
    if ((content & hasContentMask) === 0) {
      pushUnit(space);
    } else if ((content & isCombinedMask) !== 0) {
      pushUnits(row._combined[column] ?? '');
      blank = false;
    } else {
      const codePoint = content & codePointMask;
      if (codePoint > 0xffff) {
        pushUnit(0xd800 + ((codePoint - 0x10000) >> 10));
        pushUnit(0xdc00 + ((codePoint - 0x10000) & 0x3ff));
      } else {
        pushUnit(codePoint);
      }
      blank &&= end === 'trim' && codePoint === space && !blankShows;
    }
    if (!blank) {
      kept = unitCount;
      styleAtKept = style;
    }
  }
  const text = unitsText(kept);
  return styleAtKept === '' ? text : `${text}${resetAttributes}`;
}

/** Columns of a row up to the last cell anything was written to. */
export function columnsWritten(line: IBufferLine): number {
  return (line as unknown as RowInternals)._line.getTrimmedLength();
}

/** What the emulator's rows offer that their API does not: the cells, packed. */
interface RowInternals {
  _line: {
    /** Three numbers a cell: its content (code point, width, flags), then `fg` and `bg`. */
    _data: Uint32Array;
    /** The characters of cells that hold more than one code point, by column. */
    _combined: Record<number, string>;
    length: number;
    /** Columns up to the last cell anything was written to (a blank printed counts). */
    getTrimmedLength(): number;
  };
}

/** How the emulator packs a cell (xterm.js's `Content` and `CELL_SIZE`). */
const cellSize = 3;
const codePointMask = 0x1fffff;
const isCombinedMask = 0x200000;
const hasContentMask = 0x3fffff;
const widthShift = 22;
const space = 0x20;

/**
 * The code units of the row being read, in memory kept from row to row and grown as a wider row
 * needs: a row allocates nothing but its string (a flood renders millions of rows, and building
 * each in an array of its own made most of the TUI's garbage in a `cat` of 100 MB).
 */
let units = new Uint16Array(1024);
/** The same memory as bytes, to be read as text. */
let unitBytes = Buffer.from(units.buffer);
let unitCount = 0;

function pushUnit(unit: number): void {
  if (unitCount === units.length) {
    const grown = new Uint16Array(units.length * 2);
    grown.set(units);
    units = grown;
    unitBytes = Buffer.from(units.buffer);
  }
  units[unitCount] = unit;
  unitCount += 1;
}

/** The text of the first `count` code units read. */
function unitsText(count: number): string {
  // The code units as the machine stores them, read as little-endian.
  if (!littleEndian) unitBytes.subarray(0, count * 2).swap16();
  return unitBytes.toString('utf16le', 0, count * 2);
}

const littleEndian = endianness() === 'LE';

function pushUnits(text: string): void {
  for (let index = 0; index < text.length; index += 1) pushUnit(text.charCodeAt(index));
}

/** A cell's style as the emulator packs it: flags and colours, in two numbers. */
interface CellAttributes {
  fg: number;
  bg: number;
}

/** The flag in `bg` saying that more of the style is kept elsewhere (underline style, colour). */
const HAS_EXTENDED_ATTRIBUTES = 0x10000000;
/** Styles already worked out, by `fg` then `bg`; forgotten when it grows past its bound. */
const knownStyles = new Map<number, Map<number, string>>();
let knownStyleCount = 0;
const maxKnownStyles = 4096;

/** The SGR parameters of a cell's style, from those known when another cell had it. */
function styleOf(cell: IBufferCell, attributes: CellAttributes): string {
  const { fg, bg } = attributes;
  if (fg === 0 && bg === 0) return '';
  if ((bg & HAS_EXTENDED_ATTRIBUTES) !== 0) return sgrParameters(cell);
  let byBg = knownStyles.get(fg);
  const known = byBg?.get(bg);
  if (known !== undefined) return known;
  const style = sgrParameters(cell);
  if (knownStyleCount >= maxKnownStyles) {
    knownStyles.clear();
    knownStyleCount = 0;
    byBg = undefined;
  }
  if (byBg === undefined) {
    byBg = new Map();
    knownStyles.set(fg, byBg);
  }
  byBg.set(bg, style);
  knownStyleCount += 1;
  return style;
}

/** Whether a blank cell still shows something (a background, inverse video, an underline). */
function showsBlank(cell: IBufferCell): boolean {
  return (
    !cell.isBgDefault() ||
    cell.isInverse() !== 0 ||
    cell.isUnderline() !== 0 ||
    cell.isStrikethrough() !== 0 ||
    cell.isOverline() !== 0
  );
}

/** The SGR parameters (`1;31`) that draw a cell's style. */
function sgrParameters(cell: IBufferCell): string {
  const parameters: (string | number)[] = [];
  if (cell.isBold()) parameters.push(1);
  if (cell.isDim()) parameters.push(2);
  if (cell.isItalic()) parameters.push(3);
  if (cell.isUnderline()) parameters.push(4);
  if (cell.isBlink()) parameters.push(5);
  if (cell.isInverse()) parameters.push(7);
  if (cell.isInvisible()) parameters.push(8);
  if (cell.isStrikethrough()) parameters.push(9);
  if (cell.isOverline()) parameters.push(53);
  if (cell.isFgPalette()) parameters.push(paletteColor(cell.getFgColor(), 30, 90, 38));
  else if (cell.isFgRGB()) parameters.push(`38;2;${rgb(cell.getFgColor())}`);
  if (cell.isBgPalette()) parameters.push(paletteColor(cell.getBgColor(), 40, 100, 48));
  else if (cell.isBgRGB()) parameters.push(`48;2;${rgb(cell.getBgColor())}`);
  return parameters.join(';');
}

function paletteColor(
  color: number,
  base: number,
  brightBase: number,
  extended: number,
): string | number {
  if (color < 8) return base + color;
  if (color < 16) return brightBase + color - 8;
  return `${extended};5;${color}`;
}

function rgb(color: number): string {
  return `${(color >> 16) & 0xff};${(color >> 8) & 0xff};${color & 0xff}`;
}
