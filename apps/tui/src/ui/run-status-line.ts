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
 * the shortest does not. A column is left to spare, so that no terminal wraps the row.
 */
export function runStatusLayout({
  columns,
  command,
  time,
  state,
  hints,
}: {
  columns: number;
  command: string;
  /** The time part, with its separator (` · 3.0s`). */
  time: string;
  /** What the session is doing (`● running`), or nothing when the row does not say it. */
  state: string | undefined;
  /** What to say about the keys, longest first; none for a row that says nothing of them. */
  hints: readonly string[];
}): { command: string; hint: string | undefined } {
  const fixed = 2 + columnsOf(time) + (state === undefined ? 0 : columnsOf(separator + state)) + 1;
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
