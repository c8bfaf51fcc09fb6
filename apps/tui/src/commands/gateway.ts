import { spawn } from 'node:child_process';
import path from 'node:path';
import { exitCodeForSignal } from '@lifeline/crash-log';
import { gatewayCommand } from '@lifeline/gateway';
import type { Command } from 'commander';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { parseListenAddress } from './internal/listen-address.js';
import { messageOf } from './internal/local-gateway.js';

/** Options of `lifeline gateway`, as parsed. */
export interface GatewayOptions {
  /** `--listen [HOST:]PORT`; the host defaults to 127.0.0.1. */
  listen: string;
  /** `--token-file`: the bearer token file. @default '<state dir>/gateway.token' */
  tokenFile?: string;
  /** `--allow-remote`: allow an address other machines can reach. @default false */
  allowRemote?: boolean;
  /** `--allowed-origin`, repeatable: Origins of browser clients to accept. @default [] */
  allowedOrigin: string[];
}

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Adds `lifeline gateway` to the program. */
export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .summary('serve the sessions of this machine over WebSocket, for `lifeline attach`')
    .description(
      "Run a gateway in the foreground that serves this machine's sessions over WebSocket. Clients present a bearer token read from " +
        'a 0600 token file (created with a fresh token if missing; its path is printed, never the token). Binding anything but loopback ' +
        'needs --allow-remote; put TLS in front of it (a reverse proxy, or an SSH tunnel) when you do. Ctrl+C stops it; the sessions keep running.',
    )
    .requiredOption(
      '--listen <[host:]port>',
      'address to listen on, e.g. 127.0.0.1:7777 (host defaults to 127.0.0.1)',
    )
    .option('--token-file <file>', 'the bearer token file (default: <state dir>/gateway.token)')
    .option('--allow-remote', 'allow an address other machines can reach')
    .option(
      '--allowed-origin <origin>',
      'accept browser clients from this Origin (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .action(async (options: GatewayOptions) => {
      process.exitCode = await runListeningGateway(options, process.cwd());
    });
}

/**
 * Runs `lifeline-gateway --listen …` with this terminal, forwarding the signals that stop it.
 * @returns the gateway's exit status (128 + signal number when a signal ended it)
 */
async function runListeningGateway(options: GatewayOptions, cwd: string): Promise<number> {
  const address = parseListenAddress(options.listen);
  if (!address.loopback && !options.allowRemote) {
    throw new CliError(
      'usage',
      `refusing to listen on ${address.host}, which other machines can reach; add --allow-remote if you mean it, and put TLS in front of it`,
    );
  }
  const args = ['--listen', options.listen];
  if (options.tokenFile !== undefined)
    args.push('--token-file', path.resolve(cwd, options.tokenFile));
  if (options.allowRemote) args.push('--allow-remote');
  for (const origin of options.allowedOrigin) args.push('--allowed-origin', origin);
  const { command, args: gatewayArgs } = gatewayCommand(args);
  // Its own process group, so a signal reaches it once: forwarded from here. The channel ties its
  // life to this process: the gateway stops when it closes, even if this one is SIGKILLed.
  const child = spawn(command, gatewayArgs, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  child.channel?.unref();
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const handlers = forwardedSignals.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error) => {
        reject(
          new CliError('unreachable', `could not start the gateway: ${messageOf(error)}`, {
            cause: error,
          }),
        );
      });
      child.once('exit', (code, signal) => {
        resolve(code ?? (signal ? exitCodeForSignal(signal) : cliExitCodes.failure));
      });
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('exit', killOnExit);
  }
}
