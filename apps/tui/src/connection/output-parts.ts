/**
 * Output applied at once at most: a longer piece (a flood comes in pieces of up to 64 Ki) is
 * applied in parts of about this size, with the event loop's turn between them when they take
 * longer than a slice, so that a key typed into a flood waits for one part, not for a whole piece
 * (which took 50–100 ms to apply while the code was not yet optimised, at a flood's start).
 */
export const OUTPUT_PART_CHARS = 8 * 1024;

/**
 * `data` cut into parts of at most {@link OUTPUT_PART_CHARS} code units, in order: each after the
 * last line end in its second half if it has one (lines go whole to the command's screen), else at
 * the limit, never between the two halves of a character outside the Basic Multilingual Plane.
 */
export function outputParts(data: string): string[] {
  if (data.length <= OUTPUT_PART_CHARS) return [data];
  const parts: string[] = [];
  let start = 0;
  while (data.length - start > OUTPUT_PART_CHARS) {
    let end = start + OUTPUT_PART_CHARS;
    const lineEnd = data.lastIndexOf('\n', end - 1);
    if (lineEnd >= start + OUTPUT_PART_CHARS / 2) end = lineEnd + 1;
    else if (isHighSurrogate(data.charCodeAt(end - 1))) end -= 1;
    parts.push(data.slice(start, end));
    start = end;
  }
  parts.push(data.slice(start));
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
