// What every subject of the rpc suite sends and answers, so that all of them move the same bytes.

/** Params of `echo`, answered unchanged; also the params of every benchmark notification. */
export interface EchoParams {
  sid: string;
  seq: number;
  kind: string;
  cwd: string;
  data: string;
}

/** Params of `notifications`: the server sends `count` notifications carrying a `bytes`-sized payload, then answers. */
export interface NotificationsParams {
  count: number;
  bytes: number;
}

/** Method names shared by the parent and every child server. */
export const methods = {
  /** Answers its params unchanged. */
  echo: 'echo',
  /** Sends `count` notifications of `item`, then answers `null`. */
  notifications: 'notifications',
  /** Never answers (the calls stay pending until the child dies). */
  hold: 'hold',
  /** The notification `notifications` sends. */
  item: 'bench.item',
} as const;

/** What the MCP pairs use: every bench method is a tool, every bench notification a log message. */
export const mcpMethods = {
  call: 'tools/call',
  log: 'notifications/message',
} as const;

/** What an MCP tool answers: the echo comes back as structured content. */
export interface McpToolResult {
  content: unknown[];
  structuredContent?: unknown;
}

const text =
  'build step 17 finished in 45 ms: compiled packages/rpc/src/peer.ts and 12 other files without warnings; ';

/** Echo params whose JSON text (with `seq` 0) is exactly `bytes` long (at least the envelope's size). */
export function makePayload(bytes: number): EchoParams {
  const base: EchoParams = {
    sid: 's_01hx3k9d7m2q',
    seq: 0,
    kind: 'output',
    cwd: '/home/ada/projects/lifeline',
    data: '',
  };
  const room = Math.max(0, bytes - JSON.stringify(base).length);
  return { ...base, data: text.repeat(Math.ceil(room / text.length)).slice(0, room) };
}
