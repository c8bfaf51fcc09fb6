import { createOutputSanitizer } from '../terminal/output-sanitizer.js';
import type { OutputLines } from './output-lines.js';

/**
 * Display lines of untrusted output: sanitised (only text and colours survive), then cut into
 * lines, a carriage return starting the line over as a terminal would.
 */
export function createDisplayLines(): OutputLines {
  const sanitizer = createOutputSanitizer();
  let partial = '';
  const split = (text: string): string[] => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    return parts.map(lastRewrite);
  };
  return {
    push: (data) => split(sanitizer.write(data).text),
    end: () => {
      const lines = split(sanitizer.flush().text);
      const last = lastRewrite(partial);
      partial = '';
      return last.trim() === '' ? lines : [...lines, last];
    },
    get partial() {
      return lastRewrite(partial);
    },
  };
}

function lastRewrite(line: string): string {
  const parts = line.replace(/\r+$/, '').split('\r');
  return parts.at(-1) ?? '';
}
