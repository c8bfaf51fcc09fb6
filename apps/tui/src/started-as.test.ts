import { afterEach, expect, test } from 'vitest';
import { startCommand, takeStartedAs } from './started-as.js';

afterEach(() => {
  takeStartedAs({ LIFELINE_STARTED_AS: 'lifeline' });
});

test('the command a launcher names is the one to tell, and it is not passed on to what Lifeline starts', () => {
  const env: NodeJS.ProcessEnv = { LIFELINE_STARTED_AS: 'pnpm start', PATH: '/bin' };
  takeStartedAs(env);
  expect(startCommand()).toBe('pnpm start');
  expect(env).toEqual({ PATH: '/bin' });
});

test('without a launcher (or with a blank name) it is `lifeline`', () => {
  takeStartedAs({});
  expect(startCommand()).toBe('lifeline');
  takeStartedAs({ LIFELINE_STARTED_AS: '  ' });
  expect(startCommand()).toBe('lifeline');
});
