/**
 * Turns one stream of raw program output into display lines: safe to print (hostile escape
 * sequences removed) and final (carriage returns and erases already applied).
 */
export interface OutputLines {
  /** Adds raw output; returns the lines it completed. */
  push(data: string): string[];
  /** Ends the stream: returns the unfinished last line, if it has visible content. */
  end(): string[];
  /** The line being written now, as it would show. */
  readonly partial: string;
}

/** Makes a fresh {@link OutputLines} for each run (and for output between runs). */
export type OutputLinesFactory = () => OutputLines;

/** Columns and rows of the session's terminal. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The last lines of those some output completed, and how many came before them. */
export interface KeptLines {
  lines: string[];
  /** Lines completed before {@link lines}, counted rather than made. */
  dropped: number;
}

/**
 * The output of one run as its terminal shows it: the lines it hands out are those that left the
 * screen (scrolled off, or left on it at the end); the rest is still being drawn.
 */
export interface RunLines extends OutputLines {
  /**
   * {@link OutputLines.push}, handing out the last `keep` of the lines it completes only: the
   * others are counted, not made, so that a flood of lines no one is shown costs less.
   */
  pushKeeping(data: string, keep: number): KeptLines;
  /** The terminal took a new size. */
  resize(size: TerminalSize): void;
  /**
   * The screen's rows as they show now, down to the last one that shows something, or with
   * `throughCursor` down to the cursor's, which then ends at the cursor at least.
   */
  rows(throughCursor?: boolean): string[];
  /**
   * For each of the screen's first `count` rows (those {@link rows} gave): whether the line it
   * shows goes on on the next row (the terminal wrapped it there, at the screen's last column).
   */
  rowsContinued?(count: number): boolean[];
  /**
   * How many of the rows at the top of the screen are the end of a line handed out already (its
   * start scrolled off, and it ended above the cursor): shown with it in the transcript, they are
   * left out of the screen shown.
   */
  rowsHandedOutAtTop?(): number;
  /** Where the cursor is now: its row on the screen and its column (cells from the left). */
  cursor?(): { row: number; column: number };
  /** Whether the program hid the cursor (DECTCEM, `\e[?25l`) and has not shown it again. */
  cursorHidden?(): boolean;
  /**
   * The output that comes next erases the whole screen (`CSI 2 J`), which takes the lines it shows
   * off it: hands them out first, as a terminal that keeps an erased screen in its scrollback
   * (tmux, kitty, GNOME Terminal) keeps them. Nothing while the alternate screen shows.
   */
  erasing?(): string[];
  /** Whether the program draws on the alternate screen now (what it erases there is not the transcript's). */
  showsAlternateScreen?(): boolean;
  /**
   * Scrolls the rows above the cursor's off the screen, handing them out as lines (rows the user saw
   * on the terminal itself, or that a shell left above the prompt it drew again): the screen goes
   * on from the cursor's row at its top, or from the lowest `rowsKept` rows above it. Hands out
   * nothing while the program draws on the alternate screen or in a scroll region.
   */
  scrollToCursorRow?(rowsKept?: number): string[];
}

/** What a {@link RunLines} is made for. */
export interface RunLinesOptions {
  /**
   * The screen of a shell's line editor (its prompt and the line being edited): rows that scroll
   * off only as it comes back down over rows it moved the cursor above the screen's top for (a
   * line taller than the screen, drawn again from its start at each change, as fish does) are the
   * line drawn again, not handed out. @default false
   */
  lineEditor?: boolean;
  /**
   * Code units of a line that wrapped over many rows without ending after which it is handed out
   * as it is, the rest following as the next line: bounds the memory one line holds. A view that
   * prints every line once and keeps none (a replay) can take far longer ones.
   * @default 65536
   */
  longestLine?: number;
  /**
   * A line longer than {@link longestLine} keeps its start and ends with `… +N columns` (those
   * left out, counted as the rows they took), as a line of the line model past its bound does,
   * instead of going on as the next line. @default false
   */
  cutLongLines?: boolean;
}

/** Makes the {@link RunLines} of each run (or of the line editor), on a terminal of `size`. */
export type RunLinesFactory = (size: TerminalSize, options?: RunLinesOptions) => RunLines;

/**
 * A line model used as the screen of a run: one row, the line being written (for views of a run
 * that keep no screen, such as tests of the fold).
 */
export function lineModelScreen(createLines: OutputLinesFactory): RunLinesFactory {
  return () => {
    const lines = createLines();
    return {
      push: (data) => lines.push(data),
      pushKeeping: (data, keep) => {
        const all = lines.push(data);
        const dropped = Math.max(0, all.length - keep);
        return { lines: dropped > 0 ? all.slice(dropped) : all, dropped };
      },
      end: () => lines.end(),
      get partial() {
        return lines.partial;
      },
      resize: () => undefined,
      rows: () => (lines.partial === '' ? [] : [lines.partial]),
    };
  };
}
