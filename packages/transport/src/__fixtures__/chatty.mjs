// Writes a numbered NDJSON message every few milliseconds and a numbered stderr line with each,
// until it is killed.
let sequence = 0;
process.stderr.write(`${'starting up '.repeat(600)}\n`);
setInterval(() => {
  sequence += 1;
  process.stderr.write(`stderr line ${sequence}\n`);
  process.stdout.write(`${JSON.stringify({ sequence })}\n`);
}, 5);
