// A gateway that, on SIGUSR2, closes its stdout and lives on: a relay in front of a real gateway
// whose frames it copies to fd 1 until told to stop. Its client sees end-of-file from a process
// that has not exited; the real gateway behind it ends when the relay dies (its stdin closes).
// usage: node gateway-closes-stdout.mjs <gateway cli.js>
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const [gatewayCli] = process.argv.slice(2);
const gateway = spawn(process.execPath, [gatewayCli], { stdio: ['pipe', 'pipe', 'inherit'] });
let stdoutOpen = true;
process.stdin.pipe(gateway.stdin);
gateway.stdin.on('error', () => undefined);
gateway.stdout.on('data', (chunk) => {
  for (let offset = 0; stdoutOpen && offset < chunk.length;) {
    try {
      offset += fs.writeSync(1, chunk, offset);
    } catch (error) {
      // A full pipe: try again. Anything else: the client is gone, and so is this relay.
      if (error.code !== 'EAGAIN') process.exit(1);
    }
  }
});
gateway.on('exit', (code, signal) => {
  if (stdoutOpen) process.exit(code ?? (signal ? 1 : 0));
});
process.on('SIGUSR2', () => {
  stdoutOpen = false;
  fs.closeSync(1);
  // Alive and useless from now on, until someone kills it.
  setInterval(() => undefined, 60_000);
});
