// Frames exactly as the shell integrations print them, for feeding the coordinator directly.

const prefix = '\x1b_lifeline;';
const end = '\x1b\\';

/** `$PWD` as the prompt-hook integrations encode it. */
export function encodeCwd(cwd: string): string {
  return cwd
    .replaceAll('%', '%25')
    .replaceAll('\x1b', '%1B')
    .replaceAll('\n', '%0A')
    .replaceAll('\r', '%0D');
}

/** A command-started frame. */
export function startFrame(token: string, counter: number, command?: string): string {
  return `${prefix}${token};S;${counter}${command === undefined ? '' : `;${encodeCwd(command)}`}${end}`;
}

/** A prompt frame. */
export function promptFrame(token: string, counter: number, status: number, cwd: string): string {
  return `${prefix}${token};P;${counter};${status};${encodeCwd(cwd)}${end}`;
}

/** An editing frame: the line editor edits the line again, after `keys` when it names them. */
export function editingFrame(token: string, counter: number, keys?: string): string {
  return `${prefix}${token};E;${counter}${keys === undefined ? '' : `;${keys}`}${end}`;
}

/** A prompt-drawn frame: the end of the prompt string (bash). */
export function promptDrawnFrame(token: string, counter: number): string {
  return `${prefix}${token};D;${counter}${end}`;
}

/** A continuation frame: the shell asks the terminal for the next line of a command. */
export function continuationFrame(token: string, counter: number): string {
  return `${prefix}${token};K;${counter}${end}`;
}

/** A postamble completion frame. */
export function completeFrame(token: string, status: number, cwd: string): string {
  return `${prefix}${token};C;${status};${cwd}${end}`;
}

/** A postamble shell's command-incomplete frame. */
export function incompleteFrame(token: string, cwd: string): string {
  return `${prefix}${token};I;${cwd}${end}`;
}

/** A ready frame. */
export function readyFrame(token: string): string {
  return `${prefix}${token};R${end}`;
}

/** The per-run token inside a postamble text written for a registered run. */
export function postambleToken(textToWrite: string): string {
  const match = /^ \\lifelinebegin ([A-Za-z0-9]+);/.exec(textToWrite);
  if (match?.[1] === undefined)
    throw new Error(`no postamble line in ${JSON.stringify(textToWrite)}`);
  return match[1];
}
