import { describe, expect, test } from 'vitest';
import { inputMode, routeInput, type InputMode } from './input-routing.js';
import { KeypressParser, type InputEvent } from './keypress.js';

/** The events a terminal sends for `bytes`. */
function keys(bytes: string): InputEvent[] {
  const parser = new KeypressParser();
  return [...parser.push(bytes), ...parser.flush()];
}

function route(mode: InputMode, bytes: string) {
  return keys(bytes).map((event) =>
    routeInput(mode, event).map((action) =>
      action.kind === 'edit'
        ? `edit:${action.action ?? action.press.char}`
        : action.kind === 'refuse'
          ? `refuse:${action.what}`
          : action.kind,
    ),
  );
}

describe('inputMode', () => {
  test('a waiting paste, then the picker, then a running command decide where keys go', () => {
    const base = { pasteWaiting: false, pickerOpen: false, running: false, reachable: true };
    expect(inputMode(base)).toBe('line');
    expect(inputMode({ ...base, running: true })).toBe('program');
    expect(inputMode({ ...base, running: true, reachable: false })).toBe('program-unreachable');
    expect(inputMode({ ...base, running: true, pickerOpen: true })).toBe('picker');
    expect(inputMode({ ...base, running: true, pickerOpen: true, pasteWaiting: true })).toBe(
      'confirm-paste',
    );
    // Not reachable with no command running: the line works as ever (commands wait for the gateway).
    expect(inputMode({ ...base, reachable: false })).toBe('line');
  });
});

describe('routeInput', () => {
  test('while a reachable command runs, its keys go to it, except Ctrl+C and Ctrl+]', () => {
    expect(route('program', 'a\r\x1b[A')).toEqual([['send-keys'], ['send-keys'], ['send-keys']]);
    expect(route('program', '\x03')).toEqual([['interrupt']]);
    expect(route('program', '\x1d')).toEqual([['attach']]);
    expect(routeInput('program', { kind: 'paste', text: 'x' })).toEqual([
      { kind: 'paste', text: 'x', target: 'program' },
    ]);
  });

  test('while the command cannot be reached, keys edit the line: /recover and /quit can be typed', () => {
    expect(route('program-unreachable', '/recover\r')).toEqual([
      ...'/recover'.split('').map((char) => [`edit:${char}`]),
      ['edit:submit'],
    ]);
    const [submit] = keys('\r').flatMap((event) => routeInput('program-unreachable', event));
    // A command submitted now is not run: it would go to the running command later.
    expect(submit).toMatchObject({ kind: 'edit', action: 'submit', commandsRun: false });
  });

  test('while the command cannot be reached, Ctrl+C and Ctrl+] are refused with a word, and Ctrl+C still counts towards quitting', () => {
    expect(route('program-unreachable', '\x03')).toEqual([['edit:interrupt', 'refuse:interrupt']]);
    expect(route('program-unreachable', '\x1d')).toEqual([['refuse:attach']]);
    expect(route('program-unreachable', '\x04')).toEqual([['edit:quit-if-empty']]);
    expect(routeInput('program-unreachable', { kind: 'paste', text: 'x' })).toEqual([
      { kind: 'paste', text: 'x', target: 'line' },
    ]);
  });

  test('a waiting paste takes Enter or Esc, and says so for any other key', () => {
    expect(route('confirm-paste', '\r')).toEqual([['paste-confirm']]);
    expect(route('confirm-paste', '\x03')).toEqual([['paste-cancel']]);
    expect(route('confirm-paste', 'x')).toEqual([['paste-waiting']]);
  });

  test('the picker takes its keys, and the line its own', () => {
    expect(route('picker', '\x1b[B\r')).toEqual([['picker'], ['picker']]);
    expect(route('line', 'l\x04')).toEqual([['edit:l'], ['edit:quit-if-empty']]);
    const [submit] = keys('\r').flatMap((event) => routeInput('line', event));
    expect(submit).toMatchObject({ kind: 'edit', action: 'submit', commandsRun: true });
  });
});
