import { controlSequence, hyperlinkEnd, hyperlinkStart } from '../terminal-sequences.js';

// A streaming filter between untrusted program output and the user's terminal. It follows the
// ECMA-48 / DEC parser model closely enough to know where every control sequence and control
// string starts and ends, even when a chunk boundary falls inside one, and re-emits only what is
// on the allowlist, in a canonical 7-bit form that it writes itself. Anything else — including
// everything it does not understand — is consumed and dropped, so a sequence can never leak
// through half-parsed.

/** Bounds that keep the sanitiser's memory constant whatever the input. */
export const outputSanitizerLimits = {
  /**
   * Longest parameter string of a control sequence (`CSI … m`) that is still honoured; a longer
   * one is consumed and dropped.
   */
  maxParameterLength: 256,
  /**
   * Longest OSC 8 hyperlink (`8;params;uri`) that is passed on when hyperlinks are allowed. Only
   * that much of an OSC string is ever held in memory; any other control string is skipped
   * without being buffered, however long it runs before its terminator.
   */
  maxHyperlinkLength: 2048,
  /** Longest window title reported (see `reportTitles`): a longer one is cut to this. */
  maxTitleLength: 256,
} as const;

/** The program entered or left the alternate screen (private modes 1049, 1047 and 47). */
export interface AlternateScreenEvent {
  type: 'alternate-screen';
  /** `true` when the mode was set (`CSI ? … h`, entering), `false` when it was reset (leaving). */
  active: boolean;
  /** The private mode number the program used. */
  mode: 47 | 1047 | 1049;
  /**
   * Position in the `text` returned by the same call at which the switch happened: text before
   * it was written to the screen the program is leaving, text after it to the one it enters.
   */
  textOffset: number;
  /**
   * Position in the chunk passed to the same `write` just after the sequence's final character,
   * so the caller can hand the rest of that raw chunk to a full-screen passthrough.
   */
  chunkOffset: number;
}

/**
 * A question a program asks its terminal, which a terminal answers by typing the answer: where the
 * cursor is (`CSI 6 n`), whether the terminal is well (`CSI 5 n`), what it is (`CSI c`, `CSI 0 c`).
 */
export type TerminalQuery = 'cursor-position' | 'status' | 'device-attributes';

/** Something in the output that the caller has to act on, in the order it was seen. */
export type SanitizerEvent = AlternateScreenEvent;

/** What one `write` or `flush` produced. */
export interface SanitizedOutput {
  /** The output with everything outside the allowlist removed; safe to write to a terminal. */
  text: string;
  /** Events seen in this chunk, in order; an empty array when there were none. */
  events: readonly SanitizerEvent[];
  /**
   * Bells (BEL outside any control string, where it ends a title or a hyperlink) in this chunk:
   * removed from `text`, counted for a caller that rings the terminal's bell.
   */
  bells: number;
  /**
   * The questions to the terminal in this chunk, in order (removed from `text`, as every other
   * query is): for a caller that answers them in the terminal's place.
   */
  queries: readonly TerminalQuery[];
  /**
   * The window titles the program set in this chunk (OSC 0 or 2), in order, when they are
   * reported (see {@link OutputSanitizerOptions.reportTitles}): removed from `text`, printable
   * characters only, at most {@link outputSanitizerLimits.maxTitleLength} of them.
   */
  titles: readonly string[];
}

/** Options of {@link createOutputSanitizer}. */
export interface OutputSanitizerOptions {
  /**
   * Pass OSC 8 hyperlinks whose target is an `http:`, `https:` or `file:` URI made of printable
   * ASCII, re-emitted with a BEL terminator. Other hyperlinks are removed (their text stays).
   * @default false
   */
  allowHyperlinks?: boolean;
  /**
   * Pass the in-line editing sequences a transcript line model applies — erase in line
   * (`CSI n K`) and column moves (`CSI n G`, `CSI n C`, `CSI n D`) — so progress output that
   * redraws a line with them can be reproduced, or shown on a terminal (they stay within the
   * line the cursor is on). Leave off where the caller keeps track of what each line shows.
   * @default false
   */
  allowLineEditing?: boolean;
  /**
   * Report the window titles the program sets (OSC 0 and OSC 2) in `titles`, for a caller that
   * sets its terminal's title from them. They are removed from `text` either way.
   * @default false
   */
  reportTitles?: boolean;
}

