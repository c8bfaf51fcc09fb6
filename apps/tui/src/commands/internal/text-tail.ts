/**
 * The end of a text that may be too long to keep: holds at most `limit` UTF-16 code units of the
 * newest text and counts what it dropped, cutting at line starts so no line is half kept; but a
 * long line is kept as its end when the lines after it come to less than half the limit (a last
 * line over the limit on its own, a prompt after a minified file: not nothing, or the prompt alone).
 */
export class TextTail {
  private readonly limit: number;
  private chunks: string[] = [];
  private length = 0;
  private droppedLines = 0;
  private cutUnits = 0;

  /** @param limit most code units kept */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Whole lines dropped from the front so far. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Code units left out of the start of the first line kept: 0 when it is whole. */
  get cut(): number {
    return this.cutUnits;
  }

  append(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.length += text.length;
    // Trimming copies what is kept: doing it only at twice the limit keeps appends linear.
    if (this.length > 2 * this.limit) this.trim();
  }

  /** Everything kept, oldest first. */
  text(): string {
    if (this.length > this.limit) this.trim();
    const text = this.chunks.join('');
    this.chunks = text === '' ? [] : [text];
    return text;
  }

  private trim(): void {
    const text = this.chunks.join('');
    const from = text.length - this.limit;
    // Cut at the start of a line, so the first kept line is whole…
    const lineEnd = text.indexOf('\n', from - 1);
    let start = lineEnd === -1 ? text.length : lineEnd + 1;
    if (text.length - start >= this.limit / 2) {
      this.droppedLines += countLines(text.slice(0, start));
      this.cutUnits = 0;
    } else {
      // …unless the lines after that come to less than half the limit (the line before them is
      // long: a minified file, a last line that alone is over the limit): that line's end is kept
      // too (a character's two halves together).
      start = isLowSurrogate(text.charCodeAt(from)) ? from + 1 : from;
      const lineStart = text.lastIndexOf('\n', from - 1) + 1;
      this.droppedLines += countLines(text.slice(0, lineStart));
      this.cutUnits = (lineStart === 0 ? this.cutUnits : 0) + start - lineStart;
    }
    const kept = text.slice(start);
    this.chunks = kept === '' ? [] : [kept];
    this.length = kept.length;
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    count += 1;
  return count;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * What a {@link TextTail} left out, in words (`3 earlier lines`, `2 earlier lines and the first
 * 51234 characters of the next`); undefined when nothing was.
 */
export function leftOutWords(droppedLines: number, cut: number): string | undefined {
  if (droppedLines === 0 && cut === 0) return undefined;
  const lines = `${droppedLines} earlier ${droppedLines === 1 ? 'line' : 'lines'}`;
  if (cut === 0) return lines;
  const start = `the first ${cut} characters of the ${droppedLines === 0 ? 'line' : 'next'}`;
  return droppedLines === 0 ? start : `${lines} and ${start}`;
}
