// A real gateway that, on SIGUSR2, freezes for good: its thread blocks (no CPU spent), so it
// neither answers nor closes anything. Only a heartbeat can tell it from a slow one.
// usage: node gateway-stops-answering.mjs <gateway cli.js>
import { pathToFileURL } from 'node:url';

const [gatewayCli] = process.argv.splice(2);
process.on('SIGUSR2', () => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
await import(pathToFileURL(gatewayCli).href);
