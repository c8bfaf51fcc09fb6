import type { GatewayLink } from '../../connection/gateway-link.js';
import { CliError, type CliErrorCode } from './cli-error.js';

/** Signals that stop `exec` while its command waits for the session, with the code each exits with. */
const stopSignals = {
  SIGINT: 'interrupted',
  SIGTERM: 'terminated',
  SIGHUP: 'hungUp',
} as const satisfies Partial<Record<NodeJS.Signals, CliErrorCode>>;

/**
 * Makes the request that starts a command in session `sid`, withdrawing it if this process is
 * told to stop (Ctrl+C, SIGTERM, SIGHUP) before the session starts it: a command still waiting
 * for a busy session would otherwise run there later, for nobody. The gateway hears the withdrawal
 * before this process goes (a call made after it is answered first).
 * @param sent called once the request is sent, a stop withdrawing it from then on
 * @throws CliError `interrupted`, `terminated` or `hungUp` (by the signal) when it was withdrawn
 */
export async function withdrawnOnStop<T>(
  sid: string,
  link: GatewayLink,
  request: (signal: AbortSignal) => Promise<T>,
  sent: () => void = () => undefined,
): Promise<T> {
  const withdrawal = new AbortController();
  const withdraw = (signal: NodeJS.Signals) => {
    withdrawal.abort(signal);
  };
  const signals = Object.keys(stopSignals) as (keyof typeof stopSignals)[];
  for (const signal of signals) process.on(signal, withdraw);
  try {
    const answer = request(withdrawal.signal);
    sent();
    return await answer;
  } catch (error) {
    if (!withdrawal.signal.aborted) throw error;
    await link.client.call('session.list', { sid }).catch(() => undefined);
    const signal = withdrawal.signal.reason as keyof typeof stopSignals;
    throw new CliError(
      stopSignals[signal],
      `stopped by ${signal} while the command waited for session ${sid} to be free: it was withdrawn and will not run`,
    );
  } finally {
    for (const signal of signals) process.off(signal, withdraw);
  }
}
