// `lifeline exec` run from a terminal, where its output and what it says share the screen.
import { afterEach, expect, test } from 'vitest';
import { TuiWorld } from '../test-utils/tui-harness.js';

let world: TuiWorld;
afterEach(async () => {
  await world.dispose();
});

test('what exec says starts a line of its own after output that left its line unfinished (a prompt)', async () => {
  world = new TuiWorld();
  const exec = world.start(['exec', '--', `printf 'name? '; read answer`]);
  await exec.waitFor(/is waiting for someone to type/);
  const lines = exec.lines();
  const said = lines.findIndex((line) => line.includes('is waiting for someone to type'));
  expect(lines[said]).toMatch(/^lifeline: /);
  expect(lines[said - 1]?.trimEnd()).toBe('name?');
});
