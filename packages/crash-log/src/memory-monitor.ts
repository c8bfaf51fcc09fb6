import v8 from 'node:v8';
import type { BreadcrumbWriter } from './crash-logger.js';
import { CrashLogError } from './errors.js';
import { describeValue } from './internal/describe-value.js';

/** How full the heap is. */
export type MemoryLevel = 'normal' | 'warn' | 'critical';

/** One reading of the heap. */
export interface HeapReading {
  /** Bytes in use on the V8 heap. */
  readonly usedBytes: number;
  /** The most the heap may grow to. */
  readonly limitBytes: number;
}

/** A reading with its ratio and level. */
export interface MemorySample extends HeapReading {
  /** `usedBytes / limitBytes`. */
  readonly ratio: number;
  readonly level: MemoryLevel;
}

/** Options of {@link startMemoryMonitor}. */
export interface MemoryMonitorOptions {
  /** Receives `memory.warn`, `memory.critical` and `memory.normal` when the level changes. */
  readonly logger?: BreadcrumbWriter;
  /**
   * How often the heap is read.
   * @default 5000
   */
  readonly intervalMs?: number;
  /**
   * Ratio of used to limit at which the level becomes `warn`.
   * @default 0.7
   */
  readonly warnRatio?: number;
  /**
   * Ratio of used to limit at which the level becomes `critical`.
   * @default 0.88
   */
  readonly criticalRatio?: number;
  /**
   * Reads the heap.
   * @default v8.getHeapStatistics(): used_heap_size against heap_size_limit
   */
  readonly readHeap?: () => HeapReading;
  /**
   * Starts the periodic check.
   * @default setInterval, unref'd so the monitor never keeps the process alive
   */
  readonly setInterval?: (callback: () => void, ms: number) => unknown;
  /**
   * Stops the periodic check.
   * @default clearInterval
   */
  readonly clearInterval?: (handle: unknown) => void;
  /** Called each time the level rises to `warn`. */
  readonly onWarn?: (sample: MemorySample) => void;
  /** Called each time the level rises to `critical` (typically: shut down with `memory-critical`). */
  readonly onCritical?: (sample: MemorySample) => void;
}

/** A running memory monitor. */
export interface MemoryMonitor {
  /** The level at the last check. */
  readonly level: MemoryLevel;
  /** Reads the heap now, records a level change and calls the callbacks; returns the sample. */
  check(): MemorySample;
  /** Stops the periodic check. */
  stop(): void;
}

function defaultReadHeap(): HeapReading {
  const statistics = v8.getHeapStatistics();
  return { usedBytes: statistics.used_heap_size, limitBytes: statistics.heap_size_limit };
}

function defaultSetInterval(callback: () => void, ms: number): unknown {
  const handle = setInterval(callback, ms);
  handle.unref();
  return handle;
}

const mebibytes = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/**
 * Compares the heap with its limit every `intervalMs`: on a change of level it writes a
 * breadcrumb (`memory.warn|critical|normal usedMiB=… limitMiB=… ratio=…`) and, when the level
 * rises, calls `onWarn` / `onCritical`. Never throws from its timer.
 * @throws CrashLogError (`INVALID_OPTION`) unless warnRatio, criticalRatio and intervalMs are
 *   numbers with 0 < warnRatio ≤ criticalRatio and intervalMs > 0
 */
export function startMemoryMonitor(options: MemoryMonitorOptions = {}): MemoryMonitor {
  const warnRatio = options.warnRatio ?? 0.7;
  const criticalRatio = options.criticalRatio ?? 0.88;
  const intervalMs = options.intervalMs ?? 5000;
  if (!(
    typeof warnRatio === 'number' &&
    typeof criticalRatio === 'number' &&
    warnRatio > 0 &&
    warnRatio <= criticalRatio
  )) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `memory monitor needs numbers with 0 < warnRatio ≤ criticalRatio, got ${describeValue(warnRatio)} and ${describeValue(criticalRatio)}`,
    );
  }
  if (!(typeof intervalMs === 'number' && intervalMs > 0)) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `intervalMs must be a number > 0, got ${describeValue(intervalMs)}`,
    );
  }
  const readHeap = options.readHeap ?? defaultReadHeap;
  const setTimer = options.setInterval ?? defaultSetInterval;
  const clearTimer =
    options.clearInterval ?? ((handle: unknown) => clearInterval(handle as NodeJS.Timeout));
  const rank: Record<MemoryLevel, number> = { normal: 0, warn: 1, critical: 2 };
  let level: MemoryLevel = 'normal';

  const check = (): MemorySample => {
    const reading = readHeap();
    const ratio = reading.limitBytes > 0 ? reading.usedBytes / reading.limitBytes : 0;
    const next: MemoryLevel =
      ratio >= criticalRatio ? 'critical' : ratio >= warnRatio ? 'warn' : 'normal';
    const sample: MemorySample = { ...reading, ratio, level: next };
    if (next !== level) {
      const rising = rank[next] > rank[level];
      level = next;
      options.logger?.breadcrumb(`memory.${next}`, {
        usedMiB: mebibytes(reading.usedBytes),
        limitMiB: mebibytes(reading.limitBytes),
        ratio: Math.round(ratio * 1000) / 1000,
      });
      if (rising && next === 'warn') options.onWarn?.(sample);
      if (rising && next === 'critical') options.onCritical?.(sample);
    }
    return sample;
  };

  let handle: unknown = setTimer(() => {
    try {
      check();
    } catch {
      // A failing reader or callback must not take the process down from a timer.
    }
  }, intervalMs);

  return {
    get level() {
      return level;
    },
    check,
    stop() {
      if (handle === undefined) return;
      clearTimer(handle);
      handle = undefined;
    },
  };
}
