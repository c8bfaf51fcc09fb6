export { exitCodes, runTui, type GatewayTarget, type TuiOptions } from './tui-main.js';
export type { InitialSession } from './connection/session-controller.js';
