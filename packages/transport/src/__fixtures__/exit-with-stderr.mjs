// Writes 10 KiB of stderr ending in a marker line, one message to stdout, and exits with the code
// given as its argument.
const code = Number(process.argv[2] ?? 0);
process.stderr.write('x'.repeat(10 * 1024));
process.stderr.write('\nthe last words\n');
process.stdout.write(`${JSON.stringify({ exiting: code })}\n`, () => process.exit(code));
