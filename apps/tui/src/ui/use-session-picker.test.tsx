import type { SessionSummary } from '@lifeline/protocol';
import { describe, expect, test } from 'vitest';
import { openPicker } from './use-session-picker.js';

const now = Date.parse('2026-11-22T01:00:00.000Z');

/** A live session of the given name, last active `idleSeconds` before `now`. */
function summary(name: string, idleSeconds: number, createdAt: string): SessionSummary {
  return {
    sid: `s_01m80d15c72eqxhs3a122mb${name.padEnd(3, 'x').slice(0, 3)}` as never,
    name,
    status: 'live',
    cwd: `/srv/${name}`,
    shell: '/bin/bash',
    createdAt,
    lastActivityAt: new Date(now - idleSeconds * 1000).toISOString(),
    lastSeq: 4,
  };
}

// Listed by the gateway in the order they were created.
const api = summary('api', 360, '2026-11-22T00:10:00.000Z');
const web = summary('web', 400, '2026-11-22T00:20:00.000Z');
const docs = summary('doc', 16, '2026-11-22T00:30:00.000Z');
const work = summary('wrk', 60, '2026-11-22T00:40:00.000Z');

describe('openPicker', () => {
  test('lists the sessions most recently active first, the one shown selected', () => {
    const opened = openPicker([api, web, docs, work], work.sid);
    expect(opened.sessions.map((session) => session.name)).toEqual(['doc', 'wrk', 'api', 'web']);
    expect(opened.selected).toBe(1);
  });

  test('selects the first session when the one shown is not listed', () => {
    expect(openPicker([api, web], undefined).selected).toBe(0);
  });
});
