// Reads Content-Length frames from stdin (its own minimal parser) and answers each JSON body
// `value` with `{ "echo": value }` in a Content-Length frame, except "malformed please", which is
// answered with the body "this is not json". Exits when stdin ends.
let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  for (;;) {
    const headerEnd = pending.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const length = Number(
      /Content-Length: (\d+)/i.exec(pending.toString('latin1', 0, headerEnd))[1],
    );
    if (pending.length < headerEnd + 4 + length) return;
    const body = pending.toString('utf8', headerEnd + 4, headerEnd + 4 + length);
    pending = pending.subarray(headerEnd + 4 + length);
    const value = JSON.parse(body);
    const answer =
      value === 'malformed please' ? 'this is not json' : JSON.stringify({ echo: value });
    const bytes = Buffer.from(answer);
    process.stdout.write(
      `Content-Length: ${bytes.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n`,
    );
    process.stdout.write(bytes);
  }
});
