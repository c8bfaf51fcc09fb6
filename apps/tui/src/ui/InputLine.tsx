import { Text } from 'ink';
import type { LineState } from '../input/line-editor.js';

/** The line the user types commands into; the cursor is shown as an inverted cell. */
export function InputLine({ line, running, hint }: { line: LineState; running: boolean; hint: string | undefined }) {
  if (running) {
    return <Text dimColor>keys go to the running command · Ctrl+C interrupts · Ctrl+] hands it the whole terminal</Text>;
  }
  const before = line.text.slice(0, line.cursor);
  const under = line.text.slice(line.cursor, line.cursor + 1) || ' ';
  const after = line.text.slice(line.cursor + 1);
  return (
    <Text>
      <Text color="cyan">› </Text>
      {before}
      <Text inverse>{under}</Text>
      {after}
      {hint && line.text === '' ? <Text dimColor>{hint}</Text> : null}
    </Text>
  );
}