/** A stateful sanitiser for one output stream. */
export interface OutputSanitizer {
  /**
   * Sanitises the next chunk. A sequence split across chunks is recognised as if it had arrived
   * whole: concatenating the `text` of every call gives the same result however the stream was cut.
   */
  write(chunk: string): SanitizedOutput;
  /**
   * Ends the stream: drops a sequence left unfinished, returns anything held back (the first half
   * of a surrogate pair), and leaves the sanitiser ready for a new stream.
   */
  flush(): SanitizedOutput;
  /** UTF-16 code units held between calls (a partial hyperlink or parameter string). */
  readonly bufferedLength: number;
}

const noEvents: readonly SanitizerEvent[] = Object.freeze([]);
const noQueries: readonly TerminalQuery[] = Object.freeze([]);
const noTitles: readonly string[] = Object.freeze([]);
/** An OSC that sets the window title (and the icon's name, 0) or the title alone (2). */
const titleOsc = /^[02];/;
/** What a title shown keeps out: control characters. */
const titleControls = /[\x00-\x1f\x7f-\x9f]/g;

const enum State {
  Ground,
  Escape,
  EscapeIntermediate,
  ControlSequence,
  ControlString,
  ControlStringEscape,
}

// Where the plain run in the ground state ends: a C0 control other than BS, HT, LF and CR, DEL,
// a C1 control, or an ESC that does not start a complete SGR sequence. Complete SGR sequences —
// most of the escapes in coloured output — are thereby copied with the text around them, in
// the same slice. `test` on a global regex moves `lastIndex` without allocating a match.
const groundSpecial = /[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]|\x1b(?!\[[0-9:;]{0,256}m)/g;
/**
 * Every character where {@link groundSpecial} may match (ESC whatever follows it): a plain
 * character class, which the regular expression engine scans about twice as fast, so that text
 * without a single one of them (what `seq`, `yes` or a log writes) is passed over sooner.
 */
const groundCandidate = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
/** The same, when the in-line editing sequences are allowed too. */
const groundSpecialWithLineEditing =
  /[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]|\x1b(?!\[(?:[0-9:;]{0,256}m|[0-9]{0,256}[CDGK]))/g;
// What can end a control string: BEL, CAN, SUB, ESC and every C1 character.
const stringSpecial = /[\x07\x18\x1a\x1b\x80-\x9f]/g;
const sgrParameters = /^[0-9:;]*$/;
const lineEditingParameters = /^[0-9]*$/;
const privateModeParameters = /^\?[0-9;]*$/;
const hyperlink = /^8;([\x21-\x3a\x3c-\x7e]*);((?:https?|file):[\x21-\x7e]*)?$/i;

function isAllowedControl(code: number): boolean {
  return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isLineEditingFinal(code: number): boolean {
  // G, C, D and K
  return code === 0x47 || code === 0x43 || code === 0x44 || code === 0x4b;
}

class StreamingSanitizer implements OutputSanitizer {
  readonly #allowHyperlinks: boolean;
  readonly #allowLineEditing: boolean;
  readonly #groundSpecial: RegExp;
  #state = State.Ground;
  /** Parameter bytes of the control sequence being read. */
  #parameters = '';
  /** The control sequence being read has intermediate bytes or is malformed: it will be dropped. */
  #discardSequence = false;
  /** Whether the control string being read is an OSC collected as a possible hyperlink or title. */
  #collectingOsc = false;
  #osc = '';
  #heldSurrogate = '';
  /** Output of the `write` in progress. */
  #text = '';
  /** Events of the `write` in progress, allocated on the first one. */
  #events: SanitizerEvent[] | undefined = undefined;
  /** Bells of the `write` in progress. */
  #bells = 0;
  /** Queries of the `write` in progress, allocated on the first one. */
  #queries: TerminalQuery[] | undefined = undefined;
  readonly #reportTitles: boolean;
  /** Titles of the `write` in progress, allocated on the first one. */
  #titles: string[] | undefined = undefined;

  constructor(options: OutputSanitizerOptions) {
    this.#allowHyperlinks = options.allowHyperlinks ?? false;
    this.#allowLineEditing = options.allowLineEditing ?? false;
    this.#reportTitles = options.reportTitles ?? false;
    this.#groundSpecial = this.#allowLineEditing ? groundSpecialWithLineEditing : groundSpecial;
  }

  get bufferedLength(): number {
    return this.#parameters.length + this.#osc.length + this.#heldSurrogate.length;
  }

  write(chunk: string): SanitizedOutput {
    // `#text` and `#events` were emptied at the end of the previous call.
    this.#text = this.#heldSurrogate;
    this.#heldSurrogate = '';
    const length = chunk.length;
    const special = this.#groundSpecial;
    let state = this.#state;
    let index = 0;
    while (index < length) {
      if (state === State.Ground) {
        groundCandidate.lastIndex = index;
        special.lastIndex = groundCandidate.test(chunk) ? groundCandidate.lastIndex - 1 : length;
        if (!special.test(chunk)) {
          this.#text += index === 0 ? chunk : chunk.slice(index);
          break;
        }
        const at = special.lastIndex - 1;
        if (at > index) this.#text += chunk.slice(index, at);
        const code = chunk.charCodeAt(at);
        index = at + 1;
        if (code === 0x1b) {
          // Most escapes start a control sequence or string: take the introducer right away.
          const next = chunk.charCodeAt(index);
          if (
            next === 0x5b ||
            next === 0x5d ||
            next === 0x50 ||
            next === 0x58 ||
            next === 0x5e ||
            next === 0x5f
          ) {
            state = this.#enterEscapeFinal(next);
            index++;
          } else {
            state = State.Escape;
          }
        } else if (code >= 0x80) {
          state = this.#enterC1(code);
        } else if (code === 0x07) {
          this.#bells += 1;
        }
      } else if (state === State.ControlString) {
        stringSpecial.lastIndex = index;
        if (!stringSpecial.test(chunk)) {
          if (this.#collectingOsc) this.#collectOsc(chunk, index, length);
          break;
        }
        const at = stringSpecial.lastIndex - 1;
        if (this.#collectingOsc && at > index) this.#collectOsc(chunk, index, at);
        const code = chunk.charCodeAt(at);
        index = at + 1;
        if (code === 0x07 || code === 0x9c) {
          this.#finishControlString();
          state = State.Ground;
        } else if (code === 0x1b) {
          state = State.ControlStringEscape;
        } else {
          this.#dropControlString();
          state = code >= 0x80 ? this.#enterC1(code) : State.Ground;
        }
      } else if (state === State.ControlSequence) {
        const runStart = index;
        let code = chunk.charCodeAt(index);
        while (code >= 0x30 && code <= 0x3f) code = chunk.charCodeAt(++index);
        if (index > runStart && !this.#discardSequence) {
          if (
            this.#parameters.length + index - runStart >
            outputSanitizerLimits.maxParameterLength
          ) {
            this.#discardSequence = true;
            this.#parameters = '';
          } else {
            this.#parameters += chunk.slice(runStart, index);
          }
        }
        if (index >= length) break;
        index++;
        if (code >= 0x40 && code <= 0x7e) {
          this.#finishControlSequence(code, index);
          state = State.Ground;
        } else if (code >= 0x20 && code <= 0x2f) {
          // Intermediate bytes: no sequence with them is on the allowlist. Parameter bytes after
          // them make the sequence malformed, which changes nothing as it is dropped anyway.
          this.#discardSequence = true;
          this.#parameters = '';
        } else if (code < 0x20) {
          // C0 controls inside a sequence act immediately, except CAN and SUB which cancel it
          // and ESC which starts another.
          if (code === 0x18 || code === 0x1a || code === 0x1b) {
            this.#parameters = '';
            state = code === 0x1b ? State.Escape : State.Ground;
          } else if (isAllowedControl(code)) {
            this.#text += String.fromCharCode(code);
          }
        } else if (code >= 0x80 && code <= 0x9f) {
          this.#parameters = '';
          state = this.#enterC1(code);
        } else if (code !== 0x7f) {
          this.#discardSequence = true;
          this.#parameters = '';
        }
      } else if (state === State.ControlStringEscape) {
        // ESC \ is the string terminator; ESC followed by anything else cancels the string and
        // starts a new escape sequence with that character.
        if (chunk.charCodeAt(index) === 0x5c) {
          this.#finishControlString();
          state = State.Ground;
          index++;
        } else {
          this.#dropControlString();
          state = State.Escape;
        }
      } else {
        const code = chunk.charCodeAt(index);
        if (code >= 0x20 && code <= 0x2f) {
          state = State.EscapeIntermediate;
        } else if (code >= 0x30 && code <= 0x7e) {
          // Every escape sequence but the introducers (charset designations, cursor save, full
          // reset, …) is dropped, and so is every one with intermediates.
          state = state === State.Escape ? this.#enterEscapeFinal(code) : State.Ground;
        } else if (code < 0x20) {
          if (code === 0x18 || code === 0x1a) state = State.Ground;
          else if (code === 0x1b) state = State.Escape;
          else if (isAllowedControl(code)) this.#text += String.fromCharCode(code);
        } else if (code >= 0x80 && code <= 0x9f) {
          state = this.#enterC1(code);
        } else if (code !== 0x7f) {
          // Not an escape sequence after all: the character is shown as text.
          state = State.Ground;
          continue;
        }
        index++;
      }
    }
    this.#state = state;
    if (state === State.Ground && length > 0) {
      const last = chunk.charCodeAt(length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        // Keep a pair together so that every returned text can be displayed on its own.
        this.#heldSurrogate = chunk.slice(-1);
        this.#text = this.#text.slice(0, -1);
      }
    }
    const output = {
      text: this.#text,
      events: this.#events ?? noEvents,
      bells: this.#bells,
      queries: this.#queries ?? noQueries,
      titles: this.#titles ?? noTitles,
    };
    this.#bells = 0;
    this.#queries = undefined;
    this.#titles = undefined;
    this.#text = '';
    this.#events = undefined;
    return output;
  }

  flush(): SanitizedOutput {
    const text = this.#heldSurrogate;
    this.#heldSurrogate = '';
    this.#state = State.Ground;
    this.#parameters = '';
    this.#dropControlString();
    return { text, events: noEvents, bells: 0, queries: noQueries, titles: noTitles };
  }

  /** The state after a C1 control: the 8-bit forms of CSI, OSC, DCS, SOS, PM and APC. */
  #enterC1(code: number): State {
    switch (code) {
      case 0x9b:
        return this.#enterControlSequence();
      case 0x9d:
        return this.#enterControlString(true);
      case 0x90:
      case 0x98:
      case 0x9e:
      case 0x9f:
        return this.#enterControlString(false);
      default:
        return State.Ground;
    }
  }

  /** The state after `ESC` and a final byte: the 7-bit forms of the same introducers. */
  #enterEscapeFinal(code: number): State {
    switch (code) {
      case 0x5b: // [
        return this.#enterControlSequence();
      case 0x5d: // ]
        return this.#enterControlString(true);
      case 0x50: // P (DCS)
      case 0x58: // X (SOS)
      case 0x5e: // ^ (PM)
      case 0x5f: // _ (APC)
        return this.#enterControlString(false);
      default:
        return State.Ground;
    }
  }

  #enterControlSequence(): State {
    this.#parameters = '';
    this.#discardSequence = false;
    return State.ControlSequence;
  }

  /** Dispatches a complete control sequence: passes it on if allowed, reports what matters. */
  #finishControlSequence(final: number, chunkOffset: number): void {
    const parameters = this.#parameters;
    this.#parameters = '';
    if (this.#discardSequence) return;
    if (final === 0x6d) {
      if (sgrParameters.test(parameters)) this.#text += controlSequence(parameters, 'm');
    } else if (this.#allowLineEditing && isLineEditingFinal(final)) {
      if (lineEditingParameters.test(parameters)) {
        this.#text += controlSequence(parameters, String.fromCharCode(final));
      }
    } else if ((final === 0x68 || final === 0x6c) && privateModeParameters.test(parameters)) {
      this.#reportPrivateModes(parameters, final === 0x68, chunkOffset);
    } else {
      const query = terminalQuery(final, parameters);
      if (query !== undefined) (this.#queries ??= []).push(query);
    }
  }

  /** Reports the alternate-screen switches among the modes of a `CSI ? … h` or `CSI ? … l`. */
  #reportPrivateModes(parameters: string, active: boolean, chunkOffset: number): void {
    let mode = 0;
    for (let index = 1; index <= parameters.length; index++) {
      const code = index < parameters.length ? parameters.charCodeAt(index) : 0x3b;
      if (code !== 0x3b) {
        // Saturates: a long run of digits names no mode of interest.
        mode = Math.min(mode * 10 + code - 0x30, 100_000);
        continue;
      }
      if (mode === 1049 || mode === 1047 || mode === 47) {
        this.#events ??= [];
        this.#events.push({
          type: 'alternate-screen',
          active,
          mode,
          textOffset: this.#text.length,
          chunkOffset,
        });
      }
      mode = 0;
    }
  }

  #enterControlString(isOsc: boolean): State {
    this.#collectingOsc = isOsc && (this.#allowHyperlinks || this.#reportTitles);
    this.#osc = '';
    return State.ControlString;
  }

  #collectOsc(chunk: string, start: number, end: number): void {
    const collected = this.#osc.length;
    const first = collected === 0 ? chunk.charCodeAt(start) : this.#osc.charCodeAt(0);
    const title = (first === 0x30 || first === 0x32) && this.#reportTitles;
    // A title keeps its first characters (`0;` or `2;` and the most reported); a hyperlink longer
    // than the limit is dropped.
    const room = title
      ? 2 + outputSanitizerLimits.maxTitleLength - collected
      : outputSanitizerLimits.maxHyperlinkLength - collected;
    if (!title && end - start > room) {
      this.#dropControlString();
      return;
    }
    this.#osc += chunk.slice(start, Math.min(end, start + Math.max(0, room)));
    // Stop collecting as soon as the string cannot be an OSC 8, 0 or 2 (as allowed) any more.
    if (
      (collected === 0 && !title && !(first === 0x38 && this.#allowHyperlinks)) ||
      (collected <= 1 && this.#osc.length > 1 && this.#osc.charCodeAt(1) !== 0x3b)
    ) {
      this.#dropControlString();
    }
  }

  /** Ends a properly terminated control string: an allowed hyperlink is passed, a title reported. */
  #finishControlString(): void {
    const collected = this.#collectingOsc ? this.#osc : '';
    this.#dropControlString();
    if (collected === '') return;
    // Only a title asked for or an allowed hyperlink is collected (see #collectOsc).
    if (titleOsc.test(collected)) {
      const title = collected
        .slice(2)
        .replace(titleControls, '')
        .slice(0, outputSanitizerLimits.maxTitleLength);
      (this.#titles ??= []).push(title);
      return;
    }
    const match = hyperlink.exec(collected);
    if (match === null) return;
    const uri = match[2] ?? '';
    this.#text += uri === '' ? hyperlinkEnd : hyperlinkStart(`${match[1] ?? ''};${uri}`);
  }

  /** Forgets the control string being read (its state change is the caller's). */
  #dropControlString(): void {
    this.#collectingOsc = false;
    this.#osc = '';
  }
}

/**
 * Creates a sanitiser for one stream of untrusted terminal output. Text, line breaks (`\n`,
 * `\r`), tabs, backspace and SGR colours and styles pass; every other control sequence, control
 * string and control character is removed. Private mode changes that switch the alternate screen
 * are reported as events (and removed too).
 */
export function createOutputSanitizer(options: OutputSanitizerOptions = {}): OutputSanitizer {
  return new StreamingSanitizer(options);
}

/** Sanitises a complete piece of output in one go; see {@link createOutputSanitizer}. */
export function sanitizeOutput(output: string, options: OutputSanitizerOptions = {}): string {
  const sanitizer = new StreamingSanitizer(options);
  return sanitizer.write(output).text + sanitizer.flush().text;
}

/** The query a control sequence (its final byte and parameters) asks, if it is one answered. */
function terminalQuery(final: number, parameters: string): TerminalQuery | undefined {
  if (final === 0x6e) {
    if (parameters === '6') return 'cursor-position';
    if (parameters === '5') return 'status';
  } else if (final === 0x63 && (parameters === '' || parameters === '0')) {
    return 'device-attributes';
  }
  return undefined;
}
