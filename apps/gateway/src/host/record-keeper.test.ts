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

/** A keeper of RECORD whose file writes are collected in `written`. */
function keeperOf(): { keeper: RecordKeeper; written: SessionRecord[] } {
  const written: SessionRecord[] = [];
  const keeper = new RecordKeeper({
    record: RECORD,
    persist: (record) => written.push(record) > 0,
  });
  return { keeper, written };
}

describe('RecordKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('changes made together are written once, a moment later', () => {
    const { keeper, written } = keeperOf();
    keeper.save({ ...RECORD, cwd: '/a' });
    keeper.save({ ...keeper.current, lastCommand: 'ls' });
    expect(written).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(written).toEqual([{ ...RECORD, cwd: '/a', lastCommand: 'ls' }]);
  });

  test('flush writes a pending change at once and nothing twice', () => {
    const { keeper, written } = keeperOf();
    keeper.save({ ...RECORD, cwd: '/b' });
    keeper.flush();
    vi.advanceTimersByTime(1000);
    keeper.flush();
    expect(written).toEqual([{ ...RECORD, cwd: '/b' }]);
  });

  test('saving the same record writes nothing', () => {
    const { keeper, written } = keeperOf();
    keeper.save({ ...RECORD });
    vi.advanceTimersByTime(1000);
    expect(written).toEqual([]);
  });

  test('a record its file holds already is not written again, whatever changed in between', () => {
    const { keeper, written } = keeperOf();
    keeper.save({ ...RECORD, lastCommand: 'true' });
    keeper.flush();
    // The same command again: named as running a moment, then done where it started.
    for (const runId of ['r1', 'r2']) {
      keeper.save({ ...keeper.current, lastCommand: 'true' });
      keeper.flush();
      keeper.save({ ...keeper.current, running: { runId, startSeq: 1 } });
      keeper.save(withoutRun(keeper.current));
      keeper.flush();
    }
    vi.advanceTimersByTime(1000);
    expect(written).toEqual([{ ...RECORD, lastCommand: 'true' }]);
  });

  test('a run that outlives the delay is written, and so is its end', () => {
    const { keeper, written } = keeperOf();
    const running = { ...RECORD, running: { runId: 'r1', startSeq: 4 } };
    keeper.save(running);
    vi.advanceTimersByTime(200);
    keeper.save(withoutRun(keeper.current));
    keeper.flush();
    expect(written).toEqual([running, RECORD]);
  });

  test('a record the disk had no room for is written at the next flush', () => {
    const written: SessionRecord[] = [];
    let room = false;
    const keeper = new RecordKeeper({
      record: RECORD,
      persist: (record) => room && written.push(record) > 0,
    });
    keeper.save({ ...RECORD, cwd: '/full' });
    keeper.flush();
    room = true;
    keeper.flush();
    expect(written).toEqual([{ ...RECORD, cwd: '/full' }]);
  });

  test('withoutRun drops the run a host had going, and only that', () => {
    const running = { ...RECORD, running: { runId: 'r1', startSeq: 3 } };
    expect(withoutRun(running)).toEqual(RECORD);
  });
});
