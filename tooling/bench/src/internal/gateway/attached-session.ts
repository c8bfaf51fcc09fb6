import type { SessionEvent } from '@lifeline/protocol';
import type { GatewayProcess } from './gateway-world.js';

/** What a replay of a session's whole log delivered to the client. */
export interface Replay {
  /** From the `session.attach` call to the arrival of the last event of the log. */
  seconds: number;
  /** Events replayed, from seq 0 to the last one. */
  events: number;
  /** UTF-8 bytes of the `data` of the replayed `output` events. */
  outputBytes: number;
}

/** Longest wait for events that must follow an answer (a run's completion, a replay's end). */
const EVENT_WAIT_MS = 120_000;

/** Options of {@link AttachedSession.run}. */
export interface RunOptions {
  /** Given to the gateway as the run's timeout. @default 30000 */
  timeoutMs?: number;
  /** Called with every `output` event of the session until the run completes. */
  onOutput?: (event: Extract<SessionEvent, { type: 'output' }>) => void;
}

/**
 * One session of a gateway, created and attached the way a client does it, with the bookkeeping a
 * benchmark needs: which runs have completed (their `run_complete` may arrive before or after the
 * answer to `session.run`) and how many output bytes streamed.
 */
export class AttachedSession {
  readonly sid: string;
  readonly #gateway: GatewayProcess;
  /** `run_complete` events that arrived before anyone waited for them, by run id. */
  readonly #completed = new Set<string>();
  readonly #waiting = new Map<string, () => void>();
  #onOutput: ((event: Extract<SessionEvent, { type: 'output' }>) => void) | undefined;
  /** While a replay runs: what it receives. */
  #replay:
    | { nextSeq: number; lastSeq: number; events: number; outputBytes: number; done: () => void }
    | undefined;

  private constructor(gateway: GatewayProcess, sid: string) {
    this.#gateway = gateway;
    this.sid = sid;
    gateway.client.on('session.event', ({ sid: eventSid, ...event }) => {
      if (eventSid === this.sid) this.#receive(event);
    });
  }

  /** Creates a session (its host starts) and attaches to it from its first event. */
  static async open(
    gateway: GatewayProcess,
    options: { cwd: string; name: string },
  ): Promise<AttachedSession> {
    const { sid } = await gateway.client.call('session.create', {
      cwd: options.cwd,
      name: options.name,
      cols: 80,
      rows: 24,
    });
    const session = new AttachedSession(gateway, sid);
    await gateway.client.call('session.attach', { sid, afterSeq: -1 });
    return session;
  }

  /**
   * Runs `command` and resolves once both the answer to `session.run` and the run's
   * `run_complete` event have reached the client.
   * @throws Error when the run did not complete (timed out, or the shell exited)
   */
  async run(command: string, options: RunOptions = {}): Promise<void> {
    this.#onOutput = options.onOutput;
    try {
      const timeoutMs = options.timeoutMs ?? 30_000;
      const result = await this.#gateway.client.call(
        'session.run',
        { sid: this.sid, command, timeoutMs },
        { timeoutMs: timeoutMs + 10_000 },
      );
      if (!result.completed) {
        throw new Error(
          `"${command}" did not complete in session ${this.sid} (timedOut ${result.timedOut}, exited ${result.exited})`,
        );
      }
      await withTimeout(
        this.#completion(result.runId),
        EVENT_WAIT_MS,
        `run_complete of "${command}" in session ${this.sid}`,
      );
    } finally {
      this.#onOutput = undefined;
    }
  }

  /**
   * Detaches and attaches again from the very first event (`afterSeq: -1`), and waits until the
   * last event the log held at that moment has arrived.
   */
  async replay(): Promise<Replay> {
    const client = this.#gateway.client;
    await client.call('session.detach', { sid: this.sid });
    let done = (): void => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const replay = {
      nextSeq: 0,
      lastSeq: Number.POSITIVE_INFINITY,
      events: 0,
      outputBytes: 0,
      done,
    };
    this.#replay = replay;
    try {
      const started = performance.now();
      const { lastSeq } = await client.call('session.attach', { sid: this.sid, afterSeq: -1 });
      replay.lastSeq = lastSeq;
      if (replay.nextSeq > lastSeq) done();
      await withTimeout(
        finished,
        EVENT_WAIT_MS,
        `the replay of session ${this.sid} up to seq ${lastSeq}`,
      );
      const seconds = (performance.now() - started) / 1000;
      return { seconds, events: replay.events, outputBytes: replay.outputBytes };
    } finally {
      this.#replay = undefined;
    }
  }

  #completion(runId: string): Promise<void> {
    if (this.#completed.delete(runId)) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.set(runId, resolve);
    });
  }

  #receive(event: SessionEvent): void {
    const replay = this.#replay;
    // Live events of the detached stream may still be in flight: a replay counts each seq once.
    if (replay && event.seq === replay.nextSeq) {
      replay.nextSeq += 1;
      replay.events += 1;
      if (event.type === 'output') replay.outputBytes += Buffer.byteLength(event.data);
      if (event.seq >= replay.lastSeq) replay.done();
    }
    if (event.type === 'output') {
      this.#onOutput?.(event);
    } else if (event.type === 'run_complete' && !replay) {
      const waiter = this.#waiting.get(event.runId);
      if (waiter) {
        this.#waiting.delete(event.runId);
        waiter();
      } else {
        this.#completed.add(event.runId);
      }
    }
  }
}

async function withTimeout(promise: Promise<void>, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new Error(
              `${what} did not arrive within ${timeoutMs} ms; is the gateway still streaming?`,
            ),
          );
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
