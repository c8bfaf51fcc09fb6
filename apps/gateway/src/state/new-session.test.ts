import { expect, test } from 'vitest';
import { defaultSessionName, firstFreeName } from './new-session.js';

test('a session given no name is named after its directory, numbered past the names taken', () => {
  expect(defaultSessionName('/home/ada/work')).toBe('work');
  expect(defaultSessionName('/')).toBe('/');
  expect(firstFreeName('work', new Set())).toBe('work');
  expect(firstFreeName('work', new Set(['work', 'work-2', 'work-4']))).toBe('work-3');
  expect(firstFreeName('work', new Set(['work-2']))).toBe('work');
});
