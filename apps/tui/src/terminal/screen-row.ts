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
 * costs, not the width of the screen.
 */
export function renderRow(
  line: IBufferLine,
  cell: IBufferCell,
  end: RowEnd,
  keepColumns = 0,
): string {
  const textLength =
    end === 'trim' ? line.translateToString(true).length : Number.POSITIVE_INFINITY;
  /** Code units of the row's characters read so far. */
  let read = 0;
  let text = '';
  let style = '';
  /** Length of `text` up to the last cell kept, and the style open there. */
  let kept = 0;
  let styleAtKept = '';
  for (
    let column = 0;
    column < line.length && (read < textLength || column < keepColumns);
    column += 1
  ) {
    line.getCell(column, cell);
    // The second half of a wide character.
    if (cell.getWidth() === 0) continue;
    const characters = cell.getChars();
    read += characters === '' ? 1 : characters.length;
    const cellStyle = cell.isAttributeDefault() ? '' : sgrParameters(cell);
    if (cellStyle !== style) {
      text += styleChange(style, cellStyle);
      style = cellStyle;
    }
    text += characters === '' ? ' ' : characters;
    const blank =
      column >= keepColumns &&
      (characters === '' || (end === 'trim' && characters === ' ' && !showsBlank(cell)));
    if (!blank) {
      kept = text.length;
      styleAtKept = style;
    }
  }
  const row = text.slice(0, kept);
  return styleAtKept === '' ? row : `${row}${resetAttributes}`;
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
