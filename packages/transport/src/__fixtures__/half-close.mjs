// Sends one message, closes its stdout and stays alive until it is killed.
import fs from 'node:fs';

fs.writeSync(1, `${JSON.stringify({ hello: 'before closing stdout' })}\n`);
fs.closeSync(1);
setInterval(() => {}, 1000);
