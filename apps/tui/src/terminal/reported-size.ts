import { MAX_TERMINAL_DIMENSION } from '@lifeline/protocol';

/** A terminal's size, as a session takes it. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * The size `stream`'s terminal reports, within what a session accepts; `undefined` when it is no
 * terminal or reports no size (0×0: a pseudo-terminal nobody sized, as `script` or an agent's
 * harness may open), so that the session's default applies.
 */
export function reportedSize(stream: {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}): TerminalSize | undefined {
  const { columns, rows } = stream;
  if (
    stream.isTTY !== true ||
    columns === undefined ||
    rows === undefined ||
    !(columns >= 1 && rows >= 1)
  )
    return undefined;
  return {
    cols: Math.min(Math.floor(columns), MAX_TERMINAL_DIMENSION),
    rows: Math.min(Math.floor(rows), MAX_TERMINAL_DIMENSION),
  };
}
