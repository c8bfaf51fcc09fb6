import { Command, CommanderError, Option } from 'commander';
import { isSessionId } from '@lifeline/protocol';
import { exitCodes, runTui } from './tui-main.js';

const program = new Command('lifeline')
  .description('Durable shell sessions: every command a run with its exit status; a crashed gateway never loses the session.')
  .addOption(new Option('-c, --continue', 're-attach to the most recent live session').conflicts('resume'))
  .addOption(new Option('--resume <sid>', 'attach to the session with this id (live or ended)'))
  .showHelpAfterError('(lifeline --help lists the options)')
  .exitOverride()
  .action(async (options: { continue?: boolean; resume?: string }) => {
    if (options.resume !== undefined && !isSessionId(options.resume)) {
      process.stderr.write(`lifeline: "${options.resume}" is not a session id; \`lifeline sessions\` lists them\n`);
      process.exitCode = exitCodes.usage;
      return;
    }
    const initial = options.resume !== undefined
      ? ({ kind: 'resume', sid: options.resume } as const)
      : options.continue
        ? ({ kind: 'continue' } as const)
        : ({ kind: 'new', cwd: process.cwd() } as const);
    process.exitCode = await runTui({ initial, gateway: { kind: 'spawn' } });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : exitCodes.usage;
  } else {
    throw error;
  }
}
process.exit(process.exitCode ?? 0);
