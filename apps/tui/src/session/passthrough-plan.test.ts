import { expect, test } from 'vitest';
import { enterAlternateScreen } from '../terminal-sequences.js';
import { planPassthrough } from './passthrough-plan.js';

test('output of a program that stays on the main screen is not handed over', () => {
  expect(planPassthrough('off', 'hello\n', [])).toEqual({ actions: [], mode: 'off' });
});

test('entering the alternate screen hands the terminal over from the switch on', () => {
  const chunk = 'before\x1b[?1049hVIM';
  const { actions, mode } = planPassthrough('off', chunk, [
    { active: true, chunkOffset: chunk.indexOf('VIM') },
  ]);
  expect(mode).toBe('alternate-screen');
  expect(actions).toEqual([
    { kind: 'enter', mode: 'alternate-screen' },
    { kind: 'raw', data: enterAlternateScreen },
    { kind: 'raw', data: 'VIM' },
  ]);
});

test('leaving it gives the terminal back just after the switch', () => {
  const chunk = 'bye\x1b[?1049lafter';
  const { actions, mode } = planPassthrough('alternate-screen', chunk, [
    { active: false, chunkOffset: chunk.indexOf('after') },
  ]);
  expect(mode).toBe('off');
  expect(actions).toEqual([{ kind: 'raw', data: 'bye\x1b[?1049l' }, { kind: 'leave' }]);
});

test('a user who attached keeps the terminal through any switch', () => {
  const chunk = 'a\x1b[?1049hb\x1b[?1049lc';
  expect(
    planPassthrough('attached', chunk, [
      { active: true, chunkOffset: 9 },
      { active: false, chunkOffset: 18 },
    ]),
  ).toEqual({
    actions: [{ kind: 'raw', data: chunk }],
    mode: 'attached',
  });
});

test('a program that enters and leaves within one chunk borrows the terminal in between', () => {
  const chunk = 'x\x1b[?1049hfull\x1b[?1049ly';
  const enterEnd = chunk.indexOf('full');
  const leaveEnd = chunk.indexOf('y');
  const { actions, mode } = planPassthrough('off', chunk, [
    { active: true, chunkOffset: enterEnd },
    { active: false, chunkOffset: leaveEnd },
  ]);
  expect(mode).toBe('off');
  expect(actions).toEqual([
    { kind: 'enter', mode: 'alternate-screen' },
    { kind: 'raw', data: enterAlternateScreen },
    { kind: 'raw', data: 'full\x1b[?1049l' },
    { kind: 'leave' },
  ]);
});
