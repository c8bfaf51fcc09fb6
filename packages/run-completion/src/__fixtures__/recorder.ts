import {
  createRunCoordinator,
  type RunCoordinator,
  type RunCoordinatorOptions,
} from '../coordinator.js';
import type { RunCompleteEvent } from '../coordinator.js';

/** One event as the caller's log would hold it. */
export type RecordedEvent =
  | { seq: number; type: 'output'; data: string | Uint8Array }
  | { seq: number; type: 'run_start'; runId: string; command: string; origin?: 'shell' }
  | ({ seq: number; type: 'run_complete' } & RunCompleteEvent);

/** A coordinator wired to an in-memory event log with contiguous seqs, like a session host's. */
export interface Recorder {
  coordinator: RunCoordinator;
  events: RecordedEvent[];
  /** Appends a `run_start` event and returns its seq (what a host does before `register()`). */
  appendRunStart(runId: string, command: string): number;
  /** The output events merged: text between completions, and the completions, in order. */
  timeline(): (string | { complete: string; exitCode: number; cwd: string })[];
  /** All output as text. */
  outputText(): string;
}

const decoder = new TextDecoder();

export function text(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : decoder.decode(data);
}

/** @param options.shellRuns record the commands the shell reports on its own as runs */
export function recorder(
  options: Omit<
    RunCoordinatorOptions,
    'appendOutput' | 'appendRunComplete' | 'appendShellRunStart'
  > & {
    shellRuns?: boolean;
  },
): Recorder {
  const events: RecordedEvent[] = [];
  const { shellRuns, ...coordinatorOptions } = options;
  const coordinator = createRunCoordinator({
    ...coordinatorOptions,
    ...(shellRuns === true
      ? {
          appendShellRunStart: (event: { runId: string; command: string }) => {
            const seq = events.length;
            events.push({
              seq,
              type: 'run_start',
              runId: event.runId,
              command: event.command,
              origin: 'shell',
            });
            return seq;
          },
        }
      : {}),
    appendOutput: (data) => {
      // Copy: byte chunks may be views into a buffer the test reuses.
      events.push({
        seq: events.length,
        type: 'output',
        data: typeof data === 'string' ? data : data.slice(),
      });
    },
    appendRunComplete: (event) => {
      const seq = events.length;
      events.push({ seq, type: 'run_complete', ...event });
      return seq;
    },
  });
  return {
    coordinator,
    events,
    appendRunStart(runId, command) {
      const seq = events.length;
      events.push({ seq, type: 'run_start', runId, command });
      return seq;
    },
    timeline() {
      const merged: (string | { complete: string; exitCode: number; cwd: string })[] = [];
      let pending: Uint8Array[] = [];
      let pendingText = '';
      const flush = () => {
        const joined =
          pendingText + (pending.length > 0 ? decoder.decode(concatBytes(pending)) : '');
        if (joined !== '') merged.push(joined);
        pending = [];
        pendingText = '';
      };
      for (const event of events) {
        if (event.type === 'output') {
          if (typeof event.data === 'string') pendingText += event.data;
          else pending.push(event.data);
        } else if (event.type === 'run_complete') {
          flush();
          merged.push({ complete: event.runId, exitCode: event.exitCode, cwd: event.cwd });
        }
      }
      flush();
      return merged;
    },
    outputText() {
      const strings: string[] = [];
      const bytes: Uint8Array[] = [];
      for (const event of events) {
        if (event.type !== 'output') continue;
        if (typeof event.data === 'string') strings.push(event.data);
        else bytes.push(event.data);
      }
      return strings.join('') + (bytes.length > 0 ? decoder.decode(concatBytes(bytes)) : '');
    },
  };
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
