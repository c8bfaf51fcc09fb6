// The TUI's input line before the TUI has loaded. Ink, React and the app take several times as
// long to load as Node takes to start; meanwhile the entry point draws the app's first frame
// itself and takes the keys typed at it, echoing them, and hands both over to the app.
import { StringDecoder } from 'node:string_decoder';
import { tuiModesOff, tuiModesOn } from './terminal-sequences.js';
import {
  EARLY_PROMPT_MIN_COLUMNS,
  EMPTY_EARLY_LINE,
  earlyPromptErased,
  earlyPromptFrame,
  echoedBeforeRawRows,
  typedAtEarlyPrompt,
  type EarlyLine,
} from './ui/early-prompt-frame.js';

/** The early input line on the terminal (see {@link showEarlyPrompt}). */
export interface EarlyPrompt {
  /**
   * Stops drawing and reading keys. What was typed is put back, in order, at the front of stdin
   * (paused), for the app to read before anything typed later.
   * @returns what erases the early frame, to be written before the app draws its first, and the
   *   line as the early frame shows it (for the app's first frame to show it too)
   */
  handOver(): { erased: string; line: EarlyLine };
}

/**
 * Draws the TUI's first frame with the terminal in raw mode, and keeps every key typed at it until
 * {@link EarlyPrompt.handOver}. Nothing is drawn without a terminal on stdin and stdout (the TUI
 * will refuse to start), nor on one too narrow to show a key. Should the process end before the
 * hand-over, the cursor and bracketed paste are restored (Node restores the terminal's mode).
 */
export function showEarlyPrompt(
  stdin: NodeJS.ReadStream = process.stdin,
  stdout: NodeJS.WriteStream = process.stdout,
): EarlyPrompt | undefined {
  // A terminal that reports no width is laid out at 80 columns, as the app does.
  const columns = stdout.columns || 80;
  if (!stdin.isTTY || !stdout.isTTY || columns < EARLY_PROMPT_MIN_COLUMNS) return undefined;
  const received: Buffer[] = [];
  const decoder = new StringDecoder('utf8');
  let line = EMPTY_EARLY_LINE;
  // Lines typed before raw mode was on were echoed by the terminal above the frame: erased with it.
  let echoedRows: number | undefined;
  const onData = (chunk: Buffer) => {
    received.push(chunk);
    echoedRows ??= echoedBeforeRawRows(chunk.toString('utf8'), columns);
    const typed = typedAtEarlyPrompt(line, decoder.write(chunk), columns);
    if (typed === line) return;
    const erased = earlyPromptErased(line, columns, stdout.columns || columns);
    line = typed;
    stdout.write(erased + earlyPromptFrame(line, columns));
  };
  const restoreModes = () => {
    stdout.write(tuiModesOff);
  };
  stdin.setRawMode(true);
  stdout.write(tuiModesOn + earlyPromptFrame(line, columns));
  stdin.on('data', onData);
  process.on('exit', restoreModes);
  return {
    handOver() {
      stdin.off('data', onData);
      stdin.pause();
      process.off('exit', restoreModes);
      if (received.length > 0) stdin.unshift(Buffer.concat(received));
      return {
        erased: earlyPromptErased(line, columns, stdout.columns || columns, echoedRows),
        line,
      };
    },
  };
}
