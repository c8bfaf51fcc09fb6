import { autowrapOn, controlSequence, rowsErased, unwrapped } from '../terminal-sequences.js';
import { ContinuedFrameRows, joinContinuedRows } from './continued-frame-rows.js';
import type { ConfirmedSize } from './confirmed-size.js';
import type { DrawnFrame } from './drawn-frame.js';
import type { WriteBatch } from './write-batch.js';
import { erasedFromRowsAbove, erasesAsOneMove, rendererErase } from './frame-hold.js';

/**
 * How the renderer clears the whole terminal, its scrollback too, before drawing a frame as tall as
 * the screen (Lifeline's own clears put the cursor home first).
 */
const rendererClearsTerminal = '\x1b[2J\x1b[3J\x1b[H';

/** What the renderer writes to erase the frame it drew last, and nothing else (its `clear`). */
const rendererErasesFrame = /^(?:\x1b\[2K\x1b\[1A)*\x1b\[2K\x1b\[G$/;

/**
 * `stream` as the renderer is given it: what it writes goes on to the terminal and is followed by
 * `frame`; a frame that came out as tall as the screen (a terminal just made much narrower or
 * lower, drawn before the app lays it out again) has the renderer clear the screen before the
 * next, but never the scrollback, which holds the transcript and what was there before Lifeline;
 * and of that next frame, only the lines the screen can hold are drawn, so that none scrolls into
 * the scrollback. The frame is drawn with the terminal's line wrapping off, the transcript's text
 * (see `wrapping`) with it on. Frames drawn once the terminal has taken a new size, before the TUI
 * has heard of it, are held until it has (see `FrameHold.take`). `before` goes out with the
 * renderer's first write, in front of it (what erases a frame drawn before the renderer's, so that
 * the terminal never shows neither). The renderer erases its frame when the terminal gets narrower:
 * while `programScreenShown` (a full-screen program has the terminal, on its own screen), that
 * erase waits, and goes out in front of the renderer's first write once the program's screen is
 * gone, to the screen the frame is on. With `size`, the stream's size and its `resize` events are
 * those of the size the TUI draws at (see {@link ConfirmedSize}). With `batch`, what it writes in
 * one turn of the event loop goes to the terminal in one write (see {@link WriteBatch}). Everything
 * else is the stream's own.
 */
export function rendererStream<Stream extends NodeJS.WriteStream>(
  stream: Stream,
  frame: DrawnFrame,
  before = '',
  programScreenShown: () => boolean = () => false,
  continued: ContinuedFrameRows = new ContinuedFrameRows(),
  size?: ConfirmedSize,
  batch?: WriteBatch,
): Stream {
  const columnsNow = () => (size ? size.columns : stream.columns);
  const rowsNow = () => (size ? size.rows : stream.rows);
  let unwritten = before;
  /** The renderer's erase of its frame, written while a program's screen was shown: it waits. */
  let eraseUnderProgram = '';
  const write = (data: unknown, ...rest: unknown[]): boolean => {
    const rows = rowsNow() || 24;
    const text =
      typeof data === 'string' && data.startsWith(rendererClearsTerminal)
        ? rendererClearsTerminal + lastLines(data.slice(rendererClearsTerminal.length), rows - 1)
        : data;
    if (typeof text !== 'string')
      return (stream.write as (...args: unknown[]) => boolean)(text, ...rest);
    let drawn = text;
    if (programScreenShown()) {
      // The program's screen has no frame of the renderer's, which forgets its frame as it erases
      // it: the frame's rows are left on the other screen.
      if (rendererErasesFrame.test(text)) {
        eraseUnderProgram ||= text;
        return true;
      }
    } else {
      drawn = eraseUnderProgram + text;
      eraseUnderProgram = '';
    }
    const shown = frame.hold.take(drawn);
    return shown === undefined ? true : forward(shown, ...rest);
  };
  const forward = (data: string, ...rest: unknown[]): boolean => {
    const columns = columnsNow() || 80;
    const rows = rowsNow() || 24;
    const above = frame.rowsAboveCursor(columns, rows);
    const text = withScreenErased(data, above, rows);
    // The transcript's text wraps; the rest is the frame's, drawn with wrapping off but across the
    // rows of a line a command's terminal wrapped.
    const transcript =
      text === '' || text.slice(rendererErase.exec(text)?.[0].length ?? 0).startsWith(autowrapOn);
    const drawn = transcript ? text : joinContinuedRows(text, continued.rows, columns);
    frame.wrote(drawn, columns, rows, transcript);
    const written = transcript ? drawn : unwrapped(drawn);
    const first = unwritten;
    unwritten = '';
    batch?.open();
    return (stream.write as (...args: unknown[]) => boolean)(
      first + erasesAsOneMove(written, rows, above),
      ...rest,
    );
  };
  frame.hold.writesTo(
    (text) => forward(text),
    () => sizeChangedUnheard(stream),
  );
  const sizeEvents = size && resizeListening(size);
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      if (size && property === 'columns') return size.columns;
      if (size && property === 'rows') return size.rows;
      const onSize = sizeEvents?.(property, target);
      if (onSize) return onSize;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/**
 * For a stream's method `property` that adds or removes a listener, one that does so on `size` for
 * the `resize` event, and on `target` for the others.
 */
function resizeListening(size: ConfirmedSize) {
  const adding = new Set<string | symbol>(['on', 'addListener']);
  const removing = new Set<string | symbol>(['off', 'removeListener']);
  return (property: string | symbol, target: NodeJS.WriteStream) => {
    if (!adding.has(property) && !removing.has(property)) return undefined;
    const method = Reflect.get(target, property, target) as (
      event: string | symbol,
      listener: () => void,
    ) => NodeJS.WriteStream;
    return (event: string | symbol, listener: () => void) => {
      if (event !== 'resize') return method.call(target, event, listener);
      if (adding.has(property)) size.on(listener);
      else size.off(listener);
      return target;
    };
  };
}

/**
 * `text` with the renderer's clear of the terminal (after its erase of its frame, if any: the clear
 * takes that too) as an erase of the screen, `rows` high, that leaves the cursor on its first row:
 * a move up from the cursor's row where the TUI knows how many rows are above it (`above`, before
 * `text`), so that a terminal made taller again before it reads this (tmux pulls rows back out of
 * its scrollback above the ones the TUI drew) keeps the rows it pulled back; from the screen's top
 * where it does not.
 */
function withScreenErased(text: string, above: number | undefined, rows: number): string {
  const erase = rendererErase.exec(text)?.[0].length ?? 0;
  if (!text.startsWith(rendererClearsTerminal, erase)) return text;
  const erased =
    above === undefined
      ? rowsErased(1, rows) + controlSequence('1;1', 'H')
      : erasedFromRowsAbove(above);
  return erased + text.slice(erase + rendererClearsTerminal.length);
}

/**
 * Whether the terminal has a size other than the one `stream` says: the kernel has it as soon as
 * the terminal changes it (tmux, the moment it wraps its lines again), while the stream hears of it
 * with the `resize` event, a moment later.
 */
function sizeChangedUnheard(stream: NodeJS.WriteStream): boolean {
  const handle = (stream as { _handle?: { getWindowSize?: (size: number[]) => number } })._handle;
  const size: number[] = [];
  if (typeof handle?.getWindowSize !== 'function' || handle.getWindowSize(size) !== 0) return false;
  return size[0] !== stream.columns || size[1] !== stream.rows;
}

/** The last `count` lines of `text` (lines ending in a line end), and what follows its last line end. */
function lastLines(text: string, count: number): string {
  let start = text.length;
  for (let found = 0; found <= count; found += 1) {
    start = text.lastIndexOf('\n', start - 1);
    if (start === -1) return text;
  }
  return text.slice(start + 1);
}
