// The `lifeline` command. When the arguments open the TUI, its first frame is drawn at once, its
// input line taking keys (see src/early-prompt.ts), and its gateway is spawned next, before the
// command line and the TUI load (they take longer than the gateway's own start), so that the two
// start side by side; with no arguments the gateway begins the new session at once and the TUI
// loads without the command line's parser. Everything else is loaded after. `lifeline exec`,
// which agents run hundreds of times, loads only its own modules.
import module from 'node:module';
import { enableCompileCache } from './compile-cache.js';
import { showEarlyPrompt } from './early-prompt.js';
import type * as ExecStart from './exec-start.js';
import { scrollbackLinesOrExit } from './scrollback-lines.js';
import { exitUnlessStateDirectoryUsable } from './state-directory-check.js';
import { takeStartedAs } from './started-as.js';
import { isTuiInvocation } from './tui-invocation.js';

enableCompileCache();
takeStartedAs();
const argv = process.argv.slice(2);
if (argv[0] === 'exec') {
  // Built beside this file as CommonJS of its own (see src/exec-start.ts).
  const { startExec } = module.createRequire(import.meta.url)(
    './exec-start.cjs',
  ) as typeof ExecStart;
  await startExec();
}
exitUnlessStateDirectoryUsable(argv);
const opensTui = isTuiInvocation(argv);
// Read before anything starts: refused later, the gateway would leave the session it prepares behind.
const scrollback = opensTui ? scrollbackLinesOrExit() : undefined;
const prompt = opensTui ? showEarlyPrompt() : undefined;
const { startGatewayEarly, tuiGateway } = await import('./connection/early-gateway.js');
const early = opensTui ? startGatewayEarly({ newSession: argv.length === 0 }) : undefined;
if (argv.length === 0) {
  // `lifeline` alone: a new session in this directory. With nothing to parse, neither the parser
  // nor the other commands load.
  const [{ endQuietlyWhenStdoutGoes, runCommand }, { runTui }] = await Promise.all([
    import('./command-run.js'),
    import('./tui-main.js'),
  ]);
  endQuietlyWhenStdoutGoes();
  await runCommand(async () => {
    process.exitCode = await runTui({
      initial: { kind: 'new', cwd: process.cwd() },
      ...tuiGateway(early),
      ...(prompt ? { earlyPrompt: prompt } : {}),
      scrollbackLines: scrollback,
    });
  });
}
const { runCli } = await import('./cli-main.js');
await runCli(early, prompt);
