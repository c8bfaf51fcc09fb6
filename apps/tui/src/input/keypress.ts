import { pasteEnd, pasteStart } from '../terminal-sequences.js';

/** Names of the keys the TUI tells apart. */
export type KeyName =
  | 'return'
  | 'backspace'
  | 'delete'
  | 'tab'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'char';

/** One key press, with the exact bytes the terminal sent (forwarded as-is to a running program). */
export interface KeyPress {
  kind: 'key';
  name: KeyName;
  /** For `char`: the character; for Ctrl+letter: the lowercase letter. */
  char: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  sequence: string;
}

/** A bracketed paste: the text the user pasted, in one piece. */
export interface Paste {
  kind: 'paste';
  text: string;
}

/** What the terminal sent, as the TUI understands it. */
export type InputEvent = KeyPress | Paste;

const csiKeys: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
};
const tildeKeys: Record<string, KeyName> = {
  '1': 'home',
  '2': 'char',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
};

function key(
  name: KeyName,
  sequence: string,
  modifiers: Partial<Pick<KeyPress, 'ctrl' | 'meta' | 'shift' | 'char'>> = {},
): KeyPress {
  return {
    kind: 'key',
    name,
    char: modifiers.char ?? '',
    ctrl: modifiers.ctrl ?? false,
    meta: modifiers.meta ?? false,
    shift: modifiers.shift ?? false,
    sequence,
  };
}

/** xterm modifier parameter (1 + shift·1 + alt·2 + ctrl·4) to flags. */
function modifiersOf(parameter: string | undefined): Pick<KeyPress, 'ctrl' | 'meta' | 'shift'> {
  const value = Math.max(0, Number(parameter ?? '1') - 1);
  return { shift: (value & 1) !== 0, meta: (value & 2) !== 0, ctrl: (value & 4) !== 0 };
}

/**
 * Turns what a terminal in raw mode sends into key presses and pastes. It keeps state between
 * chunks, so an escape sequence or a paste split across reads is still one event; a paste's text
 * is taken literally (no key inside it is interpreted).
 */
export class KeypressParser {
  private pending = '';
  private pasting: string[] | undefined;

  /** Parses the next chunk of input. */
  push(chunk: string): InputEvent[] {
    const events: InputEvent[] = [];
    let data = this.pending + chunk;
    this.pending = '';
    while (data.length > 0) {
      if (this.pasting) {
        const end = data.indexOf(pasteEnd);
        if (end === -1) {
          // Keep a possible start of the end marker for the next chunk.
          const keep = partialSuffix(data, pasteEnd);
          this.pasting.push(data.slice(0, data.length - keep));
          this.pending = data.slice(data.length - keep);
          return events;
        }
        // Pasted text that itself holds an end marker would end the paste early and have the rest
        // typed as keys. Such a paste shows as a later end marker with no start before it: the
        // paste runs to that one.
        let last = end;
        for (;;) {
          const nextEnd = data.indexOf(pasteEnd, last + pasteEnd.length);
          const nextStart = data.indexOf(pasteStart, last + pasteEnd.length);
          if (nextEnd === -1 || (nextStart !== -1 && nextStart < nextEnd)) break;
          last = nextEnd;
        }
        this.pasting.push(data.slice(0, last));
        events.push({ kind: 'paste', text: this.pasting.join('') });
        this.pasting = undefined;
        data = data.slice(last + pasteEnd.length);
        continue;
      }
      if (data.startsWith(pasteStart)) {
        this.pasting = [];
        data = data.slice(pasteStart.length);
        continue;
      }
      const parsed = this.parseOne(data);
      if (!parsed) {
        this.pending = data;
        return events;
      }
      events.push(parsed.event);
      data = data.slice(parsed.length);
    }
    return events;
  }

  /** Input ended or went idle: a lone ESC waiting for more is the Escape key. */
  flush(): InputEvent[] {
    if (this.pending === '\x1b') {
      this.pending = '';
      return [key('escape', '\x1b')];
    }
    return [];
  }

  private parseOne(data: string): { event: KeyPress; length: number } | undefined {
    const first = data.charAt(0);
    if (first === '\x1b') return this.parseEscape(data);
    const code = first.charCodeAt(0);
    if (first === '\r' || first === '\n') return { event: key('return', first), length: 1 };
    if (first === '\x7f' || first === '\b') return { event: key('backspace', first), length: 1 };
    if (first === '\t') return { event: key('tab', first), length: 1 };
    if (code === 0) return { event: key('char', first, { ctrl: true, char: ' ' }), length: 1 };
    if (code < 0x20) {
      // Ctrl+letter sends the letter's code minus 0x60; Ctrl+[ \ ] ^ _ send theirs minus 0x40
      // (0x1b is ESC and is read above).
      const char = String.fromCharCode(code <= 0x1a ? code + 0x60 : code + 0x40);
      return { event: key('char', first, { ctrl: true, char }), length: 1 };
    }
    const char = String.fromCodePoint(data.codePointAt(0) ?? code);
    return { event: key('char', char, { char }), length: char.length };
  }

  private parseEscape(data: string): { event: KeyPress; length: number } | undefined {
    if (data.length === 1) return undefined;
    const second = data.charAt(1);
    if (second === '[' || second === 'O') {
      const match = /^\x1b[[O]([0-9;]*)([~A-Za-z])/.exec(data);
      if (!match)
        return /^\x1b[[O][0-9;]*$/.test(data)
          ? undefined
          : { event: key('escape', '\x1b'), length: 1 };
      const [sequence, parameters = '', final = ''] = match;
      const parts = parameters.split(';');
      if (final === '~') {
        const name = tildeKeys[parts[0] ?? ''] ?? 'char';
        return { event: key(name, sequence, modifiersOf(parts[1])), length: sequence.length };
      }
      const name = csiKeys[final];
      if (name)
        return { event: key(name, sequence, modifiersOf(parts[1])), length: sequence.length };
      if (final === 'Z')
        return { event: key('tab', sequence, { shift: true }), length: sequence.length };
      return { event: key('char', sequence), length: sequence.length };
    }
    if (second === '\x1b') return { event: key('escape', '\x1b'), length: 1 };
    // ESC followed by a key: Alt/Meta + key.
    const rest = this.parseOne(data.slice(1));
    if (!rest) return undefined;
    return {
      event: { ...rest.event, meta: true, sequence: `\x1b${rest.event.sequence}` },
      length: rest.length + 1,
    };
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `marker`. */
function partialSuffix(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length -= 1) {
    if (marker.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/**
 * Text safe to hand to a program inside its own bracketed paste: nothing in it can end the paste
 * early (and so type commands), because the paste markers are removed.
 */
export function neutralisePaste(text: string): string {
  return text.replaceAll(pasteEnd, '').replaceAll(pasteStart, '');
}
