import { createClient, createPeer } from '@lifeline/rpc';
import { spawnTransport } from '@lifeline/transport';
import { benchContract } from './contract.js';
import { makePayload, methods, type EchoParams } from './payload.js';
import { checkEcho, exited, fixtureArguments, NotificationCounter, type RpcConnection, type RpcSubject } from './subject.js';

async function connect(typed: boolean): Promise<RpcConnection> {
  const spawned = spawnTransport(
    process.execPath,
    fixtureArguments('rpc-lifeline-server.ts', ...(typed ? ['--typed'] : [])),
  );
  const { child } = spawned;
  const peer = createPeer(spawned.transport);
  const client = createClient(peer, benchContract);
  const counter = new NotificationCounter();
  if (typed) client.on('bench.item', counter.hit);
  else peer.onNotification(methods.item, counter.hit);
  const echo = typed
    ? async (params: EchoParams) => checkEcho(params, await client.call('echo', params))
    : async (params: EchoParams) => checkEcho(params, await peer.request(methods.echo, params));
  // The first answer doubles as the handshake: the child is up and serving.
  await echo(makePayload(64));
  return {
    echo,
    async notifications(count, bytes) {
      const arrived = counter.expect(count);
      await (typed ? client.call('notifications', { count, bytes }) : peer.request(methods.notifications, { count, bytes }));
      await arrived;
    },
    async hold(count) {
      const calls = Array.from({ length: count }, () => (typed ? client.call('hold', {}) : peer.request(methods.hold, {})));
      await echo(makePayload(64));
      return calls;
    },
    kill() {
      child.kill('SIGKILL');
    },
    async dispose() {
      child.kill('SIGKILL');
      await exited(child);
      await peer.closed;
    },
  };
}

/** `@lifeline/rpc` through its untyped `Peer` API (request / setRequestHandler / onNotification). */
export const lifelineSubject: RpcSubject = {
  name: '@lifeline/rpc',
  exitDetection: 'built in (transport close: child exit + pipes closed)',
  connect: () => connect(false),
};

/** `@lifeline/rpc` through a zod contract: params validated by the server, results by the client. */
export const lifelineTypedSubject: RpcSubject = {
  name: '@lifeline/rpc typed (zod)',
  exitDetection: 'built in (transport close: child exit + pipes closed)',
  connect: () => connect(true),
};
