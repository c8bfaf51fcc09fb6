import { CommanderError, type Command } from 'commander';
import { cliExitCodes } from './commands/internal/cli-error.js';
import { runCommand } from './command-run.js';
import { refuseUnknownCommand } from './commands/internal/unknown-command.js';

/** Commander's own errors (bad flags, missing arguments) as one line that says where help is. */
export function reportUsageErrors(command: Command, name: string): void {
  command.configureOutput({
    outputError: (text, write) => {
      write(`lifeline: ${asOneClause(text)}; \`${name} --help\` lists the options\n`);
    },
  });
  for (const subcommand of command.commands)
    reportUsageErrors(subcommand, `${name} ${subcommand.name()}`);
}

/**
 * Parses the command line with `program` and runs the command, as {@link runCommand} does; a
 * refused flag or argument (already reported by commander) or an unknown command exits 2, `--help`
 * and `--version` 0.
 * @param beforeExit called after the command, before the process ends
 */
export function runProgram(program: Command, beforeExit?: () => void): Promise<never> {
  return runCommand(async () => {
    refuseUnknownCommand(program, process.argv.slice(2));
    try {
      await program.parseAsync(process.argv);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      process.exitCode = error.exitCode === 0 ? cliExitCodes.ok : cliExitCodes.usage;
    }
  }, beforeExit);
}

/**
 * One of commander's messages as a clause our message goes on from: its sentences and its
 * `(Did you mean …?)` line joined on one line, without a closing full stop.
 */
function asOneClause(text: string): string {
  return text
    .replace(/^error: /, '')
    .trim()
    .replace(/\s*\n\s*\(Did you mean /g, ' (did you mean ')
    .replace(/\.$/, '')
    .replace(/\. (\p{Lu})/gu, (_sentenceBreak, letter: string) => `: ${letter.toLowerCase()}`);
}
