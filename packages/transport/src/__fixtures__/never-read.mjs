// Never reads its stdin and never exits on its own: the pipe to it fills up.
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
setInterval(() => {}, 1000);
