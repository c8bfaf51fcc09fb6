import { Text, useStdout } from 'ink';
import type { LineState } from '../input/line-editor.js';

/** What the line says while a command runs: the longest that fits the terminal's width. */
const runningHints = [
  'keys go to the running command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands: /quit, /sessions…',
  'keys go to the command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands',
  'keys go to the command · Ctrl+C interrupts',
] as const;

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
  hint: string | undefined;
  /** It is Lifeline's command line, opened with Ctrl+] at the shell's prompt or during a run: labelled so, its hint after the slash. */
  commandLine?: boolean;
}) {
  const { stdout } = useStdout();
  if (running) {
    // A terminal that reports no width is laid out at 80 columns.
    const fitting =
      runningHints.find((text) => text.length <= (stdout.columns || 80)) ??
      runningHints[runningHints.length - 1];
    return (
      <Text dimColor wrap="truncate-end">
        {fitting}
      </Text>
    );
  }
  const before = line.text.slice(0, line.cursor);
  const under = line.text.slice(line.cursor, line.cursor + 1) || ' ';
  const after = line.text.slice(line.cursor + 1);
  return (
    <Text>
      <Text color="cyan">{commandLine ? 'lifeline › ' : '› '}</Text>
      {before}
      <Text inverse>{under}</Text>
      {after}
      {hint && line.text === (commandLine ? '/' : '') ? <Text dimColor>{hint}</Text> : null}
    </Text>
  );
}
