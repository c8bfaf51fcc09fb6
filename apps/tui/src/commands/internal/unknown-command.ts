import type { Command } from 'commander';
import { CliError } from './cli-error.js';

/**
 * Refuses a word where `program`'s command line expects a command that names none, before
 * commander parses it: with `--help` after it (`lifeline list --help`), commander printed the help
 * of the command above, as if the word were not there, and exited 0. The words looked at are the
 * first and the one after each command that has commands of its own (or after `help`), with the
 * options between them and their values skipped. After `--` a word is never a command: where one
 * is expected, it is refused as well. These commands take no other words, so nothing else needs
 * refusing after the parse.
 * @throws CliError `usage` naming the word, and the command meant when it is near one
 */
export function refuseUnknownCommand(program: Command, args: readonly string[]): void {
  let command = program;
  let operands = false;
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? '';
    if (!operands && word.startsWith('-')) {
      if (word === '--') operands = true;
      else if (takesValue(command, word)) index += 1;
      continue;
    }
    if (command.commands.length === 0 || command.registeredArguments.length > 0) return;
    if (!operands && command === program && word === 'help') continue;
    const found = operands
      ? undefined
      : command.commands.find(
          (subcommand) => subcommand.name() === word || subcommand.aliases().includes(word),
        );
    if (found === undefined) throw new CliError('usage', unknownCommandMessage(command, word));
    command = found;
  }
}

/**
 * What to say of `word` given as a command of `command` that it does not have: the command meant
 * when it is near one (a slip of the keys, a command of one of its commands, `version`), and where
 * the commands are listed.
 */
function unknownCommandMessage(command: Command, word: string): string {
  const path = commandPath(command);
  const meant = meantCommand(command, word);
  const hint = meant === undefined ? '' : ` (did you mean \`${meant}\`?)`;
  return command.parent === null
    ? `unknown command "${word}"${hint}; \`${path} --help\` lists the commands`
    : `${path} has no command "${word}"${hint}: its commands are ${command.commands.map((subcommand) => subcommand.name()).join(', ')}; \`${path} --help\` lists the options`;
}

function meantCommand(command: Command, word: string): string | undefined {
  const path = commandPath(command);
  const lower = word.toLowerCase();
  if (command.parent === null && lower === 'version') return `${path} --version`;
  const names = command.commands.map((subcommand) => subcommand.name());
  const near = names.find((name) => editDistance(name, lower) <= (name.length <= 4 ? 1 : 2));
  if (near !== undefined) return `${path} ${near}`;
  for (const subcommand of command.commands) {
    const nested = subcommand.commands.find((inner) => inner.name() === lower);
    if (nested !== undefined) return `${path} ${subcommand.name()} ${nested.name()}`;
  }
  return undefined;
}

/** `lifeline sessions`: the words that lead to `command`. */
function commandPath(command: Command): string {
  const words: string[] = [];
  for (let at: Command | null = command; at !== null; at = at.parent) words.unshift(at.name());
  return words.join(' ');
}

/** Whether `flag` is an option of `command` whose value is the next word (`--name x`, not `--name=x`). */
function takesValue(command: Command, flag: string): boolean {
  if (flag.includes('=')) return false;
  const option = command.options.find((known) => known.long === flag || known.short === flag);
  return option !== undefined && (option.required || option.optional);
}

/** Letters to add, drop, change or swap to make `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance = Array.from({ length: rows }, (_row, i) =>
    Array.from({ length: columns }, (_column, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => distance[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < columns; j += 1) {
      const change = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + change);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (distance[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
