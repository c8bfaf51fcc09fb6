import * as z from 'zod/mini';

/**
 * The `ready` capability of a gateway that takes `session.reply`: a client's answers to questions
 * the session's program asked its terminal.
 */
export const TERMINAL_REPLIES_CAPABILITY = 'terminal-replies';

/**
 * One answer of a terminal: the cursor's place (`CSI row ; column R`), the status (`CSI 0 n`), the
 * device attributes (`CSI ? … c`).
 */
export const terminalAnswerPattern = /\x1b\[(?:\d{1,4};\d{1,4}R|0n|\?[\d;]{0,32}c)/;

/** One or more answers of a terminal ({@link terminalAnswerPattern}), nothing else: no key goes this way. */
export const terminalRepliesSchema = z
  .string()
  .check(
    z.maxLength(256),
    z.regex(
      new RegExp(`^(?:${terminalAnswerPattern.source})+$`),
      'only terminal answers: CSI row;column R, CSI 0 n, CSI ? … c',
    ),
  );
