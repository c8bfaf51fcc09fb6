// How many terminal columns a character takes, by the Unicode East Asian Width property (the
// table `get-east-asian-width` keeps, the one Ink measures with): two for Wide and Fullwidth
// characters (emoji presentation included), none for combining marks and format characters (which
// join the previous cell), one otherwise.
import { eastAsianWidth } from 'get-east-asian-width';

// Sticky and Unicode-aware, so that the test looks at exactly one code point at `lastIndex`.
const zeroWidth = /[\p{Mn}\p{Me}\p{Cf}]/uy;

/** Columns taken by the (non-ASCII, non-control) code point that starts at `index` of `text`. */
export function cellWidthAt(text: string, index: number): 0 | 1 | 2 {
  zeroWidth.lastIndex = index;
  if (zeroWidth.test(text)) return 0;
  return eastAsianWidth(text.codePointAt(index) ?? 0) === 2 ? 2 : 1;
}

/** Width + 1 of each UTF-16 code unit standing alone, filled a page of 256 at a time; 0: not yet known. */
const unitWidths = new Uint8Array(0x10000);

function fillPage(page: number): void {
  const start = page * 256;
  for (let code = start; code < start + 256; code++) {
    const isPrintableAscii = code >= 0x20 && code <= 0x7e;
    const isOther = code >= 0xa0 && (code < 0xd800 || code > 0xdfff);
    unitWidths[code] =
      1 + (isPrintableAscii ? 1 : isOther ? cellWidthAt(String.fromCharCode(code), 0) : 0);
  }
}

/**
 * Columns taken by the UTF-16 code unit `code` when it is a character on its own, as
 * {@link cellWidthAt} says; 0 also for what is not one (controls, DEL, C1, surrogates). Cached, so
 * that runs of characters can be measured at the cost of an array lookup each.
 */
export function unitWidth(code: number): 0 | 1 | 2 {
  if (unitWidths[code] === 0) fillPage(code >> 8);
  return ((unitWidths[code] as number) - 1) as 0 | 1 | 2;
}
