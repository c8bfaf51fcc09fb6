import { LifelineErrorCode } from '@lifeline/protocol';
import { describe, expect, test } from 'vitest';
import { busyError } from './busy-error.js';

describe('busyError', () => {
  test('says what kept the run from starting, and what to do', () => {
    expect(busyError('running', 500, 'make', 's_1', 'run-1')).toMatchObject({
      code: LifelineErrorCode.SessionBusy,
      message: expect.stringMatching(
        /still busy with "make" after 500ms.*interrupt it$/,
      ) as unknown,
      data: { sid: 's_1', runningRunId: 'run-1' },
    });
    expect(busyError(undefined, 500, '', 's_1', undefined).message).toContain(
      'busy with "its shell start-up"',
    );
    expect(busyError('continuation', 500, '', 's_1', undefined)).toMatchObject({
      message: expect.stringMatching(
        /waiting for more lines \(a continuation prompt, "> "\) for 500ms.*cancel it \(Ctrl\+C\)/,
      ) as unknown,
      data: { sid: 's_1', runningRunId: null, reason: 'continuation' },
    });
    // Refused at once (ifIdle): no time is named.
    expect(busyError('continuation', 0, '', 's_1', undefined).message).toMatch(
      /^a command someone is typing at the session's prompt is waiting for more lines/,
    );
    expect(busyError('line-editor-mode', 500, '', 's_1', undefined)).toMatchObject({
      message: expect.stringContaining('in a mode of its own') as unknown,
      data: { reason: 'line-editor-mode' },
    });
    expect(busyError('line-editor-mode', 0, '', 's_1', undefined).message).toMatch(
      /^someone's keys have left the session's line editor in a mode of its own \([^)]*\), so/,
    );
  });
});
