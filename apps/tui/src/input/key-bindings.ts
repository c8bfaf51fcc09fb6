import type { KeyPress } from './keypress.js';

/** Everything a key can do in the TUI. */
export type Action =
  | 'submit'
  | 'interrupt'
  | 'quit-if-empty'
  | 'history-previous'
  | 'history-next'
  | 'cursor-left'
  | 'cursor-right'
  | 'cursor-home'
  | 'cursor-end'
  | 'delete-backward'
  | 'delete-forward'
  | 'delete-word-backward'
  | 'kill-to-start'
  | 'kill-to-end'
  | 'clear-screen'
  | 'attach'
  | 'picker-up'
  | 'picker-down'
  | 'picker-choose'
  | 'picker-cancel';

interface Binding {
  action: Action;
  keys: { name: KeyPress['name']; char?: string; ctrl?: boolean; meta?: boolean }[];
  /** Shown in /help. */
  label: string;
}

/**
 * Every key binding of the TUI, in one place. While a command runs, keys go to the command
 * instead, except Ctrl+C (interrupt) and the attach key.
 */
export const keyBindings: readonly Binding[] = [
  { action: 'submit', keys: [{ name: 'return' }], label: 'Enter: run the command (or /command)' },
  {
    action: 'interrupt',
    keys: [{ name: 'char', char: 'c', ctrl: true }],
    label: 'Ctrl+C: interrupt the running command; clear the line; twice on an empty line: quit',
  },
  {
    action: 'quit-if-empty',
    keys: [{ name: 'char', char: 'd', ctrl: true }],
    label: 'Ctrl+D: quit (on an empty line)',
  },
  {
    action: 'history-previous',
    keys: [{ name: 'up' }, { name: 'char', char: 'p', ctrl: true }],
    label: '↑ / ↓: previous / next command of this session',
  },
  {
    action: 'history-next',
    keys: [{ name: 'down' }, { name: 'char', char: 'n', ctrl: true }],
    label: '',
  },
  {
    action: 'cursor-left',
    keys: [{ name: 'left' }, { name: 'char', char: 'b', ctrl: true }],
    label: '← / →, Ctrl+A / Ctrl+E, Home / End: move in the line',
  },
  {
    action: 'cursor-right',
    keys: [{ name: 'right' }, { name: 'char', char: 'f', ctrl: true }],
    label: '',
  },
  {
    action: 'cursor-home',
    keys: [{ name: 'home' }, { name: 'char', char: 'a', ctrl: true }],
    label: '',
  },
  {
    action: 'cursor-end',
    keys: [{ name: 'end' }, { name: 'char', char: 'e', ctrl: true }],
    label: '',
  },
  {
    action: 'delete-backward',
    keys: [{ name: 'backspace' }],
    label: 'Backspace / Delete: delete a character',
  },
  { action: 'delete-forward', keys: [{ name: 'delete' }], label: '' },
  {
    action: 'delete-word-backward',
    keys: [
      { name: 'char', char: 'w', ctrl: true },
      { name: 'backspace', meta: true },
    ],
    label: 'Ctrl+W: delete the word before the cursor',
  },
  {
    action: 'kill-to-start',
    keys: [{ name: 'char', char: 'u', ctrl: true }],
    label: 'Ctrl+U / Ctrl+K: delete to the start / end of the line',
  },
  { action: 'kill-to-end', keys: [{ name: 'char', char: 'k', ctrl: true }], label: '' },
  {
    action: 'clear-screen',
    keys: [{ name: 'char', char: 'l', ctrl: true }],
    label: 'Ctrl+L: clear the screen (like /clear)',
  },
  {
    action: 'attach',
    keys: [{ name: 'char', char: ']', ctrl: true }],
    label:
      'Ctrl+]: Lifeline’s command line; twice: the whole terminal for a running program (Ctrl+] takes it back)',
  },
  { action: 'picker-up', keys: [{ name: 'up' }], label: '' },
  { action: 'picker-down', keys: [{ name: 'down' }], label: '' },
  { action: 'picker-choose', keys: [{ name: 'return' }], label: '' },
  {
    action: 'picker-cancel',
    keys: [{ name: 'escape' }, { name: 'char', char: 'c', ctrl: true }],
    label: '',
  },
];

const pickerActions = new Set<Action>([
  'picker-up',
  'picker-down',
  'picker-choose',
  'picker-cancel',
]);

/** The action a key triggers in a context: the prompt, or the session picker. */
export function actionFor(press: KeyPress, context: 'prompt' | 'picker'): Action | undefined {
  for (const binding of keyBindings) {
    if (pickerActions.has(binding.action) !== (context === 'picker')) continue;
    const matches = binding.keys.some(
      (candidate) =>
        candidate.name === press.name &&
        (candidate.char === undefined || candidate.char === press.char) &&
        (candidate.ctrl ?? false) === press.ctrl &&
        (candidate.meta ?? false) === press.meta,
    );
    if (matches) return binding.action;
  }
  return undefined;
}

/** The control character Ctrl+] sends: the attach key, recognised even inside raw passthrough. */
export const ATTACH_KEY_SEQUENCE = '\x1d';

/**
 * The Lifeline key (Ctrl+], the same key as the attach key): at the shell's own prompt it opens
 * Lifeline's command line; pressed twice it is the key itself, so no key is taken from the shell.
 */
export const LIFELINE_KEY_SEQUENCE = ATTACH_KEY_SEQUENCE;
