import type { NdjsonTransportOptions } from '@lifeline/transport';

/**
 * How the gateway and the session hosts write to each other and to the gateway's client: all that
 * one turn of their event loop sends (a chunk of a program's output and the events it makes, an
 * answer and the events before it) goes out in one write, one wakeup of the peer. Their turns are
 * short, so nothing waits long for the turn to end; a `true` run's round trip measured 8 % faster.
 */
export const relayLinkOptions = { writeAtTurnEnd: true } as const satisfies NdjsonTransportOptions;
