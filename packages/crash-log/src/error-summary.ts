/** The longest error summary a breadcrumb records. */
export const ERROR_SUMMARY_LIMIT = 400;

function capped(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Keep a surrogate pair whole at the cut.
  let end = limit - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Reads a property that may be a throwing getter. */
function readSafely(getter: () => unknown): string {
  try {
    const value = getter();
    return typeof value === 'string' ? value : value === undefined ? '' : safeString(value);
  } catch {
    return '';
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** What a breadcrumb records about a thrown value. */
export interface ErrorSummary {
  /** First line of `Name: message` (or of the value as a string), at most 400 characters. */
  readonly message: string;
  /** The first `at …` frame of the stack, at most 400 characters, when there is one. */
  readonly at?: string;
}

/**
 * Summarises anything that was thrown: the first line only, capped, so an error can never flood
 * the crash log. Never throws, whatever the value (getters that throw, revoked proxies, …).
 * @param limit maximum length of each part
 * @default limit 400
 */
export function summariseError(error: unknown, limit: number = ERROR_SUMMARY_LIMIT): ErrorSummary {
  try {
    if (error instanceof Error) {
      const name = readSafely(() => error.name) || 'Error';
      const message = readSafely(() => error.message);
      const head = message ? `${name}: ${message}` : name;
      const first = head.split(/\r\n|\r|\n/, 1)[0] ?? '';
      const stack = readSafely(() => error.stack);
      // The stack starts with the whole message, whose own lines may start with "at ".
      const frames = stack.startsWith(head) ? stack.slice(head.length) : stack;
      const frame = /^\s*at .*$/m.exec(frames)?.[0].trim();
      return frame
        ? { message: capped(first, limit), at: capped(frame, limit) }
        : { message: capped(first, limit) };
    }
    const text = safeString(error).split(/\r\n|\r|\n/, 1)[0] ?? '';
    return { message: capped(text, limit) };
  } catch {
    return { message: 'unprintable thrown value' };
  }
}
