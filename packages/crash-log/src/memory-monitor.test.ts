import { describe, expect, test } from 'vitest';
import type { BreadcrumbFields } from './crash-logger.js';
import { CrashLogError } from './errors.js';
import { startMemoryMonitor, type MemorySample } from './memory-monitor.js';

function harness(readings: number[]) {
  const breadcrumbs: Array<[string, BreadcrumbFields | undefined]> = [];
  const warnings: MemorySample[] = [];
  const criticals: MemorySample[] = [];
  let tick: (() => void) | undefined;
  let cleared = false;
  const limitBytes = 1000 * 1024 * 1024;
  let next = 0;
  const monitor = startMemoryMonitor({
    logger: { breadcrumb: (event, fields) => breadcrumbs.push([event, fields]) },
    readHeap: () => ({ usedBytes: (readings[next++] ?? 0) * limitBytes, limitBytes }),
    setInterval: (callback) => {
      tick = callback;
      return 'handle';
    },
    clearInterval: (handle) => {
      cleared = handle === 'handle';
    },
    onWarn: (sample) => warnings.push(sample),
    onCritical: (sample) => criticals.push(sample),
  });
  return {
    monitor,
    breadcrumbs,
    warnings,
    criticals,
    tick: () => tick?.(),
    cleared: () => cleared,
  };
}

describe('startMemoryMonitor', () => {
  test('records each change of level once and calls back when it rises', () => {
    const run = harness([0.5, 0.71, 0.75, 0.9, 0.95, 0.6, 0.89]);
    for (let index = 0; index < 7; index += 1) run.tick();
    expect(run.breadcrumbs.map(([event]) => event)).toEqual([
      'memory.warn',
      'memory.critical',
      'memory.normal',
      'memory.critical',
    ]);
    expect(run.breadcrumbs[1]?.[1]).toEqual({ usedMiB: 900, limitMiB: 1000, ratio: 0.9 });
    expect(run.warnings.map((sample) => sample.ratio)).toEqual([0.71]);
    expect(run.criticals.map((sample) => sample.level)).toEqual(['critical', 'critical']);
    expect(run.monitor.level).toBe('critical');
    run.monitor.stop();
    expect(run.cleared()).toBe(true);
  });

  test('a failing reader never throws out of the timer', () => {
    const monitor = startMemoryMonitor({
      readHeap: () => {
        throw new Error('no heap');
      },
      setInterval: (callback) => {
        expect(callback).not.toThrow();
        return 1;
      },
      clearInterval: () => undefined,
    });
    expect(() => monitor.check()).toThrow('no heap');
  });

  test('reads the real heap by default and rejects impossible thresholds', () => {
    const monitor = startMemoryMonitor();
    const sample = monitor.check();
    expect(sample.limitBytes).toBeGreaterThan(sample.usedBytes);
    monitor.stop();
    expect(() => startMemoryMonitor({ warnRatio: 0.9, criticalRatio: 0.8 })).toThrow(CrashLogError);
  });

  test('numbers given as strings are refused, shown as strings', () => {
    const asText = (options: Record<string, string>) =>
      options as unknown as Parameters<typeof startMemoryMonitor>[0];
    expect(() => startMemoryMonitor(asText({ intervalMs: '5000' }))).toThrow(
      'intervalMs must be a number > 0, got "5000"',
    );
    expect(() => startMemoryMonitor(asText({ warnRatio: '0.5', criticalRatio: '0.9' }))).toThrow(
      'memory monitor needs numbers with 0 < warnRatio ≤ criticalRatio, got "0.5" and "0.9"',
    );
  });
});
