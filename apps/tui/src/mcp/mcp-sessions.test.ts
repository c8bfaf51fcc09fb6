import type { SessionSummary } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { McpSessions } from './mcp-sessions.js';
import type { SharedGateway } from './shared-gateway.js';

/** A gateway whose sessions are records in memory, and whose `session.create` answers when told. */
function fakeGateway() {
  const sessions: SessionSummary[] = [];
  const creating: (() => void)[] = [];
  const closed: string[] = [];
  const summary = (sid: string): SessionSummary => ({
    sid: sid as SessionSummary['sid'],
    name: sid,
    status: 'live',
    cwd: '/work',
    shell: '/bin/bash',
    createdAt: '2026-01-01T00:00:00.000Z',
    lastActivityAt: '2026-01-01T00:00:00.000Z',
    lastSeq: 3,
  });
  const client = {
    call: (method: string, params: { sid?: string }) => {
      switch (method) {
        case 'session.create':
          return new Promise((resolve) => {
            creating.push(() => {
              const created = summary(`s_${'0'.repeat(25)}${sessions.length}`);
              sessions.push(created);
              resolve({ session: created });
            });
          });
        case 'session.list':
          return Promise.resolve({ sessions: sessions.map((session) => ({ ...session })) });
        case 'session.close':
          closed.push(params.sid ?? '');
          return Promise.resolve({ ok: true });
        default:
          return Promise.reject(new Error(`unexpected ${method}`));
      }
    },
  };
  const gateway = {
    call: <T>(through: (link: { client: typeof client }) => Promise<T>) => through({ client }),
  } as unknown as SharedGateway;
  return { gateway, sessions, creating, closed };
}

test('a session of its own still being started as the server exits is closed once started', async () => {
  const fake = fakeGateway();
  const sessions = new McpSessions(fake.gateway, '/work', '/state');
  const started = sessions.startOwn('/work');
  const closing = sessions.closeIdleOwn();
  await Promise.resolve();
  fake.creating.shift()?.();
  await started;
  expect(await closing).toEqual([]);
  expect(fake.closed).toEqual([fake.sessions[0]?.sid]);
});

test('only its own idle sessions are closed: one running a command is named, others are left alone', async () => {
  const fake = fakeGateway();
  const sessions = new McpSessions(fake.gateway, '/work', '/state');
  const idle = sessions.startOwn('/work');
  fake.creating.shift()?.();
  const busy = sessions.startOwn('/work');
  fake.creating.shift()?.();
  const other = sessions.start('/work');
  fake.creating.shift()?.();
  const [idleSid, busySid] = [(await idle).sid, (await busy).sid];
  await other;
  const running = fake.sessions.find((session) => session.sid === busySid);
  if (running) running.running = { runId: 'r1', command: 'sleep 60', startSeq: 2 };
  expect(await sessions.closeIdleOwn()).toEqual([{ sid: busySid, command: 'sleep 60' }]);
  expect(fake.closed).toEqual([idleSid]);
});

test('calls take their turn in the own session in the order they came, a failed one passing it on', async () => {
  const sessions = new McpSessions(fakeGateway().gateway, '/work', '/state');
  const order: string[] = [];
  let startFirst = (): void => undefined;
  const first = sessions.ownTurn(
    () =>
      new Promise<void>((resolve) => {
        order.push('first starts');
        startFirst = () => {
          order.push('first started');
          resolve();
        };
      }),
  );
  const second = sessions.ownTurn(() => {
    order.push('second starts');
    return Promise.reject(new Error('refused'));
  });
  const third = sessions.ownTurn(() => {
    order.push('third starts');
    return Promise.resolve('third');
  });
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['first starts']);
  startFirst();
  await first;
  await expect(second).rejects.toThrow('refused');
  expect(await third).toBe('third');
  expect(order).toEqual(['first starts', 'first started', 'second starts', 'third starts']);
});

test('a session runs a call of the server until every call counted there has answered, each counted once', () => {
  const sessions = new McpSessions(fakeGateway().gateway, '/work', '/state');
  const answeredFirst = sessions.callRuns('s_a');
  const answeredSecond = sessions.callRuns('s_a');
  expect(sessions.hasCallRunning('s_a')).toBe(true);
  expect(sessions.hasCallRunning('s_b')).toBe(false);
  answeredFirst();
  answeredFirst();
  expect(sessions.hasCallRunning('s_a')).toBe(true);
  answeredSecond();
  expect(sessions.hasCallRunning('s_a')).toBe(false);
});
