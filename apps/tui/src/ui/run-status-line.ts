import { clipCommand, columnsOf, commandColumns } from './format.js';

/** What the TUI says about the keys while a command runs: the longest that fits is shown. */
export const runningHints: readonly [string, ...string[]] = [
  'keys go to the running command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands: /quit, /sessions…',
  'keys go to the command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands',
  'keys go to the command · Ctrl+C interrupts',
  'Ctrl+C interrupts · Ctrl+] commands',
  'Ctrl+C interrupts',
];

const separator = ' · ';
/** Columns of the command kept beside a hint, where the hint would otherwise cut it shorter. */
const commandColumnsBesideHint = 20;

/**
 * How the one row under a running command's screen fits `columns`: the spinner and a space, the
 * command, the time, the session's state (when given) and the longest of `hints` that leaves the
 * command whole, or at least its first {@link commandColumnsBesideHint} columns; none where even
 * the shortest does not. With a `note`, the note in place of the hints, and as much of the command
 * as it leaves room for. A column is left to spare, so that no terminal wraps the row.
 */
export function runStatusLayout({
  columns,
  command,
  time,
  state,
  hints,
  note,
}: {
  columns: number;
  command: string;
  /** The time part, with its separator (` · 3.0s`). */
  time: string;
  /** What the session is doing (`● running`), or nothing when the row does not say it. */
  state: string | undefined;
  /** What to say about the keys, longest first; none for a row that says nothing of them. */
  hints: readonly string[];
  /** A message said in place of the hints, whole (see {@link fitsRunRow}): the command gives way. */
  note?: string | undefined;
}): { command: string; hint: string | undefined } {
  const fixed = 2 + columnsOf(time) + (state === undefined ? 0 : columnsOf(separator + state)) + 1;
  if (note !== undefined)
    return {
      command: clipCommand(command, columns - fixed - columnsOf(separator + note)),
      hint: note,
    };
  const wholeCommand = commandColumns(command);
  const hintFits = (hint: string, commandRoom: number) =>
    fixed + commandRoom + columnsOf(separator + hint) <= columns;
  const hint =
    hints.find((candidate) => hintFits(candidate, wholeCommand)) ??
    hints.find((candidate) =>
      hintFits(candidate, Math.min(wholeCommand, commandColumnsBesideHint)),
    );
  const hintColumns = hint === undefined ? 0 : columnsOf(separator + hint);
  return { command: clipCommand(command, Math.max(1, columns - fixed - hintColumns)), hint };
}

/** The time part of a running command's row for a run of up to 99 minutes (see {@link runStatusLayout}). */
const longTime = `${separator}99m59s`;

/**
 * Whether `note` (a message of the TUI's) fits on a running command's row `columns` wide, whole,
 * after the session's `state` (if the row says it) in place of the hints (see
 * {@link runStatusLayout}), for a run of up to 99 minutes: the command gives way to it.
 */
export function fitsRunRow(note: string, state: string | undefined, columns: number): boolean {
  const stateColumns = state === undefined ? 0 : columnsOf(separator + state);
  return 2 + columnsOf(longTime) + stateColumns + columnsOf(separator + note) + 1 <= columns;
}
