// Writes the number of NDJSON messages given as its argument at once, then waits for stdin to end.
const count = Number(process.argv[2] ?? 5000);
let text = '';
for (let index = 0; index < count; index += 1) text += `${JSON.stringify({ index })}\n`;
process.stdout.write(text);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
