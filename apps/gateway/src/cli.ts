// The `lifeline-gateway` command. A client about to create a session says so (`--new-session`):
// that session's host is spawned first, and starts while the rest of the gateway loads.
import { enableCompileCache } from './compile-cache.js';
import { newSessionAtStart, startSessionEarly } from './gateway/early-session.js';

enableCompileCache();
const argv = process.argv.slice(2);
const size = newSessionAtStart(argv);
const early = size ? startSessionEarly(size) : undefined;
const { main } = await import('./cli-main.js');
await main(argv, early);
