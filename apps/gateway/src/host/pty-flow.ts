import type { Breadcrumb } from './breadcrumb.js';
import { shouldPause } from './flow-control.js';

/** The PTY, as flow control sees it. */
export interface PausablePty {
  pause(): void;
  resume(): void;
}

/** What a {@link PtyFlow} needs from its surroundings. */
export interface PtyFlowOptions {
  /** Bytes queued and not yet taken, per live consumer. */
  backlogs: () => readonly number[];
  /** Whether keys are being typed into the program (see `FlowInputs.typing`). @default () => false */
  typing?: () => boolean;
  /** The PTY while the shell lives, else `undefined`. */
  pty: () => PausablePty | undefined;
  breadcrumb: Breadcrumb;
  now: () => number;
  /** How often flow control looks again while the PTY is paused. @default 5 */
  pollMs?: number;
}

/**
 * Pauses the PTY while a consumer falls behind or a gateway asks (see {@link shouldPause}), and
 * looks again every `pollMs` while paused. A flood pauses and resumes many times a second: one
 * breadcrumb a second says so.
 */
export class PtyFlow {
  readonly #options: PtyFlowOptions;
  readonly #pauseRequests = new Set<object>();
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  #changes = 0;
  #breadcrumbAt = Number.NEGATIVE_INFINITY;

  constructor(options: PtyFlowOptions) {
    this.#options = options;
  }

  /** Whether the PTY is paused now (what the shell printed may be unread). */
  get paused(): boolean {
    return this.#paused;
  }

  /** A gateway's request to pause (or stop pausing) on behalf of its slow clients. */
  request(requester: object, paused: boolean): void {
    if (paused) this.#pauseRequests.add(requester);
    else this.#pauseRequests.delete(requester);
    this.update();
  }

  /** Looks at the backlogs and requests again; pauses or resumes the PTY as they say. */
  update(): void {
    const pause = shouldPause({
      backlogs: this.#options.backlogs(),
      pauseRequests: this.#pauseRequests.size,
      paused: this.#paused,
      typing: this.#options.typing?.() ?? false,
    });
    const pty = this.#options.pty();
    if (pause !== this.#paused && pty) {
      this.#paused = pause;
      if (pause) pty.pause();
      else pty.resume();
      this.#changes += 1;
      const now = this.#options.now();
      if (now - this.#breadcrumbAt >= 1000) {
        this.#options.breadcrumb(pause ? 'flow.pause' : 'flow.resume', { changes: this.#changes });
        this.#changes = 0;
        this.#breadcrumbAt = now;
      }
    }
    if (this.#paused && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.update();
      }, this.#options.pollMs ?? 5);
    }
  }

  /** Stops looking (the shell has exited). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
