// The crash-log line format: `[<source>] <ISO time> <event> key=value …`, one line per breadcrumb.
//
// Quoting rule (the reader relies on it, so it is the format's contract):
// - a value is written bare when it is non-empty and holds no whitespace, `"`, `\`, `=` and no
//   character that must be escaped; otherwise it is written between double quotes;
// - inside quotes, `\\` is a backslash, `\"` a quote, `\n` a line break (CR, LF and CRLF all
//   collapse to it), `\t` a tab, `\xHH` any other C0 control, DEL or C1 control, and `\uHHHH`
//   U+2028/U+2029, the bidirectional formatting characters and lone surrogates;
// - source, event and keys are tokens: any character that could break the line or its parsing
//   is replaced with `_`, so they never need quotes.
// A line longer than the cap keeps whole fields while they fit, then as much of the next value as
// fits (never half an escape), closes its quote and ends with ` … [truncated N chars]`.

/** The longest line a breadcrumb may produce, in UTF-16 code units, excluding the newline. */
export const CRASH_LOG_LINE_LIMIT = 4096;

const maxSourceLength = 200;
const maxEventLength = 200;
const maxKeyLength = 128;

/** One breadcrumb before formatting: field values already turned into strings. */
export interface CrashLogLineInput {
  /** Who wrote it: `tui`, `gateway`, `host:<sid>`. */
  readonly source: string;
  /** When, as an ISO 8601 string (`Date#toISOString()`). */
  readonly time: string;
  /** What happened, e.g. `child.exit`. */
  readonly event: string;
  /** Fields in the order they are written. */
  readonly fields: ReadonlyArray<readonly [key: string, value: string]>;
}

/** One parsed line of the crash log. */
export interface CrashLogEntry {
  /** Who wrote it: `tui`, `gateway`, `host:<sid>`. */
  readonly source: string;
  /** The ISO 8601 time exactly as written. */
  readonly time: string;
  /** `time` in milliseconds since the epoch. */
  readonly epochMs: number;
  /** What happened, e.g. `child.exit`. */
  readonly event: string;
  /** Field values as strings, unescaped; a line break always comes back as `\n`. */
  readonly fields: Readonly<Record<string, string>>;
  /** How many characters of the original line were cut off by the size cap (0 when none). */
  readonly truncatedChars: number;
}

/** True for a code point the log must never contain raw. */
function mustEscape(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    // Bidirectional formatting characters can make a line read as something it is not.
    codePoint === 0x061c ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    // Lone surrogates (a paired surrogate never reaches this check as one unit).
    (codePoint >= 0xd800 && codePoint <= 0xdfff)
  );
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/**
 * Splits a string into units that are never cut apart: a surrogate pair stays whole, everything
 * else is one code unit (a lone surrogate included).
 */
function* units(text: string): Generator<string> {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        yield text.slice(index, index + 2);
        index += 1;
        continue;
      }
    }
    yield text[index] ?? '';
  }
}

interface EncodedValue {
  /** Encoded pieces: a character, a surrogate pair or a whole escape sequence. */
  readonly pieces: readonly string[];
  readonly quoted: boolean;
}

/** Encodes one field value per the quoting rule at the top of this file. */
export function encodeValue(value: string): EncodedValue {
  const normalised = value.replace(/\r\n?/g, '\n');
  const pieces: string[] = [];
  let quoted = normalised.length === 0;
  for (const unit of units(normalised)) {
    const codePoint = unit.length === 2 ? (unit.codePointAt(0) ?? 0) : unit.charCodeAt(0);
    if (unit === '\\' || unit === '"') {
      pieces.push(`\\${unit}`);
      quoted = true;
    } else if (unit === '\n') {
      pieces.push('\\n');
      quoted = true;
    } else if (unit === '\t') {
      pieces.push('\\t');
      quoted = true;
    } else if (mustEscape(codePoint)) {
      pieces.push(codePoint <= 0xff ? `\\x${hex(codePoint, 2)}` : `\\u${hex(codePoint, 4)}`);
      quoted = true;
    } else {
      if (unit === '=' || /\s/u.test(unit)) quoted = true;
      pieces.push(unit);
    }
  }
  return { pieces, quoted };
}

/** Renders a field value as it appears after `key=`. */
export function formatValue(value: string): string {
  const { pieces, quoted } = encodeValue(value);
  return quoted ? `"${pieces.join('')}"` : pieces.join('');
}

/**
 * Makes a token (source, event or key) safe: characters that could end the line, split the token
 * or confuse the parser become `_`; an empty token becomes `_`.
 */
function sanitiseToken(text: string, maxLength: number, extraForbidden: RegExp): string {
  let result = '';
  for (const unit of units(text)) {
    if (result.length + unit.length > maxLength) break;
    const codePoint = unit.length === 2 ? (unit.codePointAt(0) ?? 0) : unit.charCodeAt(0);
    const forbidden =
      mustEscape(codePoint) ||
      /\s/u.test(unit) ||
      unit === '"' ||
      unit === '\\' ||
      extraForbidden.test(unit);
    result += forbidden ? '_' : unit;
  }
  return result.length === 0 ? '_' : result;
}

/** The source token as written: no whitespace, `=`, brackets or control characters. */
export function sanitiseSource(source: string): string {
  return sanitiseToken(source, maxSourceLength, /[=[\]]/);
}

