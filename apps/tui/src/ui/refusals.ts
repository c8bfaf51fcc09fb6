import type { SupervisorState } from '@lifeline/recovery';
import { gatewayStateWords } from '../connection/gateway-state-words.js';
import type { Refused } from '../input/input-routing.js';
import type { SessionController } from '../connection/session-controller.js';

/**
 * Why what was typed for the running command cannot be given to it while the gateway is in
 * `connection`'s state, and what the user can do instead.
 */
export function refusalText(what: Refused, connection: SupervisorState): string {
  const state = gatewayStateWords(connection);
  switch (what) {
    case 'keys':
      return `the running command cannot be given what you typed while the gateway is ${state}; /recover tries again, /quit leaves (the session keeps running)`;
    case 'interrupt':
      return `cannot interrupt the running command while the gateway is ${state}; /recover tries again, Ctrl+C again quits (the session keeps running)`;
    case 'attach':
      return `cannot hand the terminal to the running command while the gateway is ${state}; /recover tries again`;
  }
}

/** Says in the status line why what was typed for the running command was refused. */
export function sayRefused(
  controller: SessionController,
  what: Refused,
  connection: SupervisorState,
): void {
  controller.say({ text: refusalText(what, connection), tone: 'warning' });
}
