import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { ConfirmedSize } from './confirmed-size.js';
import { DrawnFrame } from './drawn-frame.js';
import { erasesAsOneMove } from './frame-hold.js';
import { unwrapped, wrapping } from '../terminal-sequences.js';
import { rendererStream } from './renderer-stream.js';

/** A stream standing for a terminal 3 rows high, and everything written to it. */
function terminal() {
  const written: string[] = [];
  const stream = Object.assign(new PassThrough(), { rows: 3, columns: 20 });
  stream.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

test('a clear of the whole terminal by the renderer erases the screen row by row, never the scrollback', async () => {
  const { stream, written } = terminal();
  const renderer = rendererStream(stream, new DrawnFrame());
  renderer.write('\x1b[2J\x1b[3J\x1b[Hheader\nprompt$ ');
  // Lifeline's own clear (`clear` run in the session, printed with the transcript) still clears
  // the scrollback.
  renderer.write(wrapping('\x1b[H\x1b[2J\x1b[3Jafter\n'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.join('')).toBe(
    unwrapped('\x1b[1;1H\x1b[2K\x1b[2;1H\x1b[2K\x1b[3;1H\x1b[2K\x1b[1;1Hheader\nprompt$ ') +
      wrapping('\x1b[H\x1b[2J\x1b[3Jafter\n'),
  );
  // The rest of the stream is its own.
  expect(renderer.columns).toBe(20);
});

test('drawing for a lower screen, the renderer erases no higher than its first row, up from the cursor: a terminal made as tall again before it reads that keeps the rows above', async () => {
  const { stream, written } = terminal();
  Object.assign(stream, { rows: 5 });
  const renderer = rendererStream(stream, new DrawnFrame());
  // A frame of four lines fills the screen 5 rows high: the cursor rests on its last row.
  renderer.write('one\ntwo\nthree\nfour\n');
  Object.assign(stream, { rows: 3 });
  // Laid out for 5 rows, the renderer erases the four lines it drew: the screen has 2 rows above
  // the cursor now.
  renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gtwo\n');
  // Its clear of the terminal, the cursor on the second row: one row up, not the screen's first.
  renderer.write('\x1b[2J\x1b[3J\x1b[Hthree\nfour\nfive\n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.slice(1).join('')).toBe(
    unwrapped('\x1b[2A\x1b[2G\x1b[J\x1b[G\x1b[Ktwo\n') +
      unwrapped('\x1b[1A\x1b[2G\x1b[J\x1b[G\x1b[Kfour\nfive\n'),
  );
});

test('after a change of size with rows under the cursor, the renderer’s erase goes up as far as the screen allows: the rows above the cursor are not known', async () => {
  const { stream, written } = terminal();
  Object.assign(stream, { rows: 6 });
  const renderer = rendererStream(stream, new DrawnFrame());
  // After a clear, three lines from the top: three rows above the cursor, two under it.
  renderer.write('\x1b[2J\x1b[3J\x1b[Hone\ntwo\nthree\n');
  // Made lower and narrower: the terminal took the empty rows under the cursor, which is now on
  // the last row, three rows under the first.
  Object.assign(stream, { rows: 4, columns: 10 });
  renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gfour\n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.at(-1)).toBe(unwrapped('\x1b[3A\x1b[2G\x1b[J\x1b[G\x1b[Kfour\n'));
});

test('what the renderer writes is followed as its frame', () => {
  const { stream } = terminal();
  const frame = new DrawnFrame();
  rendererStream(stream, frame).write('\x1b[2K\x1b[Gheader · ready\nprompt$ \n');
  frame.terminalResized(7, 24, true);
  expect(frame.takeResize(7)).toMatchObject({ rowsDrawn: 2, rewrappedRows: 2 + 2, rowsNow: 2 });
});

test('a frame drawn after such a clear is cut to the rows the screen has: none scrolls into the scrollback', async () => {
  const { stream, written } = terminal();
  const renderer = rendererStream(stream, new DrawnFrame());
  renderer.write('\x1b[2J\x1b[3J\x1b[Hrow 1\nrow 2\nrow 3\nheader\nprompt$ \n\x1b[?25h');
  await new Promise((resolve) => setImmediate(resolve));
  // Three rows: two lines of the frame, and the row the cursor rests on.
  expect(written.join('')).toBe(
    unwrapped(
      '\x1b[1;1H\x1b[2K\x1b[2;1H\x1b[2K\x1b[3;1H\x1b[2K\x1b[1;1Hheader\nprompt$ \n\x1b[?25h',
    ),
  );
});

test('the frame is drawn with line wrapping off and on again after it; the transcript wraps', async () => {
  const { stream, written } = terminal();
  const renderer = rendererStream(stream, new DrawnFrame());
  renderer.write(wrapping(`${'x'.repeat(30)}\n`));
  renderer.write('header\nprompt$ \n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written).toEqual([`\x1b[?7h${'x'.repeat(30)}\n`, '\x1b[?7lheader\nprompt$ \n\x1b[?7h']);
});

test('a frame drawn after the terminal took a new size, before the TUI heard of it, waits for the news and is not drawn', async () => {
  const { stream, written } = terminal();
  // The size the kernel has for the terminal: it changes before the stream's `resize` event.
  let kernelSize = [20, 3];
  Object.assign(stream, {
    _handle: {
      getWindowSize: (size: number[]) => {
        size.push(...kernelSize);
        return 0;
      },
    },
  });
  const frame = new DrawnFrame();
  const renderer = rendererStream(stream, frame);
  renderer.write('header\nprompt$ \n');
  kernelSize = [12, 3];
  renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gheader 2\nprompt$ \n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written).toEqual([unwrapped('header\nprompt$ \n')]);
  expect(frame.hold.holding).toBe(true);
  // The news comes: the frame held is dropped, and the next one erases the frame on the screen.
  Object.assign(stream, { columns: 12 });
  frame.terminalResized(12, 3, true);
  expect(frame.hold.holding).toBe(false);
  renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gheader 3\nprompt$ \n');
  await new Promise((resolve) => setImmediate(resolve));
  // The terminal gets the erase as one move up (see erasesAsOneMove).
  expect(written.at(-1)).toBe(
    erasesAsOneMove(unwrapped('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gheader 3\nprompt$ \n')),
  );
  expect(written.at(-1)).toContain('\x1b[2A\x1b[2G\x1b[J\x1b[G\x1b[K');
});

test('what erases the frame drawn before the renderer goes out in one write with its first frame, and only then', async () => {
  const { stream, written } = terminal();
  const erase = '\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G';
  const renderer = rendererStream(stream, new DrawnFrame(), erase);
  // Nothing is erased before the renderer has a frame to put in its place.
  await new Promise((resolve) => setImmediate(resolve));
  expect(written).toEqual([]);
  renderer.write('header\nprompt$ \n');
  renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[Gheader\nprompt$ ls\n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written[0]).toBe(erase + unwrapped('header\nprompt$ \n'));
  expect(written.join('').split(erase)).toHaveLength(2);
});

test('the renderer’s erase of its frame while a program’s screen is shown goes out with its first write after, to the screen the frame is on', async () => {
  const { stream, written } = terminal();
  let programScreen = true;
  const renderer = rendererStream(stream, new DrawnFrame(), '', () => programScreen);
  const erase = '\x1b[2K\x1b[1A\x1b[2K\x1b[G';
  renderer.write(erase);
  // Only the first: once it erased, the renderer has no frame left to erase.
  renderer.write('\x1b[2K\x1b[G');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.join('')).toBe('');
  programScreen = false;
  renderer.write('header\nprompt$ \n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.join('')).toBe(erasesAsOneMove(unwrapped(`${erase}header\nprompt$ \n`)));
  renderer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gheader\n');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.at(-1)).toBe(
    erasesAsOneMove(unwrapped('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gheader\n')),
  );
});

test('with a size that waits for the terminal to confirm a width, the renderer sees that size and its changes only', () => {
  const { stream } = terminal();
  let answerWidth: ((answer: { row: number; columns: number } | undefined) => void) | undefined;
  const size = new ConfirmedSize({
    stream,
    askWidth: (answer) => (answerWidth = answer),
    askHeight: (answer) => {
      answer(undefined);
    },
    answerWaitMs: 400,
    confirms: () => true,
    waiting: () => undefined,
    unchanged: () => undefined,
  });
  const renderer = rendererStream(stream, new DrawnFrame(), '', () => false, undefined, size);
  const heard: number[] = [];
  const listener = () => heard.push(renderer.columns);
  renderer.on('resize', listener);
  Object.assign(stream, { columns: 12 });
  stream.emit('resize');
  // Told of 12 columns: the renderer lays out at 20 until the terminal says it has 12.
  expect(renderer.columns).toBe(20);
  expect(heard).toEqual([]);
  answerWidth?.({ row: 3, columns: 12 });
  expect(heard).toEqual([12]);
  renderer.off('resize', listener);
  Object.assign(stream, { columns: 30 });
  stream.emit('resize');
  answerWidth?.({ row: 3, columns: 30 });
  expect(heard).toEqual([12]);
  expect(renderer.columns).toBe(30);
});
