import { controlSequence, rowsErased } from '../terminal-sequences.js';
import type { DrawnFrame } from './drawn-frame.js';

/**
 * How the renderer clears the whole terminal, its scrollback too, before drawing a frame as tall as
 * the screen (Lifeline's own clears put the cursor home first).
 */
const rendererClearsTerminal = '\x1b[2J\x1b[3J\x1b[H';

/**
 * `stream` as the renderer is given it: what it writes goes on to the terminal and is followed by
 * `frame`; a frame that came out as tall as the screen (a terminal just made much narrower) has
 * the renderer clear the screen before the next, but never the scrollback, which holds the
 * transcript and what was there before Lifeline. Everything else is the stream's own.
 */
export function rendererStream<Stream extends NodeJS.WriteStream>(
  stream: Stream,
  frame: DrawnFrame,
): Stream {
  const write = (data: unknown, ...rest: unknown[]): boolean => {
    const text =
      typeof data === 'string' && data.startsWith(rendererClearsTerminal)
        ? rowsErased(1, stream.rows || 24) +
          controlSequence('1;1', 'H') +
          data.slice(rendererClearsTerminal.length)
        : data;
    if (typeof text === 'string') frame.wrote(text);
    return (stream.write as (...args: unknown[]) => boolean)(text, ...rest);
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}
