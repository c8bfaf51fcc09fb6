/**
 * Turns one stream of raw program output into display lines: safe to print (hostile escape
 * sequences removed) and final (carriage returns and erases already applied).
 */
export interface OutputLines {
  /** Adds raw output; returns the lines it completed. */
  push(data: string): string[];
  /** Ends the stream: returns the unfinished last line, if it has visible content. */
  end(): string[];
  /** The line being written now, as it would show. */
  readonly partial: string;
}

/** Makes a fresh {@link OutputLines} for each run (and for output between runs). */
export type OutputLinesFactory = () => OutputLines;
