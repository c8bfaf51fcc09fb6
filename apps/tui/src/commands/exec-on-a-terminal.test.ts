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
  // Its stdin is the terminal, as the command's is: nothing to say about input piped into exec.
  expect(lines.join('\n')).not.toContain('does not pass its own stdin');
});

test('lines reach the terminal as a command run there writes them: CR LF, not CR CR LF', async () => {
  world = new TuiWorld();
  const exec = world.start(['exec', '--', "printf 'one\\ntwo\\n'; printf 'bar\\r50%%\\n'"]);
  await exec.waitFor(/50%/);
  await exec.exited;
  expect(exec.raw).toContain('one\r\ntwo\r\nbar\r50%\r\n');
  expect(exec.raw).not.toContain('\r\r\n');
});

test('a progress line drawn again by erasing it shows its last state, as in the session', async () => {
  world = new TuiWorld();
  const exec = world.start([
    'exec',
    '--',
    "printf 'Downloading 45%% [=====     ]'; sleep 0.2; printf '\\r\\033[KDone\\n'",
  ]);
  expect(await exec.exited).toBe(0);
  expect(exec.lines()).toContain('Done');
  expect(exec.text()).not.toContain('loading');
});
