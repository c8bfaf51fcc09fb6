import { keyBindings } from '../input/key-bindings.js';
import { slashCommandHelp } from '../session/slash-commands.js';

/** What /help says of the keys in a session whose shell edits its own lines. */
const shellEditorHelp = [
  'keys at the prompt go to your shell: its completion, history search, bindings and vi mode work as without Lifeline',
  '  Ctrl+]: open Lifeline’s command line; type a command above (the slash is there) and Enter',
  '          Esc or Ctrl+C closes it; Ctrl+] again types Ctrl+] for the shell',
  'while a command runs, its keys go to it:',
  '  Ctrl+C: interrupt it',
  '  Ctrl+]: Lifeline’s command line (/quit leaves the command running)',
  '  Ctrl+] twice: hand it the whole terminal; Ctrl+] again takes it back',
];

const nameWidth = Math.max(...slashCommandHelp.map(([name]) => name.length));

/**
 * What `/help` prints: every command, then the keys — the shell's own at its prompt when
 * `shellEditsLines`, else Lifeline's line's.
 */
export function helpLines(shellEditsLines: boolean): string[] {
  return [
    'commands:',
    ...slashCommandHelp.map(([name, what]) => `  ${name.padEnd(nameWidth)} ${what}`),
    ...(shellEditsLines
      ? shellEditorHelp
      : [
          'keys:',
          ...keyBindings
            .filter((binding) => binding.label !== '')
            .map((binding) => `  ${binding.label}`),
        ]),
  ];
}
