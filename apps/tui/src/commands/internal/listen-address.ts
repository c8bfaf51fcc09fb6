import { isIPv4 } from 'node:net';
import { CliError } from './cli-error.js';

/** Hosts that only this machine can reach (with 127.0.0.0/8); anything else needs `--allow-remote`. */
const loopbackHosts = new Set(['localhost', '::1']);

function isLoopback(host: string): boolean {
  return loopbackHosts.has(host.toLowerCase()) || (isIPv4(host) && host.startsWith('127.'));
}

/** Where `lifeline gateway --listen` binds. */
export interface ListenAddress {
  /** Without brackets: `127.0.0.1`, `::1`, `0.0.0.0`. */
  host: string;
  port: number;
  /** Whether only this machine can connect. */
  loopback: boolean;
}

/**
 * Parses `[HOST:]PORT` (an IPv6 host in brackets: `[::1]:7777`); the host defaults to 127.0.0.1.
 * @throws CliError `usage`
 */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port > 65_535) {
    throw new CliError(
      'usage',
      `--listen takes [HOST:]PORT, e.g. 127.0.0.1:7777 or 7777, not "${text}"`,
    );
  }
  const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host, port, loopback: isLoopback(host) };
}
