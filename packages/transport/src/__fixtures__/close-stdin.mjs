// Closes its stdin (so writes to it fail with EPIPE), says so, and stays alive until killed.
import fs from 'node:fs';

fs.closeSync(0);
process.stdout.write(`${JSON.stringify({ stdin: 'closed' })}\n`);
setInterval(() => {}, 1000);
