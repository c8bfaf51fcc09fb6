import { keyBindings } from '../input/key-bindings.js';
import { slashCommandHelp } from '../session/slash-commands.js';
import { columnsOf } from './format.js';

/** One entry of /help: its `head` (a command, a key) and what it says, wrapped under itself. */
interface HelpEntry {
  head: string;
  text: string;
}

/** What /help says of the keys in a session whose shell edits its own lines. */
const shellEditorHelp: readonly HelpEntry[] = [
  {
    head: '',
    text: 'keys at the prompt go to your shell: its completion, history search, bindings and vi mode work as without Lifeline',
  },
  {
    head: '  Ctrl+]: ',
    text: 'open Lifeline’s command line; type a command above (the slash is there) and Enter',
  },
  { head: '          ', text: 'Esc or Ctrl+C closes it; Ctrl+] again types Ctrl+] for the shell' },
  { head: '', text: 'while a command runs, its keys go to it:' },
  { head: '  Ctrl+C: ', text: 'interrupt it' },
  { head: '  Ctrl+]: ', text: 'Lifeline’s command line (/quit leaves the command running)' },
  { head: '  Ctrl+] twice: ', text: 'hand it the whole terminal; Ctrl+] again takes it back' },
];

const nameWidth = Math.max(...slashCommandHelp.map(([name]) => name.length));

/** Columns the text of an entry keeps at least: a head wider than that leaves it a narrow column. */
const leastTextColumns = 20;

/**
 * What `/help` prints: every command, then the keys — the shell's own at its prompt when
 * `shellEditsLines`, else Lifeline's line's. Each entry is wrapped between words to `columns`, its
 * text going on under itself, as the terminal would otherwise cut words in two.
 */
export function helpLines(shellEditsLines: boolean, columns = Number.POSITIVE_INFINITY): string[] {
  const entries: HelpEntry[] = [
    { head: '', text: 'commands:' },
    ...slashCommandHelp.map(([name, what]) => ({
      head: `  ${name.padEnd(nameWidth)} `,
      text: what,
    })),
    ...(shellEditsLines
      ? shellEditorHelp
      : [
          { head: '', text: 'keys:' },
          ...keyBindings
            .filter((binding) => binding.label !== '')
            .map((binding) => keyEntry(binding.label)),
        ]),
  ];
  return entries.flatMap((entry) => wrapEntry(entry, columns));
}

/** A key binding's label (`Ctrl+D: quit …`) as an entry: the keys are its head. */
function keyEntry(label: string): HelpEntry {
  const colon = label.indexOf(': ');
  return colon === -1
    ? { head: '  ', text: label }
    : { head: `  ${label.slice(0, colon + 2)}`, text: label.slice(colon + 2) };
}

/**
 * The entry's lines at most `columns` wide (a word wider than its column alone on a line). A head
 * that would leave its text fewer than {@link leastTextColumns} goes on a line of its own.
 */
function wrapEntry({ head, text }: HelpEntry, columns: number): string[] {
  const headColumns = columnsOf(head);
  if (head.trim() !== '' && columns - headColumns < leastTextColumns)
    return [head.trimEnd(), ...wrapEntry({ head: ' '.repeat(4), text }, columns)];
  const lines: string[] = [];
  let line = head;
  let lineColumns = headColumns;
  let empty = true;
  for (const word of text.split(' ')) {
    const wordColumns = columnsOf(word);
    if (!empty && lineColumns + 1 + wordColumns > columns) {
      lines.push(line);
      line = ' '.repeat(headColumns) + word;
      lineColumns = headColumns + wordColumns;
      continue;
    }
    line += empty ? word : ` ${word}`;
    lineColumns += (empty ? 0 : 1) + wordColumns;
    empty = false;
  }
  lines.push(line);
  return lines;
}
