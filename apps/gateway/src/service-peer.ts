import { createPeer, type Peer } from '@lifeline/rpc';
import type { Transport } from '@lifeline/transport';

/**
 * A peer that serves a contract to one connection (a gateway's client, a host's gateway): its
 * handlers take their transport from their context, so no async context is kept for every
 * callback, and a handler that fails is reported as a `handler.error` breadcrumb.
 */
export function createServicePeer(
  transport: Transport,
  breadcrumb: (event: string, fields: Record<string, string>) => void,
): Peer {
  return createPeer(transport, {
    bindCurrentTransport: false,
    onHandlerError: (error, method) => {
      breadcrumb('handler.error', {
        method,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
}
