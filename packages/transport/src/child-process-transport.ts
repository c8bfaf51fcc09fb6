import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Framing } from './internal/framing.js';
import { TransportError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import { checkDuration } from './internal/option-checks.js';
import { closeReasonForError, StreamLink, stalledError } from './internal/stream-link.js';
import { TailBuffer } from './internal/tail-buffer.js';
import type { SerializedMessage } from './internal/serialized-message.js';
import { TransportCore } from './internal/transport-core.js';
import { ndjsonTransportSettings } from './stream-transport.js';
import type {
  NdjsonTransportOptions,
  StreamTransport,
  UndecodedFrames,
} from './stream-transport.js';
import type { CloseInfo, CloseReason } from './transport.js';

/** How much of a child's stderr the close info keeps: 4 KiB. */
export const STDERR_TAIL_BYTES = 4096;

/** Default time to wait for a child's exit status once its pipes say it is going: 250 ms. */
export const DEFAULT_EXIT_GRACE_MS = 250;

/** Options of {@link spawnTransport}: Node's spawn options (minus `stdio`) plus transport limits. */
export interface SpawnTransportOptions extends NdjsonTransportOptions, Omit<SpawnOptions, 'stdio'> {
  /**
   * What to do with the child's stderr. `pipe` keeps the last 4 KiB for the close info and
   * passes every chunk to `onStderr`; `inherit` shares this process's stderr (no tail).
   * @default 'pipe'
   */
  stderr?: 'pipe' | 'inherit' | 'ignore';
  /** Called with every stderr chunk when `stderr` is `pipe` (to forward it to a log, say). */
  onStderr?: (chunk: Buffer) => void;
  /**
   * After the child's stdout ends or its stdin breaks, how long to wait for its exit status
   * before closing without it (a child that closed stdout but stays alive closes as `eof`).
   * Also how long to wait, after the exit, for the last stdout and stderr bytes.
   * @default 250
   */
  exitGraceMs?: number;
}

/** What {@link spawnTransport} returns. */
export interface SpawnedTransport {
  /** The transport over the child's stdin and stdout. */
  readonly transport: StreamTransport;
  /** The child process itself. */
  readonly child: ChildProcess;
  /**
   * Sends `signal` to the child and closes the transport with `reason` once the child has exited
   * (so `closed` carries its exit code and signal). Returns what `child.kill` returns. Sending a
   * signal the child ignores leaves `closed` pending until it exits: follow up with `SIGKILL`.
   * @param signal @default 'SIGTERM'
   * @param reason the close reason to report @default 'local'
   */
  kill(signal?: NodeJS.Signals | number, reason?: CloseReason): boolean;
}

/**
 * Spawns `command` with pipes and speaks framed JSON (NDJSON unless `framing` says otherwise)
 * over its stdin/stdout.
 *
 * `closed` carries the exit code, the signal and the last 4 KiB of stderr. A child that exits
 * closes the transport with `peer-gone` once its exit status is known; a child that closes its
 * stdout but stays alive closes it with `eof` after `exitGraceMs` (the caller decides whether
 * to kill it); writing to a child that stopped reading returns false, it never throws. A child
 * that cannot be spawned (ENOENT, EACCES) closes the transport with `error`. The transport never
 * kills the child itself: after a close for `oversize`, `stalled` or `error` the pipes are
 * destroyed, and a child that neither reads nor writes runs on until `kill()`.
 */
export function spawnTransport(
  command: string,
  args: readonly string[] = [],
  options: SpawnTransportOptions = {},
): SpawnedTransport {
  if (typeof command !== 'string' || command === '') {
    throw new TransportError(
      'INVALID_OPTION',
      `spawnTransport takes the command to run ('node', '/usr/bin/my-server'), got ${describeValue(command)}.`,
    );
  }
  // What is left after the transport's own options is for `spawn`.
  const {
    framing: _framing,
    maxFrameBytes: _maxFrameBytes,
    maxQueuedBytes: _maxQueuedBytes,
    closeTimeoutMs: _closeTimeoutMs,
    undecodedFrames: _undecodedFrames,
    writeAtTurnEnd: _writeAtTurnEnd,
    stderr,
    onStderr,
    exitGraceMs,
    ...spawnOptions
  } = options;
  // Checked before anything is spawned: a child nobody holds would keep this process alive.
  const settings = {
    ...ndjsonTransportSettings(options),
    exitGraceMs: checkDuration('exitGraceMs', exitGraceMs, DEFAULT_EXIT_GRACE_MS, true),
    onStderr,
  };
  const child = spawn(command, args, {
    ...spawnOptions,
    stdio: ['pipe', 'pipe', stderr ?? 'pipe'],
  });
  const transport = new ChildProcessTransport(child, settings);
  return {
    transport,
    child,
    kill: (signal: NodeJS.Signals | number = 'SIGTERM', reason: CloseReason = 'local') =>
      transport.kill(signal, reason),
  };
}

interface ChildTransportSettings {
  framing: Framing;
  maxFrameBytes: number;
  maxQueuedBytes: number;
  closeTimeoutMs: number;
  exitGraceMs: number;
  onStderr: ((chunk: Buffer) => void) | undefined;
  undecodedFrames: UndecodedFrames | undefined;
  writeAtTurnEnd: boolean;
}

interface Decision {
  reason: CloseReason;
  error?: Error;
  /** A provisional reason (`eof`, `peer-gone` from a pipe) becomes `peer-gone` once the child exits. */
  provisional: boolean;
}

class ChildProcessTransport extends TransportCore implements StreamTransport {
  readonly #child: ChildProcess;
  readonly #settings: ChildTransportSettings;
  readonly #link: StreamLink;
  readonly #stderrTail: TailBuffer | undefined;
  #decision: Decision | undefined;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #stdoutDone = false;
  #stderrDone: boolean;
  #awaitExit = false;
  #graceTimer: NodeJS.Timeout | undefined;

  constructor(child: ChildProcess, settings: ChildTransportSettings) {
    super(settings.undecodedFrames);
    this.#child = child;
    this.#settings = settings;
    const stdin = child.stdin as Writable;
    const stdout = child.stdout as Readable;
    this.#link = new StreamLink(
      stdout,
      stdin,
      {
        maxFrameBytes: settings.maxFrameBytes,
        maxQueuedBytes: settings.maxQueuedBytes,
        framing: settings.framing,
        undecodedPrefix: settings.undecodedFrames?.prefix,
        writeAtTurnEnd: settings.writeAtTurnEnd,
      },
      {
        message: (value) => this.deliverMessage(value),
        undecoded: (frame) => this.offerUndecoded(frame),
        malformed: (frame) => this.deliverMalformed(frame),
        inputEnded: () => {
          this.#stdoutDone = true;
          this.#decide({ reason: 'eof', provisional: true });
        },
        closedUnexpectedly: () => this.#decide({ reason: 'peer-gone', provisional: true }),
        failed: (error) => {
          const reason = closeReasonForError(error);
          this.#decide({ reason, error, provisional: reason === 'peer-gone' });
        },
        oversize: (error) => this.#decide({ reason: 'oversize', error, provisional: false }),
      },
    );
    stdout.once('close', () => {
      this.#stdoutDone = true;
      this.#evaluate();
    });

    const stderr = child.stderr;
    if (stderr === null) {
      this.#stderrDone = true;
    } else {
      this.#stderrDone = false;
      const tail = new TailBuffer(STDERR_TAIL_BYTES);
      this.#stderrTail = tail;
      stderr.on('data', (chunk: Buffer) => {
        tail.push(chunk);
        settings.onStderr?.(chunk);
      });
      stderr.on('error', () => {
        // A broken stderr pipe only shortens the tail.
      });
      stderr.once('close', () => {
        this.#stderrDone = true;
        this.#evaluate();
      });
    }

    child.once('exit', (code, signal) => {
      this.#exit ??= { code, signal };
      // From now on the grace period is for the last bytes on stdout and stderr.
      if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
      this.#decide({ reason: 'peer-gone', provisional: true });
    });
    child.on('error', (error) => {
      // Spawn failures (no pid) end the transport; a failed kill() does not.
      if (child.pid === undefined && this.#exit === undefined) {
        this.#exit = { code: null, signal: null };
        this.#stdoutDone = true;
        this.#stderrDone = true;
        this.#decide({ reason: 'error', error, provisional: false });
      }
    });
  }

  get queuedBytes(): number {
    return this.#link.queuedBytes;
  }

  onDrain(listener: () => void): () => void {
    return this.#link.onDrain(listener);
  }

  kill(signal: NodeJS.Signals | number, reason: CloseReason): boolean {
    if (!this.isSettled) {
      this.#awaitExit = true;
      const decision = this.#decision;
      if (decision === undefined) {
        this.#decide({ reason, provisional: false });
      } else {
        // The caller's reason wins over a guess made from the pipes alone.
        if (decision.provisional && this.#exit === undefined)
          this.#decision = { reason, provisional: false };
        this.#evaluate();
      }
    }
    return this.#child.kill(signal);
  }

  protected writeSerialized(serialized: SerializedMessage): boolean {
    let outcome;
    try {
      outcome = this.#link.write(serialized);
    } catch (error) {
      this.#decide({
        reason: 'error',
        error: error instanceof Error ? error : new Error(String(error)),
        provisional: false,
      });
      throw error;
    }
    if (outcome === 'written') return true;
    if (outcome === 'stalled') {
      this.#decide({
        reason: 'stalled',
        error: stalledError(this.#settings.maxQueuedBytes),
        provisional: false,
      });
    } else {
      this.#decide({ reason: 'peer-gone', provisional: true });
    }
    return false;
  }

  protected closeLocally(): void {
    this.#decide({ reason: 'local', provisional: false });
  }

  protected override pauseInbound(): void {
    this.#link.pauseInput();
  }

  protected override resumeInbound(): void {
    this.#link.resumeInput();
  }

  #decide(decision: Decision): void {
    const previous = this.#decision;
    if (previous !== undefined) {
      this.#evaluate();
      return;
    }
    this.#decision = decision;
    this.markClosing();
    switch (decision.reason) {
      case 'local':
        // Stop delivering, let the child see EOF on stdin once queued output is flushed.
        this.#link.detach();
        this.#link.endOutput(this.#settings.closeTimeoutMs, () => undefined);
        break;
      case 'oversize':
      case 'stalled':
      case 'error':
        this.#link.detach();
        this.#link.destroy();
        this.#stdoutDone = true;
        break;
      default:
        break;
    }
    this.#evaluate();
  }

  /** Settles when everything is known, or arms the grace timer for what may never come. */
  #evaluate(): void {
    const decision = this.#decision;
    if (decision === undefined || this.isSettled) return;
    if (this.#exit !== undefined) {
      if (this.#stdoutDone && this.#stderrDone) {
        this.#settleNow();
        return;
      }
    } else if (this.#awaitExit) {
      if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
      return;
    }
    if (this.#graceTimer === undefined) {
      // Settle after the next look at pending I/O, not straight from the timer: when this process
      // was busy for longer than the grace period, the exit may be waiting there to be read.
      const timer = setTimeout(
        () => setImmediate(() => this.#graceExpired(timer)),
        this.#settings.exitGraceMs,
      );
      this.#graceTimer = timer;
    }
  }

  #graceExpired(timer: NodeJS.Timeout): void {
    // A timer cleared since it fired has no say: the exit came (and the grace period starts again
    // for the last output), or a kill() waits for the exit, as it promises.
    if (this.#graceTimer !== timer) return;
    this.#settleNow();
  }

  #settleNow(): void {
    const decision = this.#decision;
    if (decision === undefined || this.isSettled) return;
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    const exit = this.#exit;
    const reason: CloseReason =
      decision.provisional && exit !== undefined ? 'peer-gone' : decision.reason;
    const info: CloseInfo = {
      reason,
      exitCode: exit?.code ?? null,
      signal: exit?.signal ?? null,
    };
    if (decision.error !== undefined) info.error = decision.error;
    if (this.#stderrTail !== undefined) info.stderrTail = this.#stderrTail.toString();
    this.#link.detach();
    if (exit !== undefined) {
      this.#link.destroy();
      this.#child.stderr?.destroy();
    } else if (decision.reason !== 'local') {
      // Nothing more will be sent; the child may notice EOF on stdin. Its stderr keeps draining.
      this.#link.endOutput(this.#settings.closeTimeoutMs, () => undefined);
    }
    this.settle(info);
  }
}
