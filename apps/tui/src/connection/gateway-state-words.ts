import type { SupervisorState } from '@lifeline/recovery';

/** The gateway's state in words that finish "while the gateway is …". */
export function gatewayStateWords(state: SupervisorState): string {
  switch (state.status) {
    case 'live':
      return 'ready';
    case 'recovering':
      return 'recovering';
    case 'gave-up':
      return 'down (recovery gave up)';
    case 'starting':
    case 'idle':
      return 'starting';
    case 'stopped':
      return 'stopped';
  }
}
