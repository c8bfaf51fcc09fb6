import { describe, expect, test } from 'vitest';
import * as z from 'zod/mini';
import { sessionEventSchema } from './events.js';
import { gatewayContract, sessionEventNotificationSchema } from './gateway-contract.js';
import { hostContract } from './host-contract.js';
import { lazyRequest } from './lazy-request.js';
import { OUTPUT_WINDOW_LIMITS } from './limits.js';
import { WINDOWED_EVENT_SIZE, windowedSize } from './output-window.js';

const sid = 's_01hzy3k7m2q9v8c4x6t1b5n0rd';

describe('event model', () => {
  test('accepts every documented event type with seq and time', () => {
    const events = [
      { type: 'output', data: 'hi' },
      { type: 'input', data: 'ls\r' },
      { type: 'input', data: '***\r', masked: true },
      { type: 'run_start', runId: 'r1', command: 'ls' },
      { type: 'run_start', runId: 'r2', command: 'make', origin: 'lifeline' },
      { type: 'run_start', runId: 'r3', command: 'vim notes.txt', origin: 'shell' },
      { type: 'run_complete', runId: 'r1', startSeq: 0, exitCode: 0, cwd: '/', durationMs: 2.5 },
      { type: 'input_wait', runId: 'r1' },
      { type: 'resize', cols: 80, rows: 24 },
      { type: 'host_start', pid: 42, cwd: '/' },
      { type: 'shell_ready', cwd: '/home' },
      { type: 'shell_ready' },
      { type: 'host_exit', code: null, signal: 'SIGKILL' },
      { type: 'note', text: 'restarted' },
    ].map((payload, seq) => ({ seq, time: 1_700_000_000_000, ...payload }));
    for (const event of events) expect(sessionEventSchema.parse(event)).toEqual(event);
  });

  test('refuses an unknown type, a negative seq and unknown fields', () => {
    expect(sessionEventSchema.safeParse({ seq: 0, time: 0, type: 'explode' }).success).toBe(false);
    expect(sessionEventSchema.safeParse({ seq: -1, time: 0, type: 'note', text: '' }).success).toBe(
      false,
    );
    expect(
      sessionEventSchema.safeParse({ seq: 0, time: 0, type: 'note', text: '', extra: 1 }).success,
    ).toBe(false);
    const origin = {
      seq: 0,
      time: 0,
      type: 'run_start',
      runId: 'r',
      command: 'ls',
      origin: 'agent',
    };
    expect(sessionEventSchema.safeParse(origin).success).toBe(false);
  });

  test('a session.event notification is the event plus its sid', () => {
    const notification = { sid, seq: 3, time: 1, type: 'output', data: 'x' };
    expect(sessionEventNotificationSchema.parse(notification)).toEqual(notification);
    expect(sessionEventNotificationSchema.safeParse({ ...notification, sid: 'nope' }).success).toBe(
      false,
    );
  });
});

