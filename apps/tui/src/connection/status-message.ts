/** A message for the status line: what just went wrong, or what just happened. */
export interface StatusMessage {
  text: string;
  tone: 'info' | 'warning' | 'error';
}

/** One line saying what went wrong. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
