import path from 'node:path';

/** A fault injected into a live session while it streams. */
export type FaultName =
  | 'gateway-sigkill'
  | 'host-sigkill'
  | 'gateway-sigterm'
  | 'gateway-sighup'
  | 'gateway-exit-137'
  | 'gateway-closes-stdout'
  | 'gateway-stops-answering';

/** How a gateway's link ended, as its breadcrumbs tell. */
export interface GatewayEnd {
  readonly code: number | null | undefined;
  readonly signal: string | null | undefined;
  /** Why the client killed it, when it did. */
  readonly killReason: string | undefined;
}

/** One kind of fault and what must follow it. */
export interface Fault {
  readonly name: FaultName;
  /** What is done, for people. */
  readonly what: string;
  /** The process that receives `signal`. */
  readonly target: 'gateway' | 'host';
  readonly signal: NodeJS.Signals;
  /** A misbehaving gateway from `__fixtures__` that `signal` sets off; the real gateway when absent. */
  readonly fixture?: string;
  /** Heartbeat interval of the client's links. @default the link's own */
  readonly heartbeatMs?: number;
  /** Checks how the faulty gateway ended: returns what is wrong, or undefined. */
  readonly checkEnd?: (end: GatewayEnd) => string | undefined;
}

const cleanExit = (signal: NodeJS.Signals, code: number) => (end: GatewayEnd) =>
  end.code === code && !end.signal && end.killReason === undefined
    ? undefined
    : `after ${signal} the gateway should exit by itself with code ${code}, it ended with ${describeEnd(end)}`;

/** Every fault, by name. */
export const faults: Readonly<Record<FaultName, Fault>> = {
  'gateway-sigkill': {
    name: 'gateway-sigkill',
    what: 'SIGKILL to the gateway',
    target: 'gateway',
    signal: 'SIGKILL',
    checkEnd: (end) =>
      end.signal === 'SIGKILL' && end.killReason === undefined
        ? undefined
        : `the gateway should die of SIGKILL, it ended with ${describeEnd(end)}`,
  },
  'host-sigkill': {
    name: 'host-sigkill',
    what: 'SIGKILL to the session host',
    target: 'host',
    signal: 'SIGKILL',
  },
  'gateway-sigterm': {
    name: 'gateway-sigterm',
    what: 'SIGTERM to the gateway',
    target: 'gateway',
    signal: 'SIGTERM',
    checkEnd: cleanExit('SIGTERM', 143),
  },
  'gateway-sighup': {
    name: 'gateway-sighup',
    what: 'SIGHUP to the gateway',
    target: 'gateway',
    signal: 'SIGHUP',
    checkEnd: cleanExit('SIGHUP', 129),
  },
  'gateway-exit-137': {
    name: 'gateway-exit-137',
    what: 'the gateway exits with code 137',
    target: 'gateway',
    signal: 'SIGUSR2',
    fixture: 'gateway-exit-137.mjs',
    checkEnd: (end) =>
      end.code === 137 && end.killReason === undefined
        ? undefined
        : `the gateway should exit with code 137, it ended with ${describeEnd(end)}`,
  },
  'gateway-closes-stdout': {
    name: 'gateway-closes-stdout',
    what: 'the gateway closes stdout and stays alive',
    target: 'gateway',
    signal: 'SIGUSR2',
    fixture: 'gateway-closes-stdout.mjs',
    checkEnd: (end) =>
      end.killReason?.startsWith('transport')
        ? undefined
        : `the client should kill a gateway that closed its stdout, it ended with ${describeEnd(end)}`,
  },
  'gateway-stops-answering': {
    name: 'gateway-stops-answering',
    what: 'the gateway stops answering',
    target: 'gateway',
    signal: 'SIGUSR2',
    fixture: 'gateway-stops-answering.mjs',
    heartbeatMs: 1000,
    checkEnd: (end) =>
      end.killReason === 'it missed two heartbeats'
        ? undefined
        : `the heartbeat should find the frozen gateway and kill it, it ended with ${describeEnd(end)}`,
  },
};

/** The fixture gateway that crashes before it is ready, every time. */
export const crashingGatewayFixture = 'gateway-crashes-at-startup.mjs';

/** Absolute path of a fixture script. */
export function fixturePath(name: string): string {
  return path.resolve(import.meta.dirname, '..', '__fixtures__', name);
}

function describeEnd(end: GatewayEnd): string {
  const how = end.signal
    ? end.signal
    : end.code === undefined
      ? 'no exit seen'
      : `code ${String(end.code)}`;
  return end.killReason === undefined ? how : `${how}, killed by the client (${end.killReason})`;
}