describe('contracts', () => {
  test('the gateway serves the documented methods and notifications', () => {
    expect(Object.keys(gatewayContract.requests).sort()).toEqual(
      [
        'gateway.shutdown',
        'session.attach',
        'session.close',
        'session.create',
        'session.detach',
        'session.events',
        'session.input',
        'session.list',
        'session.prune',
        'session.recent',
        'session.rename',
        'session.reply',
        'session.resize',
        'session.run',
        'session.signal',
      ].sort(),
    );
    expect(Object.keys(gatewayContract.notifications).sort()).toEqual([
      'ready',
      'session.consumed',
      'session.event',
      'session.unreadable',
    ]);
    expect(Object.keys(hostContract.notifications).sort()).toEqual(['host.event', 'ready']);
  });

  test("a terminal's answers go as session.reply; keys do not", () => {
    const reply = (data: string) =>
      gatewayContract.requests['session.reply'].params.safeParse({ sid, data }).success;
    expect(reply('\x1b[12;1R\x1b[0n\x1b[?1;2c')).toBe(true);
    expect(reply('\x1b[12;1Rrm -rf ~\r')).toBe(false);
    expect(reply('ls\r')).toBe(false);
    expect(reply('')).toBe(false);
  });

  test('params with a typo are refused and the message names the key', () => {
    const result = gatewayContract.requests['session.run'].params.safeParse({ sid, cmd: 'ls' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(' ')).toMatch(/cmd/);
  });

  test('run timeouts and terminal sizes are bounded', () => {
    const run = gatewayContract.requests['session.run'].params;
    expect(run.safeParse({ sid, command: 'ls', timeoutMs: 0 }).success).toBe(false);
    expect(run.safeParse({ sid, command: 'ls', timeoutMs: 1000 }).success).toBe(true);
    const resize = gatewayContract.requests['session.resize'].params;
    expect(resize.safeParse({ sid, cols: 0, rows: 24 }).success).toBe(false);
  });

  test('requests without parameters may leave params out, as JSON-RPC allows', () => {
    for (const method of ['session.list', 'gateway.shutdown'] as const) {
      expect(gatewayContract.requests[method].params.safeParse(undefined).success, method).toBe(
        true,
      );
      expect(gatewayContract.requests[method].params.safeParse({}).success, method).toBe(true);
    }
  });

  test('a listing may name one session by its id, and nothing else', () => {
    const list = gatewayContract.requests['session.list'].params;
    expect(list.safeParse({ sid }).success).toBe(true);
    expect(list.safeParse({ sid: 'api' }).error?.message).toMatch(/session id/);
    expect(list.safeParse({ name: 'api' }).success).toBe(false);
  });

  test('an output window is bounded, and what is consumed is reported by seq', () => {
    const attach = gatewayContract.requests['session.attach'].params;
    expect(attach.safeParse({ sid, outputWindow: OUTPUT_WINDOW_LIMITS.min }).success).toBe(true);
    expect(attach.safeParse({ sid, outputWindow: OUTPUT_WINDOW_LIMITS.max }).success).toBe(true);
    const tooSmall = attach.safeParse({ sid, outputWindow: 100 });
    expect(tooSmall.error?.message).toMatch(/outputWindow/);
    expect(attach.safeParse({ sid, outputWindow: OUTPUT_WINDOW_LIMITS.max + 1 }).success).toBe(
      false,
    );
    const consumed = gatewayContract.notifications['session.consumed'];
    expect(consumed.safeParse({ sid, seq: 41 }).success).toBe(true);
    expect(consumed.safeParse({ sid, seq: -2 }).success).toBe(false);
    // A new window with a report, within the same bounds.
    const { min, max } = OUTPUT_WINDOW_LIMITS;
    expect(consumed.safeParse({ sid, seq: 41, outputWindow: min }).success).toBe(true);
    expect(consumed.safeParse({ sid, seq: 41, outputWindow: max }).success).toBe(true);
    expect(consumed.safeParse({ sid, seq: 41, outputWindow: min - 1 }).success).toBe(false);
    expect(consumed.safeParse({ sid, seq: 41, outputWindow: max + 1 }).success).toBe(false);
  });
});

test("a lazy request's schemas are built once, the first time either checks a value", () => {
  let builds = 0;
  const request = lazyRequest(() => {
    builds += 1;
    return { params: z.string(), result: z.number() };
  });
  expect(builds).toBe(0);
  expect(request.params.safeParse('a').success).toBe(true);
  expect(request.result.safeParse('a').success).toBe(false);
  expect(request.result.safeParse(1).success).toBe(true);
  expect(builds).toBe(1);
});

test('an event counts for its output data in an output window, any other event for a fixed size', () => {
  expect(windowedSize({ seq: 0, time: 0, type: 'output', data: 'x'.repeat(1000) })).toBe(1000);
  expect(windowedSize({ seq: 1, time: 0, type: 'input_wait', runId: 'r1' })).toBe(
    WINDOWED_EVENT_SIZE,
  );
  expect(WINDOWED_EVENT_SIZE).toBeGreaterThan(0);
});
