// How many terminal columns a character takes: an approximation of wcwidth good enough for
// progress bars and overwrites, without a Unicode table dependency. Wide: East Asian Wide and
// Fullwidth characters and the emoji blocks; zero: combining marks and format characters (which
// join the previous cell). Terminals disagree on the edge cases anyway.

// Sticky and Unicode-aware, so that each test looks at exactly one code point at `lastIndex`.
const zeroWidth = /[\p{Mn}\p{Me}\p{Cf}]/uy;
const wide =
  /[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f251}\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f900}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}]/uy;

/** Columns taken by the (non-ASCII, non-control) code point that starts at `index` of `text`. */
export function cellWidthAt(text: string, index: number): 0 | 1 | 2 {
  zeroWidth.lastIndex = index;
  if (zeroWidth.test(text)) return 0;
  wide.lastIndex = index;
  return wide.test(text) ? 2 : 1;
}

/** Width + 1 of each UTF-16 code unit standing alone, filled a page of 256 at a time; 0: not yet known. */
const unitWidths = new Uint8Array(0x10000);

function fillPage(page: number): void {
  const start = page * 256;
  for (let code = start; code < start + 256; code++) {
    const isPrintableAscii = code >= 0x20 && code <= 0x7e;
    const isOther = code >= 0xa0 && (code < 0xd800 || code > 0xdfff);
    unitWidths[code] = 1 + (isPrintableAscii ? 1 : isOther ? cellWidthAt(String.fromCharCode(code), 0) : 0);
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
