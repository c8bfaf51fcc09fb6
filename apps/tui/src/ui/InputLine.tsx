import { Text, useStdout } from 'ink';
import type { LineState } from '../input/line-editor.js';
import { fittingText } from './fitting-text.js';
import { columnsOf } from './format.js';
import { runningHints } from './run-status-line.js';

/**
 * The line the user types commands into (Lifeline's own: the local editor, or its command line
 * opened with the Lifeline key); the cursor is shown as an inverted cell.
 */
export function InputLine({
  line,
  running,
  hint,
  commandLine = false,
}: {
  line: LineState;
  running: boolean;
  /** Shown after the prompt while nothing is typed: the longest of its variants that fits. */
  hint: string | readonly [string, ...string[]] | undefined;
  /** It is Lifeline's command line, opened with Ctrl+] at the shell's prompt or during a run: labelled so, its hint after the slash. */
  commandLine?: boolean;
}) {
  const { stdout } = useStdout();
  // A terminal that reports no width is laid out at 80 columns.
  const columns = stdout.columns || 80;
  // Cut by the renderer too: drawn again at a new width before this is made again, a hint made for
  // the old one would wrap.
  if (running)
    return (
      <Text dimColor wrap="truncate-end">
        {fittingText(runningHints, columns)}
      </Text>
    );
  const prompt = commandLine ? 'lifeline › ' : '› ';
  const before = line.text.slice(0, line.cursor);
  const under = line.text.slice(line.cursor, line.cursor + 1) || ' ';
  const after = line.text.slice(line.cursor + 1);
  const showsHint = hint !== undefined && line.text === (commandLine ? '/' : '');
  // On the row after the prompt, the text and the cursor's cell: never wrapped onto a second.
  const shownHint = showsHint
    ? fittingText(
        typeof hint === 'string' ? [hint] : hint,
        columns - columnsOf(prompt) - columnsOf(line.text) - 1,
      )
    : '';
  return (
    <Text wrap={shownHint ? 'truncate-end' : 'wrap'}>
      <Text color="cyan">{prompt}</Text>
      {before}
      <Text inverse>{under}</Text>
      {after}
      {shownHint ? <Text dimColor>{shownHint}</Text> : null}
    </Text>
  );
}
