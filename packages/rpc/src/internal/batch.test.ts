import { describe, expect, test } from 'vitest';
import { dispatchBatch } from './batch.js';

describe('dispatchBatch', () => {
  test('answers once, as one array in completion order, after the last asynchronous answer', async () => {
    const sends: object[][] = [];
    const later: (() => void)[] = [];
    dispatchBatch(
      [{ id: 1 }, { note: true }, { id: 2 }],
      (item, respond) => {
        const { id } = item as { id?: number };
        if (id === undefined) return false;
        if (id === 1) later.push(() => respond({ id: 1 }));
        else respond({ id: 2 });
        return true;
      },
      (responses) => sends.push(responses),
    );
    expect(sends).toEqual([]);
    await Promise.resolve();
    later[0]?.();
    expect(sends).toEqual([[{ id: 2 }, { id: 1 }]]);
  });

  test('a batch of notifications only is not answered at all', () => {
    const sends: object[][] = [];
    dispatchBatch(
      [1, 2],
      () => false,
      (responses) => sends.push(responses),
    );
    expect(sends).toEqual([]);
  });

  test('an answer JSON cannot carry fails alone, before anything is sent', () => {
    const sends: object[][] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const attempts: string[] = [];
    dispatchBatch(
      ['bad', 'good'],
      (item, respond) => {
        try {
          respond(item === 'bad' ? { result: cyclic } : { result: 'ok' });
          attempts.push(`${String(item)} sent`);
        } catch (error) {
          attempts.push(`${String(item)} refused: ${(error as Error).name}`);
          respond({ error: 'replaced' });
        }
        return true;
      },
      (responses) => sends.push(responses),
    );
    expect(attempts).toEqual(['bad refused: TypeError', 'good sent']);
    expect(sends).toEqual([[{ error: 'replaced' }, { result: 'ok' }]]);
  });
});
