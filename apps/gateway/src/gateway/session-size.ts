import { MAX_TERMINAL_DIMENSION } from '@lifeline/protocol/state';

/** A terminal size in cells. */
export interface SessionSize {
  cols: number;
  rows: number;
}

/** `COLSxROWS` as a size, or undefined when it is not one a session can have (1–1000 each). */
export function parseSessionSize(text: string): SessionSize | undefined {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(text);
  const size = { cols: Number(match?.[1]), rows: Number(match?.[2]) };
  return match && fitsSession(size) ? size : undefined;
}

/**
 * Gateway arguments that begin a new session at once (`--new-session`), at this size when a
 * session can have it; otherwise at the gateway's default size, which the client's own request
 * then corrects.
 */
export function newSessionArguments(size: SessionSize): string[] {
  return fitsSession(size)
    ? ['--new-session', '--size', `${String(size.cols)}x${String(size.rows)}`]
    : ['--new-session'];
}

function fitsSession({ cols, rows }: SessionSize): boolean {
  const fits = (value: number) =>
    Number.isInteger(value) && value >= 1 && value <= MAX_TERMINAL_DIMENSION;
  return fits(cols) && fits(rows);
}
