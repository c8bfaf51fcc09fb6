const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Code units segmented at once. Iterating `Intl.Segmenter` over a whole text takes time growing
 * with the square of its length (Node 20: 0.4 s for a line of 40,000 characters, two minutes for
 * one of 260,000), so a long line is segmented a window at a time.
 */
const WINDOW = 1024;

/** One character as a person counts them (an emoji with its modifiers is one), and where it starts. */
export interface Grapheme {
  segment: string;
  index: number;
}

/**
 * The characters of `text` as `Intl.Segmenter` finds them (grapheme clusters), in time linear in
 * its length. Each window's last character is segmented again with the text after it, as that
 * text may still join it; only what comes before it is given.
 */
export function* graphemesOf(text: string): Generator<Grapheme> {
  if (text.length <= WINDOW) {
    yield* segmenter.segment(text);
    return;
  }
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    // Never between the halves of a surrogate pair: half a character breaks the one before it.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    let last: Grapheme | undefined;
    for (const { segment, index } of segmenter.segment(text.slice(start, end))) {
      if (last !== undefined) yield { segment: last.segment, index: start + last.index };
      last = { segment, index };
    }
    if (last === undefined) return;
    if (end === text.length) {
      yield { segment: last.segment, index: start + last.index };
      return;
    }
    // One character fills the window (a letter with thousands of marks): a wider one takes it.
    if (last.index === 0) {
      size *= 2;
      continue;
    }
    start += last.index;
    size = WINDOW;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
