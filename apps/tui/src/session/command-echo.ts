const sgr = /\x1b\[[0-9;:]*m/g;

/**
 * True when a display line is the shell echoing the command it was given (after its prompt, if
 * it printed one on the same line). Such a line is left out of the transcript, which already
 * shows the command as the run's header.
 */
export function isCommandEcho(line: string, command: string): boolean {
  const visible = line.replace(sgr, '').trimEnd();
  const typed = command.trim();
  return typed.length > 0 && visible.endsWith(typed);
}
