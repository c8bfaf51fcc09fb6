// A child that reads JSON-RPC requests and never answers them; it reports how many it has read
// on stderr so the parent knows when every call is in flight.
let count = 0;
let carry = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  carry += chunk;
  let newline = carry.indexOf('\n');
  while (newline !== -1) {
    carry = carry.slice(newline + 1);
    count += 1;
    process.stderr.write(`received ${count}\n`);
    newline = carry.indexOf('\n');
  }
});
process.stdout.write('{"jsonrpc":"2.0","method":"ready"}\n');
