import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { defaultCrashLogPath, resolveStateDirectory, stateDirectorySource } from './state-paths.js';

test('LIFELINE_HOME wins, then XDG_STATE_HOME/lifeline, then ~/.local/state/lifeline', () => {
  expect(resolveStateDirectory({ LIFELINE_HOME: '/a', XDG_STATE_HOME: '/b', HOME: '/h' })).toBe(
    '/a',
  );
  expect(resolveStateDirectory({ XDG_STATE_HOME: '/b', HOME: '/h' })).toBe('/b/lifeline');
  expect(resolveStateDirectory({ HOME: '/h' })).toBe('/h/.local/state/lifeline');
  expect(resolveStateDirectory({})).toBe(path.join(os.homedir(), '.local', 'state', 'lifeline'));
});

test('empty variables count as unset and a relative XDG_STATE_HOME is ignored', () => {
  expect(resolveStateDirectory({ LIFELINE_HOME: '', XDG_STATE_HOME: 'relative', HOME: '/h' })).toBe(
    '/h/.local/state/lifeline',
  );
  expect(resolveStateDirectory({ LIFELINE_HOME: 'rel' })).toBe(path.resolve('rel'));
});

test('the source says which setting the directory came from, by the same rules', () => {
  expect(stateDirectorySource({ LIFELINE_HOME: '/a', XDG_STATE_HOME: '/b' })).toBe('LIFELINE_HOME');
  expect(stateDirectorySource({ LIFELINE_HOME: ' ', XDG_STATE_HOME: '/b' })).toBe('XDG_STATE_HOME');
  expect(stateDirectorySource({ XDG_STATE_HOME: 'relative', HOME: '/h' })).toBe('HOME');
  expect(stateDirectorySource({})).toBe('HOME');
});

test('the crash log sits in logs/ under the state directory', () => {
  expect(defaultCrashLogPath({ LIFELINE_HOME: '/srv/lifeline' })).toBe(
    '/srv/lifeline/logs/crash.log',
  );
  expect(defaultCrashLogPath({ XDG_STATE_HOME: '/x', HOME: '/h' })).toBe(
    '/x/lifeline/logs/crash.log',
  );
});
