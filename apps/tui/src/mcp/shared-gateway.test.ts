import {
  gatewayContract,
  parseSessionId,
  type SessionEvent,
  type SessionSummary,
} from '@lifeline/protocol';
import { createClient, createPeer, createServer } from '@lifeline/rpc';
import { createTransportPair } from '@lifeline/transport/testing';
import { describe, expect, test, vi } from 'vitest';
import type { GatewayLink } from '../connection/gateway-link.js';
import type { CliContext } from '../commands/internal/local-gateway.js';
import { SharedGateway, type SessionEventListener } from './shared-gateway.js';

const sid = parseSessionId('s_01m80eyhsykbmb761pfe6d0b9j');
const other = parseSessionId('s_01m80eyhsykbmb761pfe6d0b9k');

const summary: SessionSummary = {
  sid,
  name: 'work',
  status: 'live',
  cwd: '/work',
  shell: '/bin/bash',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  lastSeq: 9,
};

/** An in-process gateway: it records what it is asked and sends what the test tells it to. */
class FakeGateway {
  readonly attaches: { sid: string; afterSeq: number | undefined }[] = [];
  readonly detaches: string[] = [];
  readonly link: GatewayLink;
  readonly #server;
  readonly #end: () => void;

  constructor() {
    const [client, server] = createTransportPair();
    this.#server = createServer(createPeer(server), gatewayContract);
    this.#server.handle('session.attach', ({ sid: attached, afterSeq }) => {
      this.attaches.push({ sid: attached, afterSeq });
      return { session: { ...summary, sid: attached }, lastSeq: 9 };
    });
    this.#server.handle('session.detach', ({ sid: detached }) => {
      this.detaches.push(detached);
      return { ok: true as const };
    });
    this.#end = () => server.close();
    this.link = {
      client: createClient(createPeer(client), gatewayContract),
      ready: new Promise(() => undefined),
      closed: client.closed,
      pid: undefined,
      kill: () => client.close(),
      close: () => client.close(),
      pause: () => undefined,
      resume: () => undefined,
    };
  }

  send(eventSid: string, event: SessionEvent): void {
    this.#server.notify('session.event', { sid: eventSid, ...event });
  }

  /** The gateway dies. */
  die(): void {
    this.#end();
  }
}

const output = (seq: number, data: string): SessionEvent => ({
  seq,
  time: 0,
  type: 'output',
  data,
});

/** A listener that applies events in order and remembers what it saw. */
function recorder(fromSeq: number) {
  const seen: SessionEvent[] = [];
  const failures: string[] = [];
  let lastSeq = fromSeq;
  const listener: SessionEventListener = {
    lastSeq: () => lastSeq,
    event: (event) => {
      if (event.seq !== lastSeq + 1) return;
      lastSeq = event.seq;
      seen.push(event);
    },
    failed: (message) => failures.push(message),
  };
  return { listener, seen, failures };
}

function setup(maxRestarts?: number) {
  const gateways: FakeGateway[] = [];
  const context: CliContext = { env: {}, cwd: '/work', breadcrumb: () => undefined };
  const shared = new SharedGateway({
    context,
    open: () => {
      const gateway = new FakeGateway();
      gateways.push(gateway);
      return Promise.resolve(gateway.link);
    },
    ...(maxRestarts === undefined ? {} : { maxRestarts }),
  });
  return { shared, gateways };
}

describe('SharedGateway', () => {
  test('one gateway for every caller; events reach the listeners of their session only', async () => {
    const { shared, gateways } = setup();
    const first = recorder(3);
    const second = recorder(3);
    const elsewhere = recorder(-1);
    const followed = shared.follow(sid, first.listener);
    shared.follow(sid, second.listener);
    shared.follow(other, elsewhere.listener);
    expect(await followed.attached).toMatchObject({ session: { sid }, lastSeq: 9 });
    await vi.waitFor(() => expect(gateways[0]?.attaches).toHaveLength(3));
    expect(gateways).toHaveLength(1);

    gateways[0]?.send(sid, output(4, 'a'));
    await vi.waitFor(() => expect(first.seen).toHaveLength(1));
    expect(second.seen).toEqual(first.seen);
    expect(elsewhere.seen).toEqual([]);
  });

  test('a gateway that dies is replaced once, and each session attached again from the oldest event still needed', async () => {
    const { shared, gateways } = setup();
    const behind = recorder(3);
    const ahead = recorder(6);
    shared.follow(sid, behind.listener);
    await shared.follow(sid, ahead.listener).attached;
    gateways[0]?.die();
    await vi.waitFor(() => expect(gateways[1]?.attaches).toEqual([{ sid, afterSeq: 3 }]));
    expect(gateways).toHaveLength(2);

    gateways[1]?.send(sid, output(4, 'b'));
    await vi.waitFor(() => expect(behind.seen.map((event) => event.seq)).toEqual([4]));
    expect(await shared.link()).toBe(gateways[1]?.link);
  });

  test('gateways that keep dying: listeners are told, with the count, once the restarts are spent', async () => {
    const { shared, gateways } = setup(1);
    const watcher = recorder(0);
    await shared.follow(sid, watcher.listener).attached;
    gateways[0]?.die();
    await vi.waitFor(() => expect(gateways[1]?.attaches).toHaveLength(1));
    // The attach succeeded, which proves the new gateway works: the budget starts again.
    gateways[1]?.die();
    await vi.waitFor(() => expect(gateways[2]?.attaches).toHaveLength(1));
    expect(watcher.failures).toEqual([]);

    const { shared: fragile, gateways: dying } = setup(0);
    const lost = recorder(0);
    await fragile.follow(sid, lost.listener).attached;
    dying[0]?.die();
    await vi.waitFor(() =>
      expect(lost.failures).toEqual([
        expect.stringMatching(/^the gateway exited once \(last: eof\)/),
      ]),
    );
    expect(dying).toHaveLength(1);
  });

  test('the last listener of a session to stop detaches it', async () => {
    const { shared, gateways } = setup();
    const first = shared.follow(sid, recorder(0).listener);
    const second = shared.follow(sid, recorder(0).listener);
    await Promise.all([first.attached, second.attached]);
    first.stop();
    first.stop();
    await shared.call((link) => link.client.call('session.list', {}).catch(() => undefined));
    expect(gateways[0]?.detaches).toEqual([]);
    second.stop();
    await vi.waitFor(() => expect(gateways[0]?.detaches).toEqual([sid]));
  });
});
