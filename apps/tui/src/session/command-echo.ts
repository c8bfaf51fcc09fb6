import { bracketedPasteOn } from '../terminal-sequences.js';

const sgr = /\x1b\[[0-9;:]*m/g;
// Bracketed paste switched on: a line editor (bash, zsh, fish) starting to read a line.
const lineEditorStart = bracketedPasteOn;
// A multi-line command is saved as `<session dir>/scripts/<uuid>.sh` and sourced by the session
// host with `. '<path>'` (`source '<path>'` in fish), the path quoted for the shell.
const sourcingLine =
  /(?:^|\s)(?:\.|source) '(?:[^']|'\\'')*\/scripts\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.sh'$/;

/**
 * True when a display line is the shell echoing the line the session host typed to run `command`
 * (after its prompt, if it printed one on the same line): the command itself when it is one line,
 * the line sourcing the script it was saved to when it spans several. Runs of spaces count as one:
 * a line editor that draws each word at its column past a prompt the run's output does not hold
 * (fish) leaves gaps where the prompt would be.
 */
export function isCommandEcho(line: string, command: string): boolean {
  const visible = line.replace(sgr, '').trimEnd();
  if (/[\r\n]/.test(command)) return sourcingLine.test(visible);
  const typed = singleSpaced(command.trim());
  return typed.length > 0 && singleSpaced(visible).endsWith(typed);
}

function singleSpaced(text: string): string {
  return text.replace(/ {2,}/g, ' ');
}

/** Options of {@link CommandEchoFilter}. */
export interface CommandEchoFilterOptions {
  /**
   * Whether the shell had shown its prompt when the command was typed; `undefined` when unknown.
   * Typed before it, the command is echoed twice. @default undefined
   */
  promptShown?: boolean | undefined;
}

/**
 * Recognises the shell's echo of the typed command line among the first lines of a run's output.
 * The first line is the echo when it matches ({@link isCommandEcho}). A second matching line is an
 * echo only when it is the line editor redrawing input typed ahead of it (the terminal echoed the
 * line once, then the line editor started, drew its prompt and the line again): known when the
 * prompt had not been shown before the run, or seen when the line editor starts after the first
 * echo. Any other line ends the search: program output that happens to end with the command (the
 * shell's `history`, say) is kept.
 */
export class CommandEchoFilter {
  private readonly command: string;
  private readonly promptShown: boolean | undefined;
  private deciding = true;
  /** Lines checked so far. */
  private checked = 0;
  /** Raw lines seen so far (newlines observed). */
  private rawLines = 0;
  /** The end of the raw line being observed, in case the line editor's sequence is split. */
  private rawTail = '';
  /** The raw line in which the line editor started after the first line, if it did. */
  private lineEditorLine: number | undefined;

  constructor(command: string, options: CommandEchoFilterOptions = {}) {
    this.command = command;
    this.promptShown = options.promptShown;
  }

  /** Whether leading lines are still being checked. */
  isDeciding(): boolean {
    return this.deciding;
  }

  /** Longest first line held back while it might still turn out to be the echo. */
  get holdLimit(): number {
    return 4096 + 4 * this.command.length;
  }

  /** Takes note of raw output before its lines are checked. */
  observe(raw: string): void {
    if (!this.deciding || this.lineEditorLine !== undefined) return;
    const segments = (this.rawTail + raw).split('\n');
    for (const [index, segment] of segments.entries()) {
      const line = this.rawLines + index;
      if (line >= 1 && segment.includes(lineEditorStart)) {
        this.lineEditorLine = line;
        break;
      }
    }
    this.rawLines += segments.length - 1;
    this.rawTail = (segments.at(-1) ?? '').slice(-(lineEditorStart.length - 1));
  }

  /** Whether `line` (the next line of the run's output) is an echo; the first line that is not ends the search. */
  isEcho(line: string): boolean {
    if (!this.deciding) return false;
    const index = this.checked;
    this.checked += 1;
    const echo = isCommandEcho(line, this.command) && (index === 0 || this.isRedraw(index));
    // A shown prompt means the line editor was reading: it alone echoed the line, once.
    if (!echo || index > 0 || this.promptShown === true) this.stop();
    return echo;
  }

