// Replies to every NDJSON line with {echo: value}; writes a malformed line when asked to.
import readline from 'node:readline';

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  const value = JSON.parse(line);
  if (value === 'malformed please') process.stdout.write('this is not json\n');
  process.stdout.write(`${JSON.stringify({ echo: value })}\n`);
});
lines.on('close', () => process.exit(0));
