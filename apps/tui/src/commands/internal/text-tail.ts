/**
 * The end of a text that may be too long to keep: holds at most `limit` UTF-16 code units of the
 * newest text and counts what it dropped, cutting only at line starts so no line is half kept.
 */
export class TextTail {
  private readonly limit: number;
  private chunks: string[] = [];
  private length = 0;
  private droppedLines = 0;

  /** @param limit most code units kept */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Whole lines dropped from the front so far. */
  get dropped(): number {
    return this.droppedLines;
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
    // Cut at the start of a line, so the first kept line is whole.
    const lineEnd = text.indexOf('\n', text.length - this.limit - 1);
    const start = lineEnd === -1 ? text.length : lineEnd + 1;
    this.droppedLines += countLines(text.slice(0, start));
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
