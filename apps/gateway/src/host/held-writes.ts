import type { Writable } from 'node:stream';

/**
 * Holds what is written to `output` (a connection's socket) until the returned release is called;
 * it then goes out at the end of that event-loop turn, with what the turn writes, in one write.
 * A stream counts its corks, so this composes with the transport's own batching of each turn's
 * frames. The release is idempotent, and does nothing to a stream destroyed meanwhile.
 */
export function holdWrites(output: Writable): () => void {
  output.cork();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    setImmediate(() => {
      if (!output.destroyed) output.uncork();
    });
  };
}
