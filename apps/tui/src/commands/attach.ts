import fs from 'node:fs';
import path from 'node:path';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { isSessionId, stateLayout } from '@lifeline/protocol';
import { isTransportError, TransportError } from '@lifeline/transport';
import { readTokenFile } from '@lifeline/transport/token-file';
import { Option, type Command } from 'commander';
import {
  connectGatewayLink,
  type Breadcrumb,
  type GatewayLink,
} from '../connection/gateway-link.js';
import { CliError } from './internal/cli-error.js';
import {
  cliErrorFor,
  messageOf,
  processContext,
  type CliContext,
} from './internal/local-gateway.js';
import { sessionToContinue } from './internal/session-pick.js';
import { checkSessionName, findSession } from './internal/session-ref.js';
import { reportedSize } from '../terminal/reported-size.js';
import { scrollbackLines } from '../scrollback-lines.js';

/** Options of `lifeline attach`, as parsed. */
export interface AttachOptions {
  /** `--token-file`. @default LIFELINE_TOKEN, else '<state dir>/gateway.token' */
  tokenFile?: string;
  /** `-c`: the live session a TUI left last, else the one active last (see {@link sessionToContinue}). @default false */
  continue?: boolean;
  /** `--resume <sid|name>`: this session. */
  resume?: string;
  /** `--new`: a new session, in the gateway's directory. @default true when neither -c nor --resume is given */
  new?: boolean;
}

/**
 * How long one reconnect attempt keeps knocking while the gateway is unreachable (a supervisor
 * restarting it, a network blip), before the TUI's recovery counts the attempt as failed.
 */
export const RECONNECT_WINDOW_MS = 10_000;

/** Adds `lifeline attach` to the program. */
export function registerAttachCommand(program: Command): void {
  program
    .command('attach')
    .summary('open the TUI against a gateway on another machine (`lifeline gateway --listen`)')
    .description(
      'Open the TUI against a gateway listening on WebSocket. The token comes from --token-file, else LIFELINE_TOKEN, else this ' +
        "machine's <state dir>/gateway.token. If the connection drops, the TUI reconnects with backoff and resumes the session from the " +
        "last event it showed (the session and its running command live on the gateway's machine and keep going meanwhile).",
    )
    .argument('<url>', 'the gateway, e.g. ws://127.0.0.1:7777')
    .option('--token-file <file>', 'file holding the bearer token (0600)')
    .addOption(
      new Option(
        '-c, --continue',
        'attach to the live session a TUI left last; if none was ever opened in one, the live session active last',
      ).conflicts(['resume', 'new']),
    )
    .addOption(
      new Option('--resume <session>', 'attach to this session: its id or its name').conflicts(
        'new',
      ),
    )
    .addOption(new Option('--new', 'start a new session (the default)'))
    .action(async (url: string, options: AttachOptions) => {
      process.exitCode = await attach(url, options, processContext());
    });
}

async function attach(url: string, options: AttachOptions, context: CliContext): Promise<number> {
  checkUrl(url);
  if (options.resume !== undefined && !isSessionId(options.resume))
    checkSessionName(options.resume);
  const scrollback = scrollbackLines(context.env);
  const token = await resolveToken(options.tokenFile, context);
  // Fail fast, before the TUI takes the terminal: a wrong token, a gateway that is not there.
  const probe = await connectRemote(url, () => Promise.resolve(token), context.breadcrumb, 0);
  let sid: string;
  try {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new CliError(
        'usage',
        "the TUI needs a terminal on stdin and stdout; for scripts use `lifeline exec -- <command>` on the gateway's machine",
      );
    }
    sid = await chooseSession(probe, url, options);
  } finally {
    probe.close();
  }
  const { runTui } = await import('../tui-main.js');
  return runTui({
    initial: { kind: 'resume', sid },
    scrollbackLines: scrollback,
    gateway: {
      kind: 'remote',
      // The token is read again for each attempt: a gateway restarted with a new token (its token
      // file replaced, or removed and written again as it starts) is reached with the new one.
      connect: async () =>
        connectRemote(
          url,
          () => resolveToken(options.tokenFile, context),
          context.breadcrumb,
          RECONNECT_WINDOW_MS,
        ),
    },
  });
}

