import { PassThrough } from 'node:stream';
import { createStreamTransport } from '@lifeline/transport';
import { createPeer, type Peer, type PeerOptions } from '../peer.js';

/** Two peers connected by a pair of in-memory byte streams carrying NDJSON. */
export function connectedPeers(
  leftOptions: PeerOptions = {},
  rightOptions: PeerOptions = {},
): { left: Peer; right: Peer } {
  const leftToRight = new PassThrough();
  const rightToLeft = new PassThrough();
  const left = createPeer(
    createStreamTransport({ input: rightToLeft, output: leftToRight }),
    leftOptions,
  );
  const right = createPeer(
    createStreamTransport({ input: leftToRight, output: rightToLeft }),
    rightOptions,
  );
  return { left, right };
}

/**
 * A peer driven by raw NDJSON lines: `send` writes a line exactly as given, `next` returns the
 * next parsed frame the peer wrote.
 */
export function rawPeer(options: PeerOptions = {}) {
  const toPeer = new PassThrough();
  const fromPeer = new PassThrough();
  const peer = createPeer(createStreamTransport({ input: toPeer, output: fromPeer }), options);
  const frames: unknown[] = [];
  const waiters: ((frame: unknown) => void)[] = [];
  let carry = '';
  fromPeer.setEncoding('utf8');
  fromPeer.on('data', (chunk: string) => {
    carry += chunk;
    let newline = carry.indexOf('\n');
    while (newline !== -1) {
      const frame: unknown = JSON.parse(carry.slice(0, newline));
      carry = carry.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(frame);
      else frames.push(frame);
      newline = carry.indexOf('\n');
    }
  });
  return {
    peer,
    send(line: string) {
      toPeer.write(`${line}\n`);
    },
    next(): Promise<unknown> {
      const frame = frames.shift();
      if (frame !== undefined) return Promise.resolve(frame);
      return new Promise((resolve) => waiters.push(resolve));
    },
    get unread() {
      return frames.length;
    },
  };
}
