// `lifeline exec`, parsed by a program that knows only that command: it loads exec's own modules
// and nothing of the other commands or the TUI. Its options, help and messages are those of the
// full command line, where the same command is registered.
import { Command } from 'commander';
import { reportUsageErrors, runProgram } from './cli-program.js';
import { endQuietlyWhenStdoutGoes } from './command-run.js';
import { registerExecCommand } from './commands/exec.js';

const program = new Command('lifeline').enablePositionalOptions().exitOverride();
registerExecCommand(program);
reportUsageErrors(program, 'lifeline');
endQuietlyWhenStdoutGoes();

/** Runs `lifeline exec …` (the command line's first word is `exec`), then exits. */
export function runExecCli(): Promise<never> {
  return runProgram(program);
}