  /** Stops checking: every line from now on is output. */
  stop(): void {
    this.deciding = false;
  }

  private isRedraw(index: number): boolean {
    return (
      this.promptShown === false ||
      (this.lineEditorLine !== undefined && this.lineEditorLine <= index)
    );
  }
}

// Bracketed paste switched off: a line editor (bash ≥ 5.1, zsh, fish) accepting the line it read.
const lineEditorEnd = '\x1b[?2004l';
// Drawing in place before a line ends: a backspace, a cursor move or erase, a carriage return that
// does not end the line. A terminal's own echo of typed input has none of it; a line editor
// drawing a line wider than the terminal (zsh, fish) does.
const drawnInPlace = /\x08|\x1b\[[0-9;]*[A-HJK]|\r(?!$)/;
// What a terminal shows nothing of: escape sequences (CSI, OSC, charset and keypad switches).
const invisible =
  /\x1b\[[0-9;?:]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]/g;

/** What {@link AcceptedLineCut.push} hands on. */
export interface AcceptedLineStep {
  /** Raw output to go on with (empty while it is held). */
  readonly text: string;
  /** Set once the line editor's echo was found and cut off: every line from here on is output. */
  readonly cut: boolean;
}

/**
 * Cuts the line editor's drawing of a typed command line off the start of a run's raw output. A
 * line editor that reads with bracketed paste on switches it off as it accepts the line, so all
 * it drew before that is the echo, however it drew it: wrapped at the terminal's edge by moving
 * back over the row (zsh), redrawn in colour at the columns it moved to (fish). Lines laid out
 * without the terminal's width cannot be told from output there; raw output up to that switch can.
 * The rest of the echo's last row goes with it (zsh ends the line after the switch).
 *
 * Output is held while it may be such a drawing: until the switch, or until a line ends that was
 * not drawn in place (a terminal's echo of input typed ahead, a shell without bracketed paste:
 * {@link CommandEchoFilter} tells those lines apart), or until more than `holdLimit` characters
 * wait.
 */
export class AcceptedLineCut {
  readonly #holdLimit: number;
  #held = '';
  #state: 'holding' | 'ending-row' | 'done' = 'holding';

  /** @param holdLimit most characters held (see {@link CommandEchoFilter.holdLimit}) */
  constructor(holdLimit: number) {
    this.#holdLimit = holdLimit;
  }

  /** Takes the next piece of raw output. */
  push(raw: string): AcceptedLineStep {
    if (this.#state === 'ending-row') return { text: this.#endRow(raw), cut: false };
    if (this.#state === 'done') return { text: raw, cut: false };
    this.#held += raw;
    const end = this.#held.indexOf(lineEditorEnd);
    if (end !== -1) {
      const echo = this.#held.slice(0, end);
      const rest = this.#held.slice(end + lineEditorEnd.length);
      this.#held = '';
      const onFreshLine = /\n\r*$/.test(echo.replace(invisible, ''));
      this.#state = onFreshLine ? 'done' : 'ending-row';
      return { text: onFreshLine ? rest : this.#endRow(rest), cut: true };
    }
    const newline = this.#held.indexOf('\n');
    const typedEcho = newline !== -1 && !drawnInPlace.test(this.#held.slice(0, newline));
    if (typedEcho || this.#held.length > this.#holdLimit) return { text: this.end(), cut: false };
    return { text: '', cut: false };
  }

  /** Ends the holding: what is held, to go on with. */
  end(): string {
    if (this.#state === 'holding') this.#state = 'done';
    const held = this.#held;
    this.#held = '';
    return held;
  }

  /**
   * Drops what ends the echo's row, up to anything else: carriage returns and its line feed, or a
   * move one row down (zsh's, past the row its ended history search drew its status on).
   */
  #endRow(raw: string): string {
    const text = this.#held + raw;
    this.#held = '';
    // The start of a move down, cut off: its rest comes next.
    if (/^\r*\x1b(?:\[1?)?$/.test(text)) {
      this.#held = text;
      return '';
    }
    const ending = /^\r*(?:\n|\x1b\[1?B)?/.exec(text)?.[0] ?? '';
    if (/[\nB]$/.test(ending) || ending.length < text.length) this.#state = 'done';
    return text.slice(ending.length);
  }
}
