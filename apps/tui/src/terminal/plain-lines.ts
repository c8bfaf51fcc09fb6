/** Lines at the start of some output that only print text: how many, and where they end. */
export interface PlainLines {
  /** How many lines. Each ends in CR LF. */
  count: number;
  /** Where the output after the last of them starts. */
  end: number;
}

const space = 0x20;
/**
 * Up to 64 lines of printable ASCII, each ended by CR LF, from `lastIndex` on: a regular expression
 * runs as native code, several times as fast as a loop over the characters. (Bounded, so that its
 * backtracking stack stays small however many lines follow.)
 */
const printableLines = /(?:[ -~]*\r\n){1,64}/y;

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
    printableLines.lastIndex = lineStart;
    if (!printableLines.test(data)) break;
    const printableEnd = printableLines.lastIndex;
    while (count < maxLines && lineStart < printableEnd) {
      const lineFeedAt = data.indexOf('\n', lineStart);
      // The text before its CR LF must fit the row.
      if (lineFeedAt - 1 - lineStart >= cols) return { count, end: lineStart };
      count += 1;
      lineStart = lineFeedAt + 1;
    }
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
