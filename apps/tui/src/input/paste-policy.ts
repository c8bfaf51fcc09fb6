/** Pastes larger than this ask first. */
export const PASTE_CONFIRM_BYTES = 5 * 1024;
/** Pastes with more lines than this ask first. */
export const PASTE_CONFIRM_LINES = 5;

const encoder = new TextEncoder();

/** How big a paste is, and whether to ask before sending it. */
export function describePaste(text: string): { bytes: number; lines: number; confirm: boolean } {
  const bytes = encoder.encode(text).length;
  // A line end that ends the text ends its last line: it starts no line of its own.
  const lines = text.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/).length;
  return { bytes, lines, confirm: bytes > PASTE_CONFIRM_BYTES || lines > PASTE_CONFIRM_LINES };
}

/** `12 lines, 6.2 KiB`. */
export function formatPasteSize({ bytes, lines }: { bytes: number; lines: number }): string {
  const size = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${lines} ${lines === 1 ? 'line' : 'lines'}, ${size}`;
}
