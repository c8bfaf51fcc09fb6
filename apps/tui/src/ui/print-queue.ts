/**
 * Transcript text waiting for the frame it goes above: written then (with `write`), above a frame
 * that is the one on the screen.
 */
export interface PrintQueue {
  text: string;
  write: ((text: string) => void) | undefined;
}

/** Writes what waits in `queue`; whether anything did. */
export function flushPrintQueue(queue: PrintQueue): boolean {
  const text = queue.text;
  queue.text = '';
  if (text === '' || !queue.write) return false;
  queue.write(text);
  return true;
}
