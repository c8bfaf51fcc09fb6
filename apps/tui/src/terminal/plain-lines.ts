/** Lines at the start of some output that only print text: how many, and where they end. */
export interface PlainLines {
  /** How many lines. Each ends in CR LF. */
  count: number;
  /** Where the output after the last of them starts. */
  end: number;
}

const space = 0x20;
const tilde = 0x7e;
const carriageReturn = 0x0d;
const lineFeed = 0x0a;

/**
 * The complete lines from `start` on that a terminal would print as they are, each on one row of
 * a screen `cols` wide: printable ASCII only, shorter than the row (so it neither wraps nor leaves
 * the cursor waiting at the edge), each ended by CR LF. What `seq`, `yes` and most logs write.
 * `maxLines` of them at most. They are counted, not copied out of `data`.
 */
export function leadingPlainLines(
  data: string,
  start: number,
  cols: number,
  maxLines = Number.POSITIVE_INFINITY,
): PlainLines {
  let count = 0;
  let lineStart = start;
  while (count < maxLines) {
    let index = lineStart;
    let code = data.charCodeAt(index);
    while (code >= space && code <= tilde) {
      index += 1;
      code = data.charCodeAt(index);
    }
    if (
      code !== carriageReturn ||
      data.charCodeAt(index + 1) !== lineFeed ||
      index - lineStart >= cols
    )
      break;
    count += 1;
    lineStart = index + 2;
  }
  return { count, end: lineStart };
}

/**
 * Where the last `count` of the plain lines that start at `start` and end at `end` start (at
 * most as many as there are).
 */
export function plainLinesStart(data: string, start: number, end: number, count: number): number {
  let at = end;
  for (let line = 0; line < count && at > start; line += 1)
    at = Math.max(start, data.lastIndexOf('\n', at - 3) + 1);
  return at;
}

/**
 * The text of each plain line from `start` to `end`, as a row shows it: without its line end or
 * the spaces before that.
 */
export function plainLineTexts(data: string, start: number, end: number): string[] {
  const texts: string[] = [];
  for (let lineStart = start; lineStart < end;) {
    const lineEnd = data.indexOf('\r', lineStart);
    let textEnd = lineEnd;
    while (textEnd > lineStart && data.charCodeAt(textEnd - 1) === space) textEnd -= 1;
    texts.push(data.slice(lineStart, textEnd));
    lineStart = lineEnd + 2;
  }
  return texts;
}
