import type { SessionEvent } from '@lifeline/protocol';
import type { GatewayLink } from '../../connection/gateway-link.js';
import { CliError } from './cli-error.js';
import { cliErrorFor, messageOf, openLocalGateway, type CliContext } from './local-gateway.js';
import { settleWhileRunning } from './output-settling.js';
import type { RunEnd, RunOutput } from './run-output.js';

/** Events read at a time from the log of an ended session. */
const logPageSize = 2000;

/** How waiting for a run ended. */
export type FollowOutcome =
  | { kind: 'ended'; end: RunEnd }
  /** The deadline passed first; the run goes on. */
  | { kind: 'timeout' }
  /** The run waits for someone to type; it goes on. */
  | { kind: 'input-wait' }
  /** The user pressed Ctrl+C twice: stop waiting, the run goes on. */
  | { kind: 'abandoned' };

/** Options of {@link followRun}. */
export interface FollowRunOptions {
  /** Where new gateways are started from, and where breadcrumbs go. */
  context: CliContext;
  /** The gateway the run was started through. */
  link: GatewayLink;
  /** The run's session. */
  sid: string;
  /** The run's output so far; events are applied to it. */
  output: RunOutput;
  /** Epoch milliseconds after which waiting stops. */
  deadline: number;
  /** Receives the run's output as it arrives. */
  write: (text: string) => void;
  /** Tells the user something on stderr. */
  say: (line: string) => void;
  /**
   * Hands out the lines the program has gone past as it runs (see `RunOutput.settle`), for output
   * that streams; a caller that shows the output only at the end leaves them until then, so a
   * display drawn again slowly still ends as its last frame. @default true
   */
  settleOutput?: boolean;
  /**
   * The session has ended: its log is read page by page instead of attached to (attaching to an
   * ended session starts a new shell in it). @default false
   */
  fromLog?: boolean;
  /** Gateways started again after the current one dies, before giving up. @default 3 */
  maxReconnects?: number;
}

/**
 * Streams a started run's output until it completes, the shell exits, it waits for someone to
 * type, or the deadline passes. If the gateway dies meanwhile, a new one is started and the
 * session attached again from the last event applied, so nothing is printed twice or left out.
 * The first Ctrl+C (or SIGTERM) interrupts the command in the session; a second stops waiting.
 * @returns the outcome and the link in use at the end (the caller closes it)
 */
export function followRun(
  options: FollowRunOptions,
): Promise<{ outcome: FollowOutcome; link: GatewayLink }> {
  const { context, sid, output } = options;
  const maxReconnects = options.maxReconnects ?? 3;
  let link = options.link;
  let reconnects = 0;
  let interrupts = 0;
  let settled = false;
  return new Promise((resolve, reject) => {
    const finish = (result: { outcome: FollowOutcome } | { error: Error }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settling.stop();
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      if ('error' in result) reject(result.error);
      else resolve({ outcome: result.outcome, link });
    };
    const settling =
      options.settleOutput === false
        ? { printed: () => undefined, stop: () => undefined }
        : settleWhileRunning(output, options.write);
    const timer = setTimeout(
      () => finish({ outcome: { kind: 'timeout' } }),
      Math.max(0, options.deadline - Date.now()),
    );
    /**
     * Presses Ctrl+C in the session for a stop of exec (which stops the whole command line, as at
     * a terminal); a second stop stops waiting for it.
     */
    const interrupt = (stopped: string) => {
      interrupts += 1;
      if (interrupts > 1) {
        finish({ outcome: { kind: 'abandoned' } });
        return;
      }
      options.say(
        `interrupting the command (${stopped} again stops waiting and leaves it running)`,
      );
      link.client.call('session.signal', { sid, signal: 'SIGINT' }).catch((error: unknown) => {
        options.say(`could not interrupt it: ${messageOf(error)}`);
      });
    };
    const onInterrupt = () => {
      interrupt('Ctrl+C');
    };
    // A harness's timeout stops exec with SIGTERM: the command is stopped as by Ctrl+C.
    const onTerminate = () => {
      interrupt('SIGTERM');
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);

    const attach = (current: GatewayLink) => {
      if (options.fromLog === true) {
        readLog(current).catch((error: unknown) => {
          if (current === link && !current.client.peer.isClosed)
            finish({ error: cliErrorFor(error, `reading the log of session ${sid}`) });
        });
        return;
      }
      current.client
        .call('session.attach', { sid, afterSeq: output.lastSeq })
        .catch((error: unknown) => {
          if (current === link && !current.client.peer.isClosed)
            finish({ error: cliErrorFor(error, `attaching to session ${sid}`) });
        });
    };
    /** Applies the log's events from the last one applied on, until the run's end. */
    const readLog = async (current: GatewayLink) => {
      while (current === link && !settled) {
        const { events } = await current.client.call('session.events', {
          sid,
          fromSeq: output.lastSeq + 1,
          limit: logPageSize,
        });
        if (events.length === 0) {
          finish({
            error: new CliError(
              'failure',
              `the log of session ${sid} ends before the run does; \`lifeline replay ${sid}\` shows what it holds`,
            ),
          });
          return;
        }
        for (const event of events) receive(current, event);
      }
    };
    const receive = (current: GatewayLink, event: SessionEvent) => {
      if (current !== link || settled) return;
      const step = output.apply(event);
      if (step.text !== '') options.write(step.text);
      if (step.outcome === 'applied' && event.type === 'output') settling.printed();
      if (step.notice !== undefined) options.say(`session ${sid}: ${step.notice}`);
      if (step.outcome === 'gap') {
        context.breadcrumb('exec.gap', { sid, expected: output.lastSeq + 1, got: event.seq });
        attach(current);
      }
      if (step.end) finish({ outcome: { kind: 'ended', end: step.end } });
      else if (step.waitsForInput) finish({ outcome: { kind: 'input-wait' } });
    };
    const watch = (current: GatewayLink) => {
      current.client.on('session.event', ({ sid: eventSid, ...event }) => {
        if (eventSid === sid) receive(current, event);
      });
      current.client.on('session.unreadable', ({ sid: eventSid, message }) => {
        if (eventSid !== sid || current !== link) return;
        finish({
          error: new CliError(
            'failure',
            `the output of session ${sid} cannot be followed: ${message}; the command goes on in the session`,
          ),
        });
      });
      void current.closed.then((info) => {
        if (current !== link || settled) return;
        if (reconnects >= maxReconnects) {
          finish({
            error: new CliError(
              'unreachable',
              `the gateway exited ${reconnects + 1} times while the command ran (last: ${info.reason}); the command goes on in session ${sid}: \`lifeline replay ${sid}\` shows it, \`lifeline logs\` shows why`,
            ),
          });
          return;
        }
        reconnects += 1;
        context.breadcrumb('exec.reconnect', { sid, attempt: reconnects, reason: info.reason });
        openLocalGateway(context).then(
          (fresh) => {
            if (settled) {
              fresh.close();
              return;
            }
            link = fresh;
            watch(fresh);
            attach(fresh);
          },
          (error: unknown) =>
            finish({ error: cliErrorFor(error, `restarting the gateway for session ${sid}`) }),
        );
      });
    };
    watch(link);
    attach(link);
  });
}
