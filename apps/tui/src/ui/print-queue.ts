/**
 * Transcript text waiting for the frame it goes above: written then (with `write`), above a frame
 * that is the one on the screen.
 */
export interface PrintQueue {
  text: string;
  write: ((text: string) => void) | undefined;
}

/** Writes what waits in `queue`. */
export function flushPrintQueue(queue: PrintQueue): void {
  const text = queue.text;
  queue.text = '';
  if (text !== '') queue.write?.(text);
}
