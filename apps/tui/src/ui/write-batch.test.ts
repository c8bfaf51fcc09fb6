import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { ContinuedFrameRows } from './continued-frame-rows.js';
import { DrawnFrame } from './drawn-frame.js';
import { rendererStream } from './renderer-stream.js';
import { wrapping } from '../terminal-sequences.js';
import { WriteBatch } from './write-batch.js';

/** A terminal that records each write it gets: what one write of the process brings it. */
function terminal() {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => String(chunk)).join(''));
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

test('a frame, and the text printed above it right after (its erase, the text, the frame again), reach the terminal in one write, before the next piece of work', async () => {
  const { stream, writes } = terminal();
  const batch = new WriteBatch(stream);
  const renderer = rendererStream(
    stream,
    new DrawnFrame(),
    '',
    () => false,
    new ContinuedFrameRows(),
    undefined,
    batch,
  );
  // The app queues the printing of the text as the renderer is about to draw (its render callback).
  queueMicrotask(() => {
    renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G');
    renderer.write(wrapping('row-1\n'));
    // Written straight to the terminal, not through the renderer: in order all the same.
    stream.write('\x07');
    renderer.write('row-2\nrow-3\n⠋ make\n');
  });
  renderer.write('row-2\nrow-3\n⠋ make\n');
  expect(writes).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toHaveLength(1);
  expect(writes[0]).toContain(`row-2\nrow-3\n⠋ make\n`);
  expect(writes[0]?.indexOf('row-1')).toBeLessThan(writes[0]?.indexOf('\x07') ?? -1);
  expect(writes[0]?.lastIndexOf('⠋ make')).toBeGreaterThan(writes[0]?.indexOf('\x07') ?? -1);
  // The next piece of work is a write of its own.
  renderer.write('row-4\n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toHaveLength(2);
});

test('what waits is sent at once when asked (the terminal is restored, the process may exit)', () => {
  const { stream, writes } = terminal();
  const batch = new WriteBatch(stream);
  batch.open();
  stream.write('frame\n');
  expect(writes).toEqual([]);
  batch.send();
  expect(writes).toEqual(['frame\n']);
  batch.send();
  expect(writes).toEqual(['frame\n']);
});
