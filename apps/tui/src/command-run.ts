import { CliError, cliExitCodes } from './commands/internal/cli-error.js';
import { messageOf } from './commands/internal/local-gateway.js';
import { terminalGoneCode } from './terminal-gone.js';

/**
 * A reader that went away (`lifeline logs | head`) or a terminal that closed is not an error. The
 * TUI, which listens too, ends itself in order (its session left running); other commands end here.
 */
export function endQuietlyWhenStdoutGoes(): void {
  const stdoutErrorListeners = process.stdout.listenerCount('error') + 1;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (terminalGoneCode(error) === undefined) throw error;
    if (process.stdout.listenerCount('error') === stdoutErrorListeners)
      process.exit(process.exitCode ?? cliExitCodes.ok);
  });
}

/**
 * Runs a command, says what went wrong in one line on stderr with the documented exit code, then
 * exits once stdout has taken everything written.
 * @param command sets `process.exitCode`, or throws
 * @param beforeExit called after the command, before the process ends
 */
export async function runCommand(
  command: () => Promise<void>,
  beforeExit?: () => void,
): Promise<never> {
  try {
    await command();
  } catch (error) {
    if (CliError.isInstance(error)) {
      process.stderr.write(`lifeline: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(
        `lifeline: unexpected failure: ${messageOf(error)}; \`lifeline logs\` may say more\n`,
      );
      process.exitCode = cliExitCodes.failure;
    }
  }
  beforeExit?.();
  // Everything written must reach a pipe before the process ends.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(process.exitCode ?? cliExitCodes.ok);
}
