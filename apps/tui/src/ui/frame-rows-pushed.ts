/** Rows kept at most: more than any screen holds. */
const maxKept = 1000;

/**
 * Rows of a running command's screen that the terminal pushed into its scrollback off the top of
 * the frame, as it wrapped the frame's lines again at a new width (or took rows off a lower
 * screen). The frame would show them again as its first rows, where the next such change pushes
 * them a second time; it leaves them out while they are its first rows instead (see
 * {@link leadingRowsPushed}), as a terminal would show the rows after them at its top.
 */
export class FrameRowsPushed {
  #runId: string | undefined;
  #rows: string[] = [];

  /**
   * The terminal pushed `rows` (plain text, from the top) of the frame drawn while run `runId` ran
   * (undefined: none ran). Rows pushed before for the same run stay: they are above these.
   */
  add(runId: string | undefined, rows: readonly string[]): void {
    if (runId !== this.#runId) {
      this.#runId = runId;
      this.#rows = [];
    }
    if (runId === undefined || rows.length === 0) return;
    this.#rows = [...this.#rows, ...rows].slice(-maxKept);
  }

  /** Forgets the rows pushed off the frames of run `runId`: none is among the first shown any more. */
  forget(runId: string): void {
    if (runId === this.#runId) this.#rows = [];
  }

  /** The rows pushed off the frames of run `runId`, oldest first. */
  of(runId: string): readonly string[] {
    return runId === this.#runId ? this.#rows : [];
  }
}

/**
 * How many of `window`'s first rows (plain text) are the last of the rows `pushed`, in the same
 * order: the rows at the top of a command's screen that are in the terminal's scrollback already.
 */
export function leadingRowsPushed(pushed: readonly string[], window: readonly string[]): number {
  for (let count = Math.min(pushed.length, window.length); count > 0; count -= 1) {
    const from = pushed.length - count;
    let same = true;
    for (let index = 0; index < count && same; index += 1)
      same = pushed[from + index] === window[index];
    if (same) return count;
  }
  return 0;
}
