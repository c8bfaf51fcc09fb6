// The `lifeline` command. When the arguments open the TUI, its gateway is spawned first, before
// the command line and the TUI load (they take longer than the gateway's own start), so that the
// two start side by side, and with no arguments it begins the new session at once; everything
// else is loaded after. `lifeline exec`, which agents run hundreds of times, loads only its own
// modules.
import { enableCompileCache } from './compile-cache.js';
import type * as ExecMain from './exec-main.js';

enableCompileCache();
const argv = process.argv.slice(2);
if (argv[0] === 'exec') {
  // Built as a bundle of its own beside this file (see tsup.config.ts), so not followed here.
  const execBundle = './exec.js';
  const { runExecCli } = (await import(execBundle)) as typeof ExecMain;
  await runExecCli();
}
const { isTuiInvocation, startGatewayEarly } = await import('./connection/early-gateway.js');
const early = isTuiInvocation(argv)
  ? startGatewayEarly({ newSession: argv.length === 0 })
  : undefined;
const { runCli } = await import('./cli-main.js');
await runCli(early);
