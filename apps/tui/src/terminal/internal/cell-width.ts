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
