// Sends one message, closes its stdout, and exits 50 ms later with the code given as its argument.
import fs from 'node:fs';

fs.writeSync(1, `${JSON.stringify({ hello: 'before closing stdout' })}\n`);
fs.closeSync(1);
setTimeout(() => process.exit(Number(process.argv[2] ?? 0)), 50);
