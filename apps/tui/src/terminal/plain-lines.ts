/** Lines at the start of some output that only print text, and where they end. */
export interface PlainLines {
  /** Each line's text, without its line end. */
  lines: string[];
  /** Where the output after the last of them starts. */
  end: number;
}

/**
 * The complete lines from `start` on that a terminal would print as they are, each on one row of
 * a screen `cols` wide: printable ASCII only, shorter than the row (so it neither wraps nor leaves
 * the cursor waiting at the edge), each ended by CR LF. What `seq`, `yes` and most logs write.
 * `maxLines` of them at most.
 */
export function leadingPlainLines(
  data: string,
  start: number,
  cols: number,
  maxLines = Number.POSITIVE_INFINITY,
): PlainLines {
  const lines: string[] = [];
  const line = /([ -~]*)\r\n/y;
  line.lastIndex = start;
  let end = start;
  for (let match = line.exec(data); match && lines.length < maxLines; match = line.exec(data)) {
    const text = match[1] as string;
    if (text.length >= cols) break;
    lines.push(text);
    end = line.lastIndex;
  }
  return { lines, end };
}
