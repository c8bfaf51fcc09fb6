import type { ShellKind } from '@lifeline/run-completion';

/**
 * The longest command typed into the shell as it is, in UTF-8 bytes. A longer line costs the line
 * editor time for every character (zsh, whose redraw hook runs per key: 0.3 s a kilobyte, a
 * minute for 60 KB) and wraps over so many rows that its echo cannot be told from the output
 * (bash, from 16 KB); sourced from a script, any length runs at once and echoes one short line.
 */
export const LONGEST_TYPED_COMMAND_BYTES = 1024;

/** Whether `command` is run from a private script rather than typed: it spans lines, or is long. */
export function runsFromScript(command: string): boolean {
  return /[\r\n]/.test(command) || Buffer.byteLength(command) > LONGEST_TYPED_COMMAND_BYTES;
}

/**
 * What to type for a command that {@link runsFromScript}: typed as is, each of its lines would
 * start a command of its own, or the line would be slow and its echo unbounded. Instead the text
 * is saved to a private script and the shell sources it, so it runs in the session's shell (a
 * `cd` or an `export` in it stays) as one run.
 * @returns the line to type
 */
export function sourcingLine(scriptPath: string, kind: ShellKind): string {
  const quoted = `'${scriptPath.replaceAll("'", "'\\''")}'`;
  return kind === 'fish' ? `source ${quoted}` : `. ${quoted}`;
}

/** The script's text: the command with CR LF and lone CR line ends made LF, ending in a newline. */
export function scriptText(command: string): string {
  const text = command.replace(/\r\n?/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}
