// A real gateway that, on SIGUSR2, exits at once with code 137: what a shell or a container
// runtime reports for a process the kernel killed (OOM), as seen by a parent that only gets a code.
// usage: node gateway-exit-137.mjs <gateway cli.js>
import { pathToFileURL } from 'node:url';

const [gatewayCli] = process.argv.splice(2);
process.on('SIGUSR2', () => process.exit(137));
await import(pathToFileURL(gatewayCli).href);
