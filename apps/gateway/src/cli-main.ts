import net from 'node:net';
import { parseArgs } from 'node:util';
import { startSessionEarly, type EarlySession } from './gateway/early-session.js';
import { parseSessionSize } from './gateway/session-size.js';
import { packageVersion } from './package-version.js';

const usage = `usage:
  lifeline-gateway                                  serve one client: NDJSON JSON-RPC on stdin/stdout
      --new-session            begin a session in the current directory at once, for the
                               client's first session.create (its host starts meanwhile)
      --size COLSxROWS         that session's terminal size (default 80x24)
  lifeline-gateway --listen [HOST:]PORT [options]   serve many clients over WebSocket
      --token-file FILE        bearer token file (0600), created if missing (default: <state>/gateway.token)
      --allow-remote           allow binding an address other than loopback
      --allowed-origin ORIGIN  allow browser clients from ORIGIN (repeatable)
  lifeline-gateway --version                        print the version

State directory: $LIFELINE_HOME, else $XDG_STATE_HOME/lifeline, else ~/.local/state/lifeline.`;

/** Whether `host` names this machine only: `localhost`, `::1`, or any address of 127.0.0.0/8. */
function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1');
  if (address === 'localhost' || address === '::1') return true;
  return net.isIPv4(address) && address.startsWith('127.');
}

function fail(message: string): never {
  process.stderr.write(`lifeline-gateway: ${message}\n`);
  process.exit(2);
}

/**
 * Runs the `lifeline-gateway` command with its arguments. `early`: the session the entry point
 * already began for `--new-session`.
 */
export async function main(argv: string[], early?: EarlySession): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        listen: { type: 'string' },
        'token-file': { type: 'string' },
        'allow-remote': { type: 'boolean', default: false },
        'allowed-origin': { type: 'string', multiple: true, default: [] },
        'new-session': { type: 'boolean', default: false },
        size: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
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
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  if (values.listen === undefined) {
    if (
      values['token-file'] !== undefined ||
      values['allow-remote'] ||
      values['allowed-origin'].length > 0
    ) {
      fail('--token-file, --allow-remote and --allowed-origin only apply with --listen');
    }
    if (values.size !== undefined && !values['new-session'])
      fail('--size only applies with --new-session');
    const size = parseSessionSize(values.size ?? '80x24');
    if (!size)
      fail(`--size takes COLSxROWS between 1x1 and 1000x1000, e.g. 120x40, not "${values.size}"`);
    const { runGateway } = await import('./gateway/gateway-main.js');
    await runGateway(
      { kind: 'stdio' },
      process.env,
      values['new-session'] ? (early ?? startSessionEarly(size)) : undefined,
    );
    return;
  }
  if (values['new-session'] || values.size !== undefined)
    fail('--new-session and --size only apply without --listen');
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(values.listen);
  const port = Number(match?.[2]);
  if (!match || port > 65535)
    fail(`--listen takes [HOST:]PORT, e.g. 127.0.0.1:7777, not "${values.listen}"`);
  const host = match[1] ?? '127.0.0.1';
  if (!isLoopback(host)) {
    if (!values['allow-remote']) {
      fail(
        `refusing to listen on ${host}, which is reachable from other machines; add --allow-remote if you mean it (and put TLS in front)`,
      );
    }
    process.stderr.write(
      `lifeline-gateway: warning: serving plain ws:// on ${host}: the bearer token and every keystroke cross the network unencrypted; put TLS in front (a reverse proxy) or use an SSH tunnel\n`,
    );
  }
  const { runGateway } = await import('./gateway/gateway-main.js');
  await runGateway({
    kind: 'listen',
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port,
    tokenFile: values['token-file'],
    allowedOrigins: values['allowed-origin'],
  });
}
