import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { SessionRecord } from '../state/session-record.js';
import { RecordKeeper, withoutRun } from './record-keeper.js';

const RECORD: SessionRecord = {
  sid: 's_0123456789abcdef0123456789abcdef' as SessionRecord['sid'],
  name: 'test',
  shell: '/bin/sh',
  env: {},
  cwd: '/tmp',
  cols: 80,
  rows: 24,
  createdAt: new Date(0).toISOString(),
  socketPath: '/tmp/host.sock',
};

describe('RecordKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('changes made together are written once, a moment later', () => {
    const written: SessionRecord[] = [];
    const keeper = new RecordKeeper({ record: RECORD, persist: (record) => written.push(record) });
    keeper.save({ ...RECORD, cwd: '/a' });
    keeper.save({ ...keeper.current, lastCommand: 'ls' });
    expect(written).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(written).toEqual([{ ...RECORD, cwd: '/a', lastCommand: 'ls' }]);
  });

  test('flush writes a pending change at once and nothing twice', () => {
    const written: SessionRecord[] = [];
    const keeper = new RecordKeeper({ record: RECORD, persist: (record) => written.push(record) });
    keeper.save({ ...RECORD, cwd: '/b' });
    keeper.flush();
    vi.advanceTimersByTime(1000);
    keeper.flush();
    expect(written).toEqual([{ ...RECORD, cwd: '/b' }]);
  });

  test('saving the same record writes nothing', () => {
    const written: SessionRecord[] = [];
    const keeper = new RecordKeeper({ record: RECORD, persist: (record) => written.push(record) });
    keeper.save({ ...RECORD });
    vi.advanceTimersByTime(1000);
    expect(written).toEqual([]);
  });

  test('withoutRun drops the run a host had going, and only that', () => {
    const running = { ...RECORD, running: { runId: 'r1', startSeq: 3 } };
    expect(withoutRun(running)).toEqual(RECORD);
  });
});