/** The event token as written: no whitespace, `=` or control characters. */
export function sanitiseEvent(event: string): string {
  return sanitiseToken(event, maxEventLength, /=/);
}

/** A field key as written: no whitespace, `=` or control characters. */
export function sanitiseKey(key: string): string {
  return sanitiseToken(key, maxKeyLength, /=/);
}

function truncationMarker(droppedChars: number): string {
  return ` … [truncated ${droppedChars} chars]`;
}

/**
 * Formats one breadcrumb as one line (without the newline): never more than `limit` characters,
 * never a raw line break or control character, whatever the input.
 * @param limit maximum line length in UTF-16 code units; values below 1024 are raised to 1024 so
 *   the header and the truncation marker always fit
 * @default limit 4096
 */
export function formatCrashLogLine(
  input: CrashLogLineInput,
  limit: number = CRASH_LOG_LINE_LIMIT,
): string {
  limit = Math.max(limit, 1024);
  const header = `[${sanitiseSource(input.source)}] ${sanitiseEvent(input.time)} ${sanitiseEvent(input.event)}`;
  const tokens = input.fields.map(([key, value]) => {
    const { pieces, quoted } = encodeValue(value);
    const prefix = ` ${sanitiseKey(key)}=${quoted ? '"' : ''}`;
    const suffix = quoted ? '"' : '';
    const body = pieces.join('');
    return { prefix, pieces, suffix, length: prefix.length + body.length + suffix.length, body };
  });
  const fullLength = tokens.reduce((sum, token) => sum + token.length, header.length);
  if (fullLength <= limit) {
    return header + tokens.map((token) => token.prefix + token.body + token.suffix).join('');
  }

  // An upper bound for the marker: the number of dropped characters never exceeds the full length.
  const markerLength = truncationMarker(fullLength).length;
  let line = header;
  let keptLength = header.length;
  for (const token of tokens) {
    if (line.length + token.length + markerLength <= limit) {
      line += token.prefix + token.body + token.suffix;
      keptLength += token.length;
      continue;
    }
    const room = limit - markerLength - line.length - token.prefix.length - token.suffix.length;
    let partial = '';
    for (const piece of token.pieces) {
      if (partial.length + piece.length > room) break;
      partial += piece;
    }
    if (partial.length > 0) {
      line += token.prefix + partial + token.suffix;
      keptLength += token.prefix.length + partial.length + token.suffix.length;
    }
    break;
  }
  return line + truncationMarker(fullLength - keptLength);
}

const truncationPattern = / … \[truncated (\d+) chars\]$/;
const headerPattern = /^\[([^\]\s]+)\] (\S+) (\S+)/;
const keyPattern = /[^\s="\\]+/y;
const barePattern = /[^\s]*/y;

/** Decodes the body of a quoted value; `undefined` when an escape is malformed. */
function decodeQuoted(line: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let index = start;
  while (index < line.length) {
    const char = line.charAt(index);
    if (char === '"') return { value, end: index + 1 };
    if (char !== '\\') {
      value += char;
      index += 1;
      continue;
    }
    const kind = line[index + 1];
    if (kind === '\\' || kind === '"') {
      value += kind;
      index += 2;
    } else if (kind === 'n') {
      value += '\n';
      index += 2;
    } else if (kind === 't') {
      value += '\t';
      index += 2;
    } else if (kind === 'x' || kind === 'u') {
      const width = kind === 'x' ? 2 : 4;
      const digits = line.slice(index + 2, index + 2 + width);
      if (digits.length !== width || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      value += String.fromCharCode(Number.parseInt(digits, 16));
      index += 2 + width;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Parses one line of the crash log back into an entry; `undefined` when the line does not follow
 * the format (for example a line written by something else).
 */
export function parseCrashLogLine(line: string): CrashLogEntry | undefined {
  let body = line;
  let truncatedChars = 0;
  const truncation = truncationPattern.exec(body);
  if (truncation) {
    truncatedChars = Number(truncation[1]);
    body = body.slice(0, truncation.index);
  }
  const header = headerPattern.exec(body);
  if (!header) return undefined;
  const [, source = '', time = '', event = ''] = header;
  const epochMs = Date.parse(time);
  if (Number.isNaN(epochMs)) return undefined;

  const fields: Array<[string, string]> = [];
  let index = header[0].length;
  while (index < body.length) {
    if (body[index] !== ' ') return undefined;
    keyPattern.lastIndex = index + 1;
    const key = keyPattern.exec(body)?.[0];
    if (key === undefined) return undefined;
    index = keyPattern.lastIndex;
    if (body[index] !== '=') return undefined;
    index += 1;
    if (body[index] === '"') {
      const decoded = decodeQuoted(body, index + 1);
      if (!decoded) return undefined;
      fields.push([key, decoded.value]);
      index = decoded.end;
    } else {
      barePattern.lastIndex = index;
      const value = barePattern.exec(body)?.[0] ?? '';
      fields.push([key, value]);
      index += value.length;
    }
  }
  // `Object.fromEntries` defines own properties, so a key such as `__proto__` stays a plain field.
  return { source, time, epochMs, event, fields: Object.fromEntries(fields), truncatedChars };
}
