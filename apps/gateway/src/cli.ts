import { parseArgs } from 'node:util';
import { runGateway } from './gateway/gateway-main.js';
import { runHostProcess } from './host/host-main.js';

const usage = `usage:
  lifeline-gateway                                  serve one client: NDJSON JSON-RPC on stdin/stdout
  lifeline-gateway --listen [HOST:]PORT [options]   serve many clients over WebSocket
      --token-file FILE        bearer token file (0600), created if missing (default: <state>/gateway.token)
      --allow-remote           allow binding an address other than loopback
      --allowed-origin ORIGIN  allow browser clients from ORIGIN (repeatable)
  lifeline-gateway host <sid>                       run the host of one session (started by gateways)

State directory: $LIFELINE_HOME, else $XDG_STATE_HOME/lifeline, else ~/.local/state/lifeline.`;

const loopback = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function fail(message: string): never {
  process.stderr.write(`lifeline-gateway: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'host') {
    if (argv.length !== 2 || argv[1] === undefined) fail('host takes exactly one argument, the session id');
    await runHostProcess(argv[1]);
    return;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        listen: { type: 'string' },
        'token-file': { type: 'string' },
        'allow-remote': { type: 'boolean', default: false },
        'allowed-origin': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.listen === undefined) {
    if (values['token-file'] !== undefined || values['allow-remote'] || values['allowed-origin'].length > 0) {
      fail('--token-file, --allow-remote and --allowed-origin only apply with --listen');
    }
    await runGateway({ kind: 'stdio' });
    return;
  }
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(values.listen);
  const port = Number(match?.[2]);
  if (!match || port > 65535) fail(`--listen takes [HOST:]PORT, e.g. 127.0.0.1:7777, not "${values.listen}"`);
  const host = match[1] ?? '127.0.0.1';
  if (!loopback.has(host) && !values['allow-remote']) {
    fail(`refusing to listen on ${host}, which is reachable from other machines; add --allow-remote if you mean it (and put TLS in front)`);
  }
  await runGateway({
    kind: 'listen',
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port,
    tokenFile: values['token-file'],
    allowedOrigins: values['allowed-origin'],
  });
}

await main(process.argv.slice(2));
