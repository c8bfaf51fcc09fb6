import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { PAUSE_ABOVE_BYTES, RESUME_BELOW_BYTES } from './flow-control.js';
import { PtyFlow } from './pty-flow.js';

function flowed() {
  const state = { backlog: 0, calls: [] as string[], crumbs: [] as string[], now: 0 };
  const flow = new PtyFlow({
    backlogs: () => [state.backlog],
    pty: () => ({
      pause: () => state.calls.push('pause'),
      resume: () => state.calls.push('resume'),
    }),
    breadcrumb: (event) => state.crumbs.push(event),
    now: () => state.now,
  });
  return { state, flow };
}

describe('PtyFlow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('a consumer far behind pauses the PTY; it resumes by itself once the consumer catches up', () => {
    const { state, flow } = flowed();
    state.backlog = PAUSE_ABOVE_BYTES + 1;
    flow.update();
    expect(flow.paused).toBe(true);
    state.backlog = RESUME_BELOW_BYTES - 1;
    vi.advanceTimersByTime(5);
    expect(flow.paused).toBe(false);
    expect(state.calls).toEqual(['pause', 'resume']);
  });

  test('a gateway request pauses until every requester lets go', () => {
    const { state, flow } = flowed();
    const first = {};
    const second = {};
    flow.request(first, true);
    flow.request(second, true);
    flow.request(first, false);
    expect(flow.paused).toBe(true);
    flow.request(second, false);
    expect(flow.paused).toBe(false);
    expect(state.calls).toEqual(['pause', 'resume']);
  });

  test('a flood of changes leaves one breadcrumb a second', () => {
    const { state, flow } = flowed();
    const requester = {};
    for (let index = 0; index < 10; index += 1) {
      flow.request(requester, true);
      flow.request(requester, false);
    }
    expect(state.crumbs).toEqual(['flow.pause']);
    state.now = 1000;
    flow.request(requester, true);
    expect(state.crumbs).toEqual(['flow.pause', 'flow.pause']);
    flow.stop();
  });
});
