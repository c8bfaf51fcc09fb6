/** A slash command typed at the prompt. */
export type SlashCommand =
  | { name: 'help' }
  | { name: 'new' }
  | { name: 'sessions' }
  | { name: 'resume'; reference: string }
  | { name: 'rename'; newName: string }
  | { name: 'recover' }
  | { name: 'logs'; lines: number }
  | { name: 'clear' }
  | { name: 'quit' }
  | { name: 'invalid'; message: string };

/** Every slash command with what it does, for `/help`. */
export const slashCommandHelp: readonly (readonly [string, string])[] = [
  ['/help', 'this help: commands and keys'],
  ['/new', 'start a new session in the current directory'],
  ['/sessions', 'pick a session to resume (live or ended)'],
  ['/resume <session>', 'switch to a session by id, start of its id, or name'],
  ['/rename <name>', 'rename this session'],
  ['/recover', 'restart the gateway now (also after giving up)'],
  ['/logs [n]', 'the last n crash-log lines of every process (default 20)'],
  ['/clear', 'clear the screen (the session keeps everything)'],
  ['/quit', 'leave; the session keeps running (`lifeline -c` comes back)'],
];

/** Parses a line that starts with `/`. */
export function parseSlashCommand(line: string): SlashCommand {
  const [word = '', ...args] = line.trim().split(/\s+/);
  const name = word.slice(1);
  /** The whole line after the command's word, its spaces kept. */
  const rest = () => line.trim().slice(word.length).trim();
  const noArguments = (command: SlashCommand): SlashCommand =>
    args.length === 0 ? command : { name: 'invalid', message: `/${name} takes no arguments` };
  switch (name) {
    case 'help':
    case 'new':
    case 'sessions':
    case 'recover':
    case 'clear':
    case 'quit':
      return noArguments({ name });
    case 'exit':
      return noArguments({ name: 'quit' });
    case 'resume': {
      const reference = rest();
      if (reference === '')
        return { name: 'invalid', message: 'usage: /resume <session> (see /sessions)' };
      return { name: 'resume', reference };
    }
    case 'rename': {
      const newName = rest();
      if (newName === '') return { name: 'invalid', message: 'usage: /rename <name>' };
      return { name: 'rename', newName };
    }
    case 'logs': {
      if (args.length === 0) return { name: 'logs', lines: 20 };
      const lines = Number(args[0]);
      if (args.length > 1 || !Number.isInteger(lines) || lines < 1 || lines > 1000) {
        return { name: 'invalid', message: 'usage: /logs [n] with n from 1 to 1000' };
      }
      return { name: 'logs', lines };
    }
    default:
      return { name: 'invalid', message: `unknown command ${word} — /help lists the commands` };
  }
}
