import { settleWhileRunning } from '../commands/internal/output-settling.js';
import { RunOutput, type RunEnd } from '../commands/internal/run-output.js';
import type { TerminalSize } from '../session/output-lines.js';
import { TextTail } from '../commands/internal/text-tail.js';
import type { SharedGateway } from './shared-gateway.js';

/** How watching a run stopped. */
export type WatchOutcome =
  | { kind: 'ended'; end: RunEnd }
  /** The deadline passed first; the run goes on. */
  | { kind: 'timeout' }
  /** The run waits for someone to type; it goes on. */
  | { kind: 'input-wait' }
  /** The caller cancelled; the run was interrupted (or goes on if it ignores Ctrl+C). */
  | { kind: 'cancelled' }
  /** Its events could not be followed any more; the run goes on. */
  | { kind: 'lost'; message: string };

/** What a watched run printed and how watching it stopped. */
export interface WatchedRun {
  outcome: WatchOutcome;
  /** Plain text, without the echoed command line or escape sequences (the newest part if long). */
  output: string;
  /** Lines of output left out at the front because it was longer than the limit. */
  droppedLines: number;
  /** Characters left out of the start of the first line kept (a last line over the limit). */
  cutCharacters: number;
  /** Seq of the last event of the session applied. */
  lastSeq: number;
  /** Milliseconds from the start of watching to its end, for runs whose shell did not measure it. */
  watchedMs: number;
}

/** Options of {@link watchRun}. */
export interface WatchRunOptions {
  gateway: SharedGateway;
  sid: string;
  runId: string;
  /** Seq after which the run's output begins. */
  afterSeq: number;
  /** What was typed to start (or go on with) the run: its echo is left out. */
  typed: string;
  /** The caller typed into the run: an `input_wait` before that input is the one it answers. */
  answering?: boolean;
  /** The size of the session's terminal (see {@link RunOutput}). */
  size?: TerminalSize | undefined;
  /** Epoch milliseconds at which watching stops. */
  deadline: number;
  /** Aborted when the caller cancels: the run is interrupted with Ctrl+C. */
  signal: AbortSignal;
  /** Receives each piece of output as it arrives (finished lines). */
  onOutput: (text: string) => void;
  /** Most characters of output kept for the result. */
  outputLimit: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/**
 * Follows one run's output until it ends, waits for someone to type, the deadline passes, or the
 * caller cancels (which presses Ctrl+C in the session). The gateway may die and be replaced
 * meanwhile: the session is attached again from the last event applied, so no line is lost or
 * repeated.
 */
export function watchRun(options: WatchRunOptions): Promise<WatchedRun> {
  const { gateway, sid, signal } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const output = new RunOutput({
    runId: options.runId,
    startSeq: options.afterSeq,
    command: options.typed,
    format: 'plain',
    size: options.size,
    answering: options.answering === true,
  });
  const kept = new TextTail(options.outputLimit);
  const take = (text: string) => {
    if (text === '') return;
    kept.append(text);
    options.onOutput(text);
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: WatchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settling.stop();
      signal.removeEventListener('abort', onAbort);
      stop();
      if (outcome.kind !== 'ended') take(output.flush());
      resolve({
        outcome,
        output: kept.text(),
        droppedLines: kept.dropped,
        cutCharacters: kept.cut,
        lastSeq: output.lastSeq,
        watchedMs: now() - startedAt,
      });
    };
    const settling = settleWhileRunning(output, take);
    const timer = setTimeout(
      () => finish({ kind: 'timeout' }),
      Math.max(0, options.deadline - now()),
    );
    const onAbort = () => {
      if (output.end === undefined)
        void gateway
          .call((link) => link.client.call('session.signal', { sid, signal: 'SIGINT' }))
          .catch(() => {
            // Nothing to tell: the caller is gone. The session shows the command still running.
          });
      finish({ kind: 'cancelled' });
    };
    signal.addEventListener('abort', onAbort);
    const { stop } = gateway.follow(sid, {
      lastSeq: () => output.lastSeq,
      event: (event) => {
        if (settled) return;
        const step = output.apply(event);
        take(step.text);
        if (step.outcome === 'applied' && event.type === 'output') settling.printed();
        if (step.outcome === 'gap') gateway.resync(sid);
        if (step.end) finish({ kind: 'ended', end: step.end });
        else if (step.waitsForInput) finish({ kind: 'input-wait' });
      },
      failed: (message) => finish({ kind: 'lost', message }),
    });
    if (signal.aborted) onAbort();
  });
}
