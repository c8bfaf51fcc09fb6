import { expect, test } from 'vitest';
import { HeldInput } from './held-input.js';
import type { KeyPress } from './keypress.js';

const key = (char: string): KeyPress => ({
  kind: 'key',
  name: 'char',
  char,
  ctrl: false,
  meta: false,
  shift: false,
  sequence: char,
});

test('keys and pastes are held in order and taken once', () => {
  const held = new HeldInput();
  expect(held.holding).toBe(false);
  expect(held.hold({ event: key('l'), literal: false })).toBe(true);
  expect(held.hold({ event: { kind: 'paste', text: 's -l' }, literal: false })).toBe(true);
  expect(held.hold({ event: key(']'), literal: true })).toBe(true);
  expect(held.holding).toBe(true);
  expect(held.take()).toEqual([
    { event: key('l'), literal: false },
    { event: { kind: 'paste', text: 's -l' }, literal: false },
    { event: key(']'), literal: true },
  ]);
  expect(held.holding).toBe(false);
  expect(held.take()).toEqual([]);
});

test('past the most held, a key or paste is refused whole and what came before it is kept', () => {
  const held = new HeldInput(10);
  expect(held.hold({ event: { kind: 'paste', text: '12345678' }, literal: false })).toBe(true);
  expect(held.hold({ event: { kind: 'paste', text: 'abc' }, literal: false })).toBe(false);
  expect(held.hold({ event: key('9'), literal: false })).toBe(true);
  expect(held.hold({ event: key('0'), literal: false })).toBe(true);
  expect(held.hold({ event: key('!'), literal: false })).toBe(false);
  expect(
    held.take().map(({ event }) => (event.kind === 'paste' ? event.text : event.char)),
  ).toEqual(['12345678', '9', '0']);
  // Taking what was held makes room again.
  expect(held.hold({ event: { kind: 'paste', text: '0123456789' }, literal: false })).toBe(true);
});