async function chooseSession(
  link: GatewayLink,
  url: string,
  options: AttachOptions,
): Promise<string> {
  if (!options.continue && options.resume === undefined) {
    const size = reportedSize(process.stdout) ?? {};
    // No cwd: the session starts where the gateway runs, on its machine.
    const created = await link.client.call('session.create', size).catch((error: unknown) => {
      throw cliErrorFor(error, 'starting a session');
    });
    return created.sid;
  }
  const { sessions } = await link.client.call('session.list', {}).catch((error: unknown) => {
    throw cliErrorFor(error, 'listing the sessions');
  });
  if (options.resume !== undefined) {
    return findSession(
      sessions,
      options.resume,
      `the gateway at ${url}`,
      '`lifeline sessions` on its machine',
    ).sid;
  }
  const live = sessionToContinue(sessions);
  if (!live)
    throw new CliError(
      'notFound',
      'the gateway has no live session to continue; drop -c to start a new one, or --resume <sid> an ended one',
    );
  return live.sid;
}

/**
 * Connects to the remote gateway with the token `readToken` gives (read at every attempt) and
 * waits for its `ready`. While it is unreachable, or its token file is missing (a gateway starting
 * again writes it anew), keeps trying with backoff for `retryForMs`; a refused token or Origin
 * fails at once.
 * @throws CliError `auth` (refused, or no token file), `unreachable`, `usage` (not a WebSocket URL)
 */
async function connectRemote(
  url: string,
  readToken: () => Promise<string>,
  breadcrumb: Breadcrumb,
  retryForMs: number,
): Promise<GatewayLink> {
  const giveUpAt = Date.now() + retryForMs;
  let delayMs = 100;
  for (;;) {
    try {
      const link = await connectGatewayLink(url, await readToken(), { breadcrumb });
      try {
        await link.ready;
      } catch (error) {
        link.kill('not ready');
        throw new CliError(
          'unreachable',
          `the gateway at ${url} did not get ready: ${messageOf(error)}`,
          { cause: error },
        );
      }
      return link;
    } catch (error) {
      const failure = connectFailure(url, error);
      const worthRetrying = failure.code === 'unreachable' || isMissingTokenFile(failure);
      if (!worthRetrying || Date.now() + delayMs > giveUpAt) throw failure;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(1000, delayMs * 2);
    }
  }
}

/** Whether `error` says the token file is not there (as it is not for a moment while a gateway starts again). */
function isMissingTokenFile(error: CliError): boolean {
  const cause = error.cause;
  return (
    isTransportError(cause, 'TOKEN_FILE_UNREADABLE') &&
    (cause.cause as { code?: unknown } | undefined)?.code === 'ENOENT'
  );
}

function connectFailure(url: string, error: unknown): CliError {
  if (CliError.isInstance(error)) return error;
  if (isTransportError(error, 'UNAUTHORIZED')) {
    return new CliError(
      'auth',
      `the gateway at ${url} refused the token; pass the token file \`lifeline gateway\` printed with --token-file, or set LIFELINE_TOKEN`,
      { cause: error },
    );
  }
  if (isTransportError(error, 'FORBIDDEN_ORIGIN')) {
    return new CliError(
      'auth',
      `the gateway at ${url} refused this client's Origin; start it with --allowed-origin for that origin`,
      { cause: error },
    );
  }
  if (isTransportError(error, 'INVALID_OPTION'))
    return new CliError('usage', messageOf(error), { cause: error });
  if (TransportError.isInstance(error)) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    const why =
      typeof code === 'string'
        ? code
        : error.code === 'UNREACHABLE'
          ? 'no answer'
          : 'not a lifeline gateway';
    return new CliError(
      'unreachable',
      `cannot reach the gateway at ${url} (${why}); is \`lifeline gateway --listen\` running there?`,
      { cause: error },
    );
  }
  return new CliError('unreachable', `cannot connect to ${url}: ${messageOf(error)}`, {
    cause: error,
  });
}

function checkUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') {
    throw new CliError(
      'usage',
      `"${url}" is not a WebSocket URL; give the gateway's address as ws://HOST:PORT (or wss:// behind TLS)`,
    );
  }
}

/** The token: --token-file, else LIFELINE_TOKEN, else this machine's default token file. */
async function resolveToken(tokenFile: string | undefined, context: CliContext): Promise<string> {
  const fromEnvironment = context.env.LIFELINE_TOKEN?.trim();
  const defaultFile = stateLayout.gatewayToken(resolveStateDirectory(context.env));
  const file =
    tokenFile !== undefined
      ? path.resolve(context.cwd, tokenFile)
      : fromEnvironment
        ? undefined
        : fs.existsSync(defaultFile)
          ? defaultFile
          : undefined;
  if (file === undefined) {
    if (fromEnvironment) return fromEnvironment;
    throw new CliError(
      'auth',
      'no token to present: pass --token-file FILE (the path `lifeline gateway` printed) or set LIFELINE_TOKEN',
    );
  }
  try {
    return await readTokenFile(file);
  } catch (error) {
    throw new CliError('auth', messageOf(error), { cause: error });
  }
}
