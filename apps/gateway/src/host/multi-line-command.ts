import type { ShellKind } from '@lifeline/run-completion';

/**
 * What to type for a command that spans several lines. Typed as is, each line would start a
 * command of its own; instead the text is saved to a private script and the shell sources it, so
 * it runs in the session's shell (a `cd` or an `export` in it stays) as one run.
 * @returns the line to type, or undefined when the command is a single line
 */
export function sourcingLine(
  command: string,
  scriptPath: string,
  kind: ShellKind,
): string | undefined {
  if (!/[\r\n]/.test(command)) return undefined;
  const quoted = `'${scriptPath.replaceAll("'", "'\\''")}'`;
  return kind === 'fish' ? `source ${quoted}` : `. ${quoted}`;
}

/** The script's text: the command with CR LF and lone CR line ends made LF, ending in a newline. */
export function scriptText(command: string): string {
  const text = command.replace(/\r\n?/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}
