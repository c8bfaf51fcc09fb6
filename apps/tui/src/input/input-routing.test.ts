import { describe, expect, test } from 'vitest';
import { inputMode, routeInput, type InputMode, type RouteContext } from './input-routing.js';
import { KeypressParser, type InputEvent } from './keypress.js';

/** The events a terminal sends for `bytes`. */
function keys(bytes: string): InputEvent[] {
  const parser = new KeypressParser();
  return [...parser.push(bytes), ...parser.flush()];
}

function route(mode: InputMode, bytes: string, context: RouteContext = {}) {
  return keys(bytes).map((event) =>
    routeInput(mode, event, context).map((action) =>
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

  test("the shell's own line editor at its prompt, Lifeline's command line once opened, and held keys while attaching", () => {
    const base = { pasteWaiting: false, pickerOpen: false, running: false, reachable: true };
    const shell = { ...base, shellEditsLines: true, attached: true };
    expect(inputMode(shell)).toBe('shell');
    expect(inputMode({ ...shell, running: true })).toBe('program');
    expect(inputMode({ ...shell, commandLineOpen: true })).toBe('command-line');
    expect(inputMode({ ...shell, running: true, commandLineOpen: true })).toBe('command-line');
    // Attaching, resuming, recovering: held, whatever the shell, a command running or not.
    expect(inputMode({ ...shell, attached: false, reachable: false })).toBe('waiting');
    expect(inputMode({ ...base, attached: false, running: true })).toBe('waiting');
    // A log that cannot be read past a place: the session is never attached beyond it.
    expect(inputMode({ ...shell, attached: false, unreadable: true })).toBe('unshown');
    // Given up: nothing can be delivered, Lifeline's line takes /recover.
    expect(inputMode({ ...shell, attached: false, reachable: false, givenUp: true })).toBe('line');
    expect(
      inputMode({ ...shell, attached: false, reachable: false, givenUp: true, running: true }),
    ).toBe('program-unreachable');
  });
});

describe('routeInput at the shell prompt', () => {
  test('every key and paste goes to the shell, Tab, Ctrl+R, Ctrl+C, Ctrl+D, Esc and a leading slash included', () => {
    expect(route('shell', '/ls\t\x12\x03\x04\x1b[A\r')).toEqual(
      Array.from({ length: 9 }, () => ['send-keys']),
    );
    const sent = keys('a\x1bb\x1b[1;5C').flatMap((event) => routeInput('shell', event));
    expect(sent).toEqual([
      { kind: 'send-keys', data: 'a' },
      { kind: 'send-keys', data: '\x1bb' },
      { kind: 'send-keys', data: '\x1b[1;5C' },
    ]);
    expect(routeInput('shell', { kind: 'paste', text: 'x\ny' })).toEqual([
      { kind: 'paste', text: 'x\ny', target: 'program' },
    ]);
  });

  test('the Lifeline key opens the command line; twice with the Enter that starts a command it hands the run the terminal', () => {
    expect(route('shell', '\x1d')).toEqual([['open-command-line']]);
    expect(route('shell', '\x1d', { runMayStart: true })).toEqual([['open-command-line']]);
    expect(route('shell', '\x1d', { runMayStart: true, literal: true })).toEqual([['attach']]);
    expect(route('line', '\x1d')).toEqual([['open-command-line']]);
  });

  test('in the command line keys edit it; Esc and Ctrl+C close it; the Lifeline key again is the key itself', () => {
    expect(route('command-line', 'new\r')).toEqual([
      ['edit:n'],
      ['edit:e'],
      ['edit:w'],
      ['edit:submit'],
    ]);
    expect(route('command-line', '\x1b')).toEqual([['close-command-line']]);
    expect(route('command-line', '\x03')).toEqual([['close-command-line']]);
    expect(route('command-line', '\x1d')).toEqual([['close-command-line', 'literal-lifeline-key']]);
    const [literal] = keys('\x1d');
    if (!literal) throw new Error('no key');
    expect(routeInput('shell', literal, { literal: true })).toEqual([
      { kind: 'send-keys', data: '\x1d' },
    ]);
    // While a command runs, the key pressed twice hands it the whole terminal.
    expect(routeInput('program', literal, { literal: true })).toEqual([{ kind: 'attach' }]);
  });

  test('while attaching everything is held in order; the Lifeline key opens the command line unless keys are held before it', () => {
    expect(route('waiting', 'ec\r\x03')).toEqual([['hold'], ['hold'], ['hold'], ['hold']]);
    expect(route('waiting', '\x1d')).toEqual([['open-command-line']]);
    expect(route('waiting', '\x1d', { holding: true })).toEqual([['hold']]);
    // A session that cannot be shown past a damaged place in its log: nothing is held for it,
    // and the Lifeline key opens the command line whatever was typed before.
    expect(route('unshown', 'x\r\x03')).toEqual([['unshown'], ['unshown'], ['unshown']]);
    expect(route('unshown', '\x1d', { holding: true })).toEqual([['open-command-line']]);
    const held = keys('x\x1d').flatMap((event) => routeInput('waiting', event, { literal: true }));
    expect(
      held.map((action) =>
        action.kind === 'hold'
          ? [action.event.kind === 'key' && action.event.sequence, action.literal]
          : action.kind,
      ),
    ).toEqual([
      ['x', true],
      ['\x1d', true],
    ]);
  });
});

describe('routeInput', () => {
  test("while a reachable command runs, its keys go to it, except Ctrl+C and Ctrl+] (Lifeline's commands: /quit leaves it running)", () => {
    expect(route('program', 'a\r\x1b[A')).toEqual([['send-keys'], ['send-keys'], ['send-keys']]);
    expect(route('program', '\x03')).toEqual([['interrupt']]);
    expect(route('program', '\x1d')).toEqual([['open-command-line']]);
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

  test("while the command cannot be reached, Ctrl+C is refused with a word and still counts towards quitting; Ctrl+] opens Lifeline's commands, and twice is refused", () => {
    expect(route('program-unreachable', '\x03')).toEqual([['edit:interrupt', 'refuse:interrupt']]);
    expect(route('program-unreachable', '\x1d')).toEqual([['open-command-line']]);
    expect(route('program-unreachable', '\x1d', { literal: true })).toEqual([['refuse:attach']]);
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
