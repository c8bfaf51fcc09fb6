const marker = Symbol.for('lifeline.mcp.tool-failure');

/**
 * A tool call that failed in a way the agent can act on (no such session, the gateway is gone,
 * nothing runs to type into): answered as a tool result with `isError: true` and this message,
 * not as a JSON-RPC error, so that the model sees it.
 */
export class ToolFailure extends Error {
  private readonly [marker] = true;
  override readonly name = 'ToolFailure';

  /** True for a `ToolFailure`, even one from another copy of this module. */
  static isInstance(value: unknown): value is ToolFailure {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
