// The `lifeline` command. When the arguments open the TUI, its gateway is spawned first, before
// the command line and the TUI load (they take longer than the gateway's own start), so that the
// two start side by side; everything else is loaded after.
import { isTuiInvocation, startGatewayEarly } from './connection/early-gateway.js';

const early = isTuiInvocation(process.argv.slice(2)) ? startGatewayEarly() : undefined;
const { runCli } = await import('./cli-main.js');
await runCli(early);
