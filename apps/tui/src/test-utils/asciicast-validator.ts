/**
 * Checks a file against the asciicast v2 format: a header object with `version: 2`, positive
 * integer `width` and `height` and an integer `timestamp`, then one `[time, code, data]` array
 * per line with finite non-negative times that never go backwards, a known event code and
 * string data (`"r"` data as `COLSxROWS`).
 * @returns the problems found; empty for a valid file
 */
export function validateAsciicast(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('the file does not end with a newline');
  const lines = text.split('\n').slice(0, -1);
  const parse = (line: string, index: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1} is not JSON`);
      return undefined;
    }
  };
  const parsed = parse(lines[0] ?? '', 0);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push('the first line is not a header object');
  } else {
    const header = parsed as Record<string, unknown>;
    if (header.version !== 2) problems.push(`version is ${String(header.version)}, not 2`);
    for (const field of ['width', 'height'] as const) {
      if (!Number.isInteger(header[field]) || (header[field] as number) < 1)
        problems.push(`${field} is not a positive integer`);
    }
    if (!Number.isInteger(header.timestamp)) problems.push('timestamp is not an integer');
  }
  let previous = 0;
  lines.slice(1).forEach((line, offset) => {
    const number = offset + 2;
    const frame = parse(line, number - 1);
    if (!Array.isArray(frame) || frame.length !== 3) {
      problems.push(`line ${number} is not a [time, code, data] array`);
      return;
    }
    const [time, code, data] = frame as [unknown, unknown, unknown];
    if (typeof time !== 'number' || !Number.isFinite(time) || time < 0)
      problems.push(`line ${number}: bad time ${String(time)}`);
    else if (time < previous)
      problems.push(`line ${number}: time ${time} goes back from ${previous}`);
    else previous = time;
    if (code !== 'o' && code !== 'i' && code !== 'r' && code !== 'm')
      problems.push(`line ${number}: unknown code ${String(code)}`);
    if (typeof data !== 'string') problems.push(`line ${number}: data is not a string`);
    else if (code === 'r' && !/^\d+x\d+$/.test(data))
      problems.push(`line ${number}: resize data ${data} is not COLSxROWS`);
  });
  return problems;
}
