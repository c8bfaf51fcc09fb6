import { createOutputSanitizer } from '../terminal/output-sanitizer.js';
import { createTranscriptLines } from '../terminal/transcript-lines.js';
import type { OutputLines } from './output-lines.js';

/**
 * Columns kept of one line of output that goes to programs (`lifeline exec`'s piped and JSON
 * output, the MCP tools), where a line of a minified file is data to read whole, not something to
 * look at: 1 Mi, past which the line ends with the `… +N columns` marker.
 */
export const PROGRAM_LINE_COLUMNS = 1024 * 1024;

/**
 * Display lines of untrusted output: sanitised (text, colours and in-line editing survive, nothing
 * else), then laid out as a terminal would show them in one scrolling column (a progress bar ends
 * as its last frame). What a full-screen program draws on the alternate screen is not transcript
 * and is left out.
 * @param options.maxColumns columns kept per line (see `createTranscriptLines`)
 */
export function createDisplayLines(options: { maxColumns?: number } = {}): OutputLines {
  const sanitizer = createOutputSanitizer({ allowLineEditing: true });
  // Lines are taken out as soon as they are finished; the model only needs to hold those of one
  // output event (at most 64 KiB of text).
  const model = createTranscriptLines({
    maxLines: 70_000,
    maxCharacters: 4 * 1024 * 1024,
    ...options,
  });
  let taken = 0;
  let alternateScreen = false;

  const feed = (output: {
    text: string;
    events: readonly { active: boolean; textOffset: number }[];
  }) => {
    let position = 0;
    for (const event of output.events) {
      if (!alternateScreen) model.append(output.text.slice(position, event.textOffset));
      position = event.textOffset;
      alternateScreen = event.active;
    }
    if (!alternateScreen) model.append(output.text.slice(position));
  };
  const finished = (): string[] => {
    const lines: string[] = [];
    for (; taken < model.lineCount; taken += 1) {
      const line = model.line(taken);
      if (line !== undefined) lines.push(line);
    }
    return lines;
  };

  return {
    push: (data) => {
      feed(sanitizer.write(data));
      return finished();
    },
    end: () => {
      feed(sanitizer.flush());
      model.finish();
      return finished().filter(
        (line, index, lines) =>
          index < lines.length - 1 || line.replace(/\x1b\[[0-9;:]*m/g, '').trim() !== '',
      );
    },
    get partial() {
      return model.currentLine() ?? '';
    },
  };
}
