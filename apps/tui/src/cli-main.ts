import { Command, Option } from 'commander';
import { registerAttachCommand } from './commands/attach.js';
import type { EarlyPrompt } from './early-prompt.js';
import { startGatewayEarly, tuiGateway, type EarlyGateway } from './connection/early-gateway.js';
import { registerExecCommand } from './commands/exec.js';
import { registerGatewayCommand } from './commands/gateway.js';
import { checkSessionName, resumeTarget } from './commands/internal/session-ref.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerSessionsCommand } from './commands/sessions.js';
import { reportUsageErrors, runProgram } from './cli-program.js';
import { endQuietlyWhenStdoutGoes } from './command-run.js';
import { packageVersion } from './package-version.js';
import { scrollbackLines } from './scrollback-lines.js';

const exitCodeHelp = `
Exit codes:
  0  done                           3  no such session (or none live to continue)
  1  unexpected failure             4  the gateway could not be started or reached
  2  bad flags or arguments         5  the gateway refused the token or the Origin
  \`lifeline exec\`, \`lifeline sessions input\` and \`lifeline sessions wait\` exit with the
  command's own status instead; 124 when --timeout passed first, 125 when the command waits for
  someone to type (it keeps running and is still recorded either way).`;

const program = new Command('lifeline')
  .description(
    'Durable shell sessions: every command a run with its exit status; a crashed gateway never loses the session.',
  )
  .usage('[-c | --resume <session> | --name <name>] | <command> [options]')
  .version(packageVersion(), '-V, --version', 'print the version of lifeline')
  .enablePositionalOptions()
  .addOption(
    new Option(
      '-c, --continue',
      'go back to the live session a TUI left last; if none was ever opened in one, the live session active last',
    ).conflicts('resume'),
  )
  .addOption(
    new Option(
      '--resume <session>',
      'attach to this session (live or ended): its id, the start of its id, or its name',
    ),
  )
  .addOption(
    new Option('--name <name>', 'name the new session (`/rename` renames it later)').conflicts([
      'continue',
      'resume',
    ]),
  )
  .helpCommand('help [command]', 'print the help of a command')
  .addHelpText('after', exitCodeHelp)
  .exitOverride()
  .action(async (options: { continue?: boolean; resume?: string; name?: string }) => {
    // Refused before the gateway starts, which would leave the session it prepares behind.
    const scrollback = scrollbackLines(process.env);
    const initial =
      options.resume !== undefined
        ? resumeTarget(options.resume)
        : options.continue
          ? ({ kind: 'continue' } as const)
          : ({
              kind: 'new',
              cwd: process.cwd(),
              ...(options.name === undefined ? {} : { name: checkSessionName(options.name) }),
            } as const);
    // The gateway starts while Ink and React load (only here: the other commands never pay for them),
    // if the entry point has not already started it before anything else loaded.
    const early =
      takeEarlyGateway() ??
      startGatewayEarly({
        // A session prepared ahead has no name: with --name, the session is created once asked for.
        newSession: initial.kind === 'new' && options.name === undefined,
      });
    const { runTui } = await import('./tui-main.js');
    const earlyPrompt = takeEarlyPrompt();
    process.exitCode = await runTui({
      initial,
      ...tuiGateway(early),
      ...(earlyPrompt ? { earlyPrompt } : {}),
      scrollbackLines: scrollback,
    });
  });

registerExecCommand(program);
registerSessionsCommand(program);
registerLogsCommand(program);
registerReplayCommand(program);
registerGatewayCommand(program);
registerAttachCommand(program);
registerMcpCommand(program);
reportUsageErrors(program, 'lifeline');

endQuietlyWhenStdoutGoes();

let earlyGateway: EarlyGateway | undefined;
let earlyPrompt: EarlyPrompt | undefined;

/** The gateway the entry point started for the TUI, for the TUI to use (once). */
function takeEarlyGateway(): EarlyGateway | undefined {
  const early = earlyGateway;
  earlyGateway = undefined;
  return early;
}

/** The TUI's input line the entry point drew, for the TUI to take over (once). */
function takeEarlyPrompt(): EarlyPrompt | undefined {
  const prompt = earlyPrompt;
  earlyPrompt = undefined;
  return prompt;
}

/**
 * Runs the command line, then exits.
 * @param early a gateway the entry point already started because the arguments open the TUI
 * @param prompt the TUI's input line the entry point already drew, for the same reason
 */
export async function runCli(
  early: EarlyGateway | undefined,
  prompt?: EarlyPrompt,
): Promise<never> {
  earlyGateway = early;
  earlyPrompt = prompt;
  // A gateway started for a TUI that never opened (its arguments were refused) goes with it; asked
  // to end rather than killed, it removes a session it began.
  return runProgram(program, () => takeEarlyGateway()?.gateway.process.kill('SIGTERM', 'local'));
}
