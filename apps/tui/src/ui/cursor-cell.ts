import stringWidth from 'string-width';
import { resetAttributes } from '../terminal-sequences.js';
import { styleAt } from './format.js';

/** A styled row cut around the cell the cursor is on. */
export interface CursorCut {
  /** What comes before the cursor, ending in the default style. */
  before: string;
  /** The character under the cursor (a space past the end of the row). */
  under: string;
  /** What comes after it, starting in the style in force there. */
  after: string;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The character (as a person counts them: an emoji with its skin tone is one) at `index` of `text`. */
function characterAt(text: string, index: number): string {
  // Longer than any character a terminal draws in a cell or two (an emoji family is 11 code points).
  const end = Math.min(text.length, index + 64);
  const styleAt = text.indexOf('\x1b', index + 1);
  const rest = text.slice(index, styleAt === -1 ? end : Math.min(styleAt, end));
  for (const { segment } of graphemes.segment(rest)) return segment;
  return rest;
}

/**
 * Cuts a row of display text (characters and SGR styles, as an emulated screen renders it) at the
 * cursor's column, counted in cells (a wide character takes two), so the cell under the cursor
 * can be drawn inverted. A column past the row's end is padded with spaces. A character made of
 * several (an emoji and its skin tone) is one under the cursor, wherever in its cells the cursor
 * is: cut apart, its parts are drawn apart. Its cells are counted part by part, as the shell and
 * the emulated screen count them.
 */
export function cutAtCursor(row: string, column: number): CursorCut {
  let cells = 0;
  let index = 0;
  let styles = '';
  while (index < row.length) {
    const style = styleAt(row, index);
    if (style) {
      styles += style;
      index += style.length;
      continue;
    }
    const character = characterAt(row, index);
    let width = 0;
    for (const codePoint of character) width += stringWidth(codePoint);
    if (cells + width > column && width > 0) {
      const rest = row.slice(index + character.length);
      return {
        before: `${row.slice(0, index)}${resetAttributes}`,
        under: character,
        after: `${styles}${rest}`,
      };
    }
    cells += width;
    index += character.length;
  }
  return {
    before: `${row}${resetAttributes}${' '.repeat(Math.max(0, column - cells))}`,
    under: ' ',
    after: '',
  };
}
