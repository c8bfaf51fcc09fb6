import type { SessionSummary } from '@lifeline/protocol';
import { Text } from 'ink';
import { describe, expect, test, vi } from 'vitest';
import type { StatusMessage } from '../connection/status-message.js';
import { renderLive } from '../test-utils/render-frame.js';
import { SessionPicker } from './SessionPicker.js';
import { openPicker, useSessionPicker, type SessionPicking } from './use-session-picker.js';

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

/** The picker of a TUI showing `work`, whose gateway lists `listed`; the sessions resumed are kept. */
function renderPicker(listed: SessionSummary[] | Error | (() => Promise<SessionSummary[]>)) {
  const resumed: string[] = [];
  const said: string[] = [];
  const controller = {
    sessionId: work.sid,
    listSessions: () =>
      typeof listed === 'function'
        ? listed()
        : listed instanceof Error
          ? Promise.reject(listed)
          : Promise.resolve(listed),
    resume: (sid: string) => {
      resumed.push(sid);
      return Promise.resolve();
    },
    say: (message: StatusMessage | undefined) => {
      if (message) said.push(message.text);
    },
  };
  const keys: { current: SessionPicking | undefined } = { current: undefined };
  function Picker() {
    const picking = useSessionPicker(controller);
    keys.current = picking;
    return picking.picker ? (
      <SessionPicker
        sessions={picking.picker.sessions}
        selected={picking.picker.selected}
        listing={picking.picker.typedAhead !== undefined}
        current={controller.sessionId}
        now={now}
        maxRows={20}
      />
    ) : (
      <Text>closed</Text>
    );
  }
  const rendered = renderLive(<Picker />, 120);
  /** Acts on keys that came in one chunk: no render between them. */
  const press = (...actions: Parameters<SessionPicking['onAction']>[0][]) => {
    for (const action of actions) keys.current?.onAction(action);
  };
  return {
    ...rendered,
    resumed,
    said,
    open: () => keys.current?.open(),
    isOpen: () => keys.current?.isOpen(),
    press,
  };
}

/** The name on the row the pointer is on. */
function pointedAt(frame: string): string | undefined {
  return /^▸ \S+ \S+\s+\S+ (\S+)/m.exec(frame)?.[1];
}

describe('useSessionPicker', () => {
  test('every arrow key of one chunk moves the selection, and Enter resumes where they left it', async () => {
    const picker = renderPicker([api, web, docs, work]);
    await picker.settled();
    picker.open();
    expect(pointedAt(await picker.settled())).toBe('wrk');
    // A held arrow key, or a terminal that batches keys, sends ↓↓ in one chunk.
    picker.press('picker-down', 'picker-down');
    expect(pointedAt(await picker.settled())).toBe('web');
    picker.press('picker-up', 'picker-up', 'picker-up');
    expect(pointedAt(await picker.settled())).toBe('doc');
    picker.press('picker-down', 'picker-down', 'picker-choose');
    expect(await picker.settled()).toContain('closed');
    expect(picker.resumed).toEqual([api.sid]);
    // Closed by the Enter of the chunk, the picker takes no more of its keys.
    picker.open();
    await picker.settled();
    picker.press('picker-cancel', 'picker-down', 'picker-choose');
    expect(await picker.settled()).toContain('closed');
    expect(picker.resumed).toEqual([api.sid]);
    picker.unmount();
  });

  test("keys typed while the list is on its way are the picker's: they act on it once it is there, in order", async () => {
    const deliveries: ((sessions: SessionSummary[]) => void)[] = [];
    const picker = renderPicker(
      () =>
        new Promise((resolve) => {
          deliveries.push(resolve);
        }),
    );
    await picker.settled();
    picker.open();
    expect(await picker.settled()).toContain('listing the sessions…');
    // Open already: the keys go to it, not to the shell (where Enter would run a command).
    expect(picker.isOpen()).toBe(true);
    picker.press('picker-down', 'picker-down', 'picker-choose');
    expect(picker.resumed).toEqual([]);
    deliveries[0]?.([api, web, docs, work]);
    await vi.waitFor(() => {
      expect(picker.resumed).toEqual([web.sid]);
    });
    expect(await picker.settled()).toContain('closed');

    // Esc while it lists closes it at once; the list that comes later opens nothing.
    picker.open();
    picker.press('picker-cancel');
    expect(picker.isOpen()).toBe(false);
    deliveries[1]?.([api, web, docs, work]);
    await Promise.resolve();
    expect(await picker.settled()).toContain('closed');
    picker.unmount();
  });

  test('a list the gateway cannot give leaves the picker closed and says why', async () => {
    const picker = renderPicker(new Error('the gateway exited'));
    await picker.settled();
    picker.open();
    await vi.waitFor(() => {
      expect(picker.said).toEqual(['cannot list the sessions: the gateway exited']);
    });
    expect(await picker.settled()).toContain('closed');
    picker.unmount();
  });
});
