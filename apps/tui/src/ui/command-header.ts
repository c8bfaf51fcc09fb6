import { bold, colored, dim } from '../terminal-sequences.js';
import { columnsOf, fittingEnd, programRunMark } from './format.js';

/**
 * Columns of one line of a command its header shows, at most: about a dozen rows of an 80-column
 * terminal. A pasted line of a few hundred thousand characters would otherwise fill thousands of
 * rows and push everything before it out of the scrollback; the whole line is in the session's log.
 */
export const HEADER_LINE_COLUMNS = 1024;

/**
 * The printed `$` header of a run: the command as typed, a line of it per line, each line longer
 * than {@link HEADER_LINE_COLUMNS} cut there (never inside a character) and followed by how many
 * characters are left out and where to read them. A run a program typed has its mark after the
 * last line.
 */
export function commandHeader(
  command: string,
  byProgram: boolean,
  sid: string | undefined,
): string {
  const lines = command.split('\n').map((line) => {
    const cut = cutLine(line);
    if (cut === undefined) return bold(line);
    const more = `${cut.charactersLeft.toLocaleString('en-US')} more ${cut.charactersLeft === 1 ? 'character' : 'characters'} recorded`;
    return `${bold(cut.kept)}${dim(`… ${more} — lifeline replay ${sid ?? '<sid>'} shows them`)}`;
  });
  return `${bold(colored('cyan', '$'))} ${lines.join('\n')}${byProgram ? dim(programRunMark) : ''}`;
}

/** The start of `line` a header shows and how many characters are left out, or none when it fits. */
function cutLine(line: string): { kept: string; charactersLeft: number } | undefined {
  if (columnsOf(line) <= HEADER_LINE_COLUMNS) return undefined;
  const end = fittingEnd(line, HEADER_LINE_COLUMNS);
  let charactersLeft = 0;
  for (let index = end; index < line.length; index += 1) {
    const code = line.charCodeAt(index);
    // A surrogate pair is one character.
    if (code < 0xdc00 || code > 0xdfff) charactersLeft += 1;
  }
  return { kept: line.slice(0, end), charactersLeft };
}
