import { autowrapOn } from '../terminal-sequences.js';

/**
 * How long frames are held after the screen was drawn again at a new width: tmux tells a program
 * of a new size at most every 250 ms, however fast a window's edge is dragged (and wraps its lines
 * again at once), so a change it has not told of yet comes within that time.
 */
export const settleMs = 300;

/** How the renderer erases its last frame before it draws the next: `count` rows, bottom up. */
export const rendererErase = /^(?:\x1b\[2K\x1b\[1A)*\x1b\[2K\x1b\[G/;

/** Every erase of the renderer's that takes more than the cursor's row (see {@link rendererErase}). */
const rendererErasesUp = /(?:\x1b\[2K\x1b\[1A)+\x1b\[2K\x1b\[G/g;

/**
 * `text` as the terminal is to get it, drawn for a screen `rows` high: each of the renderer's
 * erases of several rows (see {@link rendererErase}) as one move up, then an erase of the screen
 * from there down (see {@link erasedFromRowsAbove}). A terminal that changes its width while it
 * reads a frame (tmux wraps its lines again at once, and reads what waits after) then moves the
 * rows of the erase up at one width or the other, never partly at each: the TUI can tell where it
 * went (see `LateWritesScreen`). Only rows under the cursor's are erased too, which the TUI leaves
 * empty. The move goes up no further than the screen's first row (a frame laid out for a taller
 * screen takes more rows than it has): `above` rows for an erase before the text's first line end
 * (the rows above the cursor, where the TUI knows them), `rows - 1` for any other. A terminal made
 * taller again before it read the text (tmux pulls rows back out of its scrollback above the
 * frame) keeps the rows it pulled back.
 */
export function erasesAsOneMove(
  text: string,
  rows = Number.POSITIVE_INFINITY,
  above = rows - 1,
): string {
  return text.replace(rendererErasesUp, (erase, at: number) => {
    const startsText = text.lastIndexOf('\n', at) === -1;
    const up = Math.min(erase.split('\x1b[1A').length - 1, startsText ? above : rows - 1);
    return erasedFromRowsAbove(up);
  });
}

/**
 * Moves the cursor `up` rows (to the first column) and erases the screen from there down: from the
 * second column, then the first (an erase from the screen's first cell pushes the screen into
 * tmux's scrollback). A move relative to the cursor, not to the screen's top: a terminal that got
 * taller or lower meanwhile keeps the cursor's rows at its bottom, and the rows above them.
 */
export function erasedFromRowsAbove(up: number): string {
  return `${up > 0 ? `\x1b[${up}A` : ''}\x1b[2G\x1b[J\x1b[G\x1b[K`;
}

/** How the renderer erases `count` rows, the cursor's and those above it (see {@link rendererErase}). */
function rowsErasedUp(count: number): string {
  return count > 0 ? `${'\x1b[2K\x1b[1A'.repeat(count - 1)}\x1b[2K\x1b[G` : '';
}

/**
 * Holds back the frames the renderer draws for a while after the TUI has drawn its screen again at
 * a new width. A terminal may change its width again before the TUI hears of it (tmux, while a
 * window's edge is dragged): it then wraps the frame on the screen again, and a frame drawn
 * meanwhile erases as many rows as the renderer drew, not as many as the terminal wrapped them
 * into, and leaves the rest above it, where the next line printed scrolls them into the scrollback
 * (a running command's lines, then shown twice, or counted as pushed there and left out). Held,
 * the frame on the screen is the one the TUI measures at the next change it hears of; the latest
 * is drawn once none came for {@link settleMs}. The transcript's text waits as well (see
 * {@link holding}): printed, it would scroll the screen.
 */
export class FrameHold {
  #timer: NodeJS.Timeout | undefined;
  /** The renderer's last frame while holding, without its erase ('' when it erased its frame). */
  #held: string | undefined;
  /** Rows the renderer erases to take the frame on the screen off it. */
  #shownRows = 0;
  /** Whether the renderer's next erase is to take off the frame on the screen (one held was not drawn). */
  #eraseShown = false;
  #write: ((text: string) => void) | undefined;
  #sizeChangedUnheard: () => boolean = () => false;
  #printWaiting: (() => boolean) | undefined;
  readonly #released = new Set<() => void>();

  /** Whether frames and the transcript's text wait. */
  get holding(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Where frames held are drawn once the hold ends; `sizeChangedUnheard` says whether the terminal
   * has a size the TUI has not heard of yet (its `resize` event comes a moment after the change).
   */
  writesTo(write: (text: string) => void, sizeChangedUnheard?: () => boolean): void {
    this.#write = write;
    if (sizeChangedUnheard) this.#sizeChangedUnheard = sizeChangedUnheard;
  }

  /**
   * Whether the transcript's text may be printed now: not while holding, nor while the terminal
   * has a size the TUI has not heard of. It has wrapped its lines again then, and the renderer's
   * erase of its frame as drawn would take other rows (those of the transcript it pulled back out
   * of its scrollback, made wider): a hold starts, and the text waits for the news with the frames.
   */
  mayPrint(): boolean {
    if (this.holding) return false;
    if (!this.#sizeChangedUnheard()) return true;
    this.start();
    return false;
  }

  /**
   * How the transcript's text that waited for the hold (see {@link holding}) is printed as it ends
   * of itself: through the renderer, which erases its frame first and draws its latest frame after
   * the text; `print` returns whether there was any. The frame held, drawn alone first, would show
   * the rows under that text without the text above them a moment: a terminal changing its size
   * then pushes those rows into its scrollback before the text, out of order.
   */
  printsWaitingText(print: () => boolean): void {
    this.#printWaiting = print;
  }

  /** Calls `listener` each time the hold ends of itself (not for a new size). */
  onRelease(listener: () => void): () => void {
    this.#released.add(listener);
    return () => {
      this.#released.delete(listener);
    };
  }

  /** Holds frames for `ms` from now (the screen was drawn again at a new width). */
  start(ms = settleMs): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#release();
    }, ms);
    this.#timer.unref();
  }

  /**
   * Stops holding at once, as the terminal gets a new size or is handed to a program: the frame
   * held is never drawn (the renderer draws another next), and the renderer's next erase takes off
   * the frame on the screen instead of the one it last drew.
   */
  stop(): void {
    if (this.#timer === undefined) return;
    if (this.#held !== undefined) this.#eraseShown = true;
    this.#endHold();
  }

  /**
   * Ends the hold at once and draws the frame held, if any: the TUI is leaving, and its last frame
   * (the line that says where the session went) stays on the terminal.
   */
  flush(): void {
    if (this.#timer !== undefined) this.#release();
  }

  /**
   * What the renderer writes (`text`), as it goes to the terminal; undefined while it is held.
   * Text printed through the renderer (which erases its frame first) ends the hold. A frame drawn
   * while the terminal has a size the TUI has not heard of yet (see {@link writesTo}) starts a
   * hold: laid out for the old size, it would be drawn at the new one. The news stops the hold
   * ({@link stop}); until it comes, the hold goes on (see {@link settleMs}).
   */
  take(text: string): string | undefined {
    const erase = rendererErase.exec(text)?.[0].length ?? 0;
    const endsLines = text.includes('\n');
    const drawsFrame = endsLines && !text.startsWith(autowrapOn);
    if (drawsFrame && !this.holding && this.#sizeChangedUnheard()) this.start();
    if (this.holding) {
      if (drawsFrame || (erase > 0 && erase === text.length)) {
        this.#held = text.slice(erase);
        return undefined;
      }
      if (!endsLines) return text;
      const erased = this.#held === undefined ? '' : rowsErasedUp(this.#shownRows);
      this.#endHold();
      if (erased !== '') this.#shownRows = 0;
      return erased + text;
    }
    if (this.#eraseShown && (erase > 0 || endsLines)) {
      this.#eraseShown = false;
      const erased = rowsErasedUp(this.#shownRows);
      const frame = text.slice(erase);
      this.#drawn(frame, drawsFrame, true);
      return erased + frame;
    }
    this.#drawn(text.slice(erase), drawsFrame, erase > 0);
    return text;
  }

  /** `frame` (what follows the erase, if any) goes to the terminal: it is the frame on the screen. */
  #drawn(frame: string, drawsFrame: boolean, erases: boolean): void {
    if (drawsFrame) this.#shownRows = frame.split('\n').length;
    else if (erases) this.#shownRows = 0;
  }

  #endHold(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held = undefined;
  }

  #release(): void {
    // The terminal took another size meanwhile, which the TUI has not heard of yet: drawn now, the
    // frame and the text waiting would be drawn for the old size.
    if (this.#sizeChangedUnheard()) {
      this.start();
      return;
    }
    const held = this.#held;
    this.#endHold();
    if (held !== undefined) {
      // The renderer's erase before the text takes off the frame on the screen, not the one held.
      this.#eraseShown = true;
      if (this.#printWaiting?.() !== true) {
        this.#eraseShown = false;
        const text = rowsErasedUp(this.#shownRows) + held;
        this.#shownRows = held === '' ? 0 : held.split('\n').length;
        this.#write?.(text);
      }
    }
    for (const listener of this.#released) listener();
  }
}
