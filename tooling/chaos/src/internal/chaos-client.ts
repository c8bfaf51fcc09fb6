import type { GatewayContract } from '@lifeline/protocol';
import type { RpcClient } from '@lifeline/rpc';
import {
  spawnGatewayLink,
  type GatewayLink,
} from '../../../../apps/tui/src/connection/gateway-link.js';
import {
  SessionController,
  type ControllerSnapshot,
} from '../../../../apps/tui/src/connection/session-controller.js';
import { createDisplayLines } from '../../../../apps/tui/src/session/display-lines.js';
import { createEmulatedScreen } from '../../../../apps/tui/src/terminal/emulated-screen.js';
import type { CallTracker } from './call-tracker.js';

/** One breadcrumb the TUI's connection layer left, with when it did. */
export interface RecordedBreadcrumb {
  readonly event: string;
  readonly fields: Readonly<Record<string, string | number | boolean | null | undefined>>;
  readonly at: number;
}

/** Options of {@link ChaosClient}. */
export interface ChaosClientOptions {
  /** Environment of every gateway (and through it of hosts and shells). */
  env: NodeJS.ProcessEnv;
  /** Working directory of the gateways and of the new session. */
  cwd: string;
  /** The gateway to run. @default the real `lifeline-gateway` */
  gateway?: { command: string; args: string[] };
  /** Heartbeat interval of each link. @default the link's own (5000) */
  heartbeatMs?: number;
  /** Every call the client makes to a gateway is tracked here. */
  tracker: CallTracker;
}

/** Size of the terminal the headless client pretends to have. */
const terminalSize = { cols: 120, rows: 40 };

/**
 * The TUI without its screen: the real `SessionController` (recovery supervisor, re-attach from
 * the last folded seq, transcript fold) over real gateway links, with everything it does recorded
 * — each spawn, each breadcrumb, each event delivered — and every gateway call tracked.
 */
export class ChaosClient {
  readonly controller: SessionController;
  /** Breadcrumbs of the links and the controller, oldest first. */
  readonly breadcrumbs: RecordedBreadcrumb[] = [];
  /** Every gateway spawned: its pid and when. */
  readonly spawns: { readonly pid: number | undefined; readonly at: number }[] = [];
  private readonly delivered = new Map<string, number[]>();
  private readonly options: ChaosClientOptions;
  private current: GatewayLink | undefined;

  constructor(options: ChaosClientOptions) {
    this.options = options;
    this.controller = new SessionController({
      connect: () => this.connect(),
      initial: { kind: 'new', cwd: options.cwd },
      size: terminalSize,
      breadcrumb: (event, fields = {}) => {
        this.breadcrumbs.push({ event, fields, at: Date.now() });
      },
      createLines: createDisplayLines,
      createRunLines: createEmulatedScreen,
    });
  }

  /** Starts the first gateway and opens a new session. */
  start(): void {
    this.controller.start();
  }

  /** What the screen would show now. */
  get snapshot(): ControllerSnapshot {
    return this.controller.store.getSnapshot();
  }

  /** The link the controller uses now. */
  get link(): GatewayLink | undefined {
    return this.current;
  }

  /** Seqs of `sid`'s events delivered to the client by any of its gateways, in arrival order. */
  deliveredSeqs(sid: string): readonly number[] {
    return this.delivered.get(sid) ?? [];
  }

  /** The `gateway.exit` breadcrumb of one gateway, once its link has closed. */
  gatewayExit(pid: number): RecordedBreadcrumb | undefined {
    return this.breadcrumbs.find(
      (crumb) => crumb.event === 'gateway.exit' && crumb.fields.pid === pid,
    );
  }

  /** Why the client killed a gateway, if it did. */
  killReason(pid: number): string | undefined {
    const crumb = this.breadcrumbs.find(
      (entry) => entry.event === 'gateway.kill' && entry.fields.pid === pid,
    );
    return crumb === undefined ? undefined : String(crumb.fields.reason);
  }

  private connect(): GatewayLink {
    const link = spawnGatewayLink({
      env: this.options.env,
      cwd: this.options.cwd,
      breadcrumb: (event, fields = {}) => {
        this.breadcrumbs.push({ event, fields, at: Date.now() });
      },
      ...(this.options.gateway ? { gateway: this.options.gateway } : {}),
      ...(this.options.heartbeatMs === undefined ? {} : { heartbeatMs: this.options.heartbeatMs }),
    });
    this.spawns.push({ pid: link.pid, at: Date.now() });
    link.client.on('session.event', (event) => {
      const seqs = this.delivered.get(event.sid) ?? [];
      seqs.push(event.seq);
      this.delivered.set(event.sid, seqs);
    });
    const tracker = this.options.tracker;
    const call: RpcClient<GatewayContract>['call'] = (method, params, callOptions) =>
      tracker.track(method, link.client.call(method, params, callOptions));
    const tracked: GatewayLink = { ...link, client: { ...link.client, call } };
    this.current = tracked;
    return tracked;
  }
}
