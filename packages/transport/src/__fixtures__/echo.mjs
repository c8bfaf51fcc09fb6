// Echoes stdin to stdout byte for byte; exits when stdin ends.
process.stdin.pipe(process.stdout);
