import { RpcError, RpcErrorCode, type Peer } from '@lifeline/rpc';
import { z } from 'zod';
import { ProgressPacer } from './progress-pacer.js';
import { ToolFailure } from './tool-failure.js';

/**
 * MCP revisions this server speaks, newest first. To clients of the revisions before 2025-06-18,
 * which have no structured tool results, tools are listed without output schemas and titles and
 * answer in their text content alone (the same JSON).
 */
export const SUPPORTED_PROTOCOL_VERSIONS = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
] as const;

/** The first MCP revision with structured tool results (`outputSchema`, `structuredContent`). */
const STRUCTURED_RESULTS_SINCE = '2025-06-18';

/** Least time between two progress notifications of a call (see {@link ProgressPacer}). */
const PROGRESS_INTERVAL_MS = 250;
/** Most characters of one progress notification's message: the newest lines of what waited. */
const PROGRESS_MAX_CHARACTERS = 4000;
/**
 * After this long without a progress notification, one says the call still runs: a client whose
 * request timeout progress resets (the MCP SDK's `resetTimeoutOnProgress`) keeps waiting for a
 * quiet command instead of cancelling it.
 */
const PROGRESS_HEARTBEAT_MS = 10_000;

/** What a tool gets besides its arguments. */
export interface ToolCallContext {
  /** Aborted when the client cancels the call (or goes away). */
  signal: AbortSignal;
  /**
   * Sends a progress notification carrying `message`, when the client asked for progress: at most
   * four a second, text given meanwhile gathered (its newest lines, see {@link ProgressPacer}).
   */
  progress: (message: string) => void;
}

/** One tool: its name, what it does, its argument and result schemas, and what it does when called. */
export interface ToolDefinition<Input extends z.ZodType, Output extends z.ZodType> {
  name: string;
  title: string;
  /** What the model reads to decide when and how to call it. */
  description: string;
  input: Input;
  output: Output;
  /** Hints for clients (MCP `ToolAnnotations`). */
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
  /**
   * Does the work.
   * @throws ToolFailure for a failure to report to the model as a tool result with `isError`
   */
  call(input: z.output<Input>, context: ToolCallContext): Promise<z.output<Output>>;
}

/** A tool with its types erased, as the server holds it. */
export interface Tool {
  readonly name: string;
  /** The entry of `tools/list`. */
  readonly listing: Record<string, unknown>;
  /** Answers `tools/call` for this tool. */
  call(args: unknown, context: ToolCallContext): Promise<CallToolResult>;
}

/** What `tools/call` answers. */
export interface CallToolResult {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: true;
}

/** A tool from its definition: its schemas turned into JSON Schema, its arguments checked. */
export function defineTool<Input extends z.ZodType, Output extends z.ZodType>(
  definition: ToolDefinition<Input, Output>,
): Tool {
  return {
    name: definition.name,
    listing: {
      name: definition.name,
      title: definition.title,
      description: definition.description,
      inputSchema: z.toJSONSchema(definition.input, { io: 'input' }),
      outputSchema: z.toJSONSchema(definition.output, { io: 'output' }),
      ...(definition.annotations ? { annotations: definition.annotations } : {}),
    },
    async call(args, context) {
      const parsed = definition.input.safeParse(args ?? {});
      if (!parsed.success)
        return failed(
          `invalid arguments for ${definition.name}: ${describeIssues(parsed.error.issues)}`,
        );
      try {
        const result = (await definition.call(parsed.data, context)) as Record<string, unknown>;
        return {
          content: [{ type: 'text', text: JSON.stringify(result) }],
          structuredContent: result,
        };
      } catch (error) {
        if (ToolFailure.isInstance(error)) return failed(error.message);
        throw error;
      }
    },
  };
}

function failed(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
    )
    .join('; ');
}

/** Options of {@link serveMcp}. */
export interface McpServerOptions {
  tools: readonly Tool[];
  serverInfo: { name: string; title: string; version: string };
  /** What the client may tell the model about the server as a whole. */
  instructions: string;
}

const initializeParams = z.looseObject({ protocolVersion: z.string() });
const callParams = z.looseObject({ name: z.string(), arguments: z.unknown().optional() });

/**
 * Serves MCP's lifecycle and tools on a peer speaking the MCP dialect: `initialize` (agreeing on a
 * revision), `tools/list`, `tools/call` with progress and cancellation. An unknown tool or a
 * malformed request is a JSON-RPC error; a tool that fails answers with `isError: true`.
 */
export function serveMcp(peer: Peer, options: McpServerOptions): void {
  const tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  let revision: string = SUPPORTED_PROTOCOL_VERSIONS[0];
  // Revisions are dates: they sort as strings.
  const structured = () => revision >= STRUCTURED_RESULTS_SINCE;
  peer.setRequestHandler(
    'initialize',
    (params) => {
      const { protocolVersion } = params as z.infer<typeof initializeParams>;
      const supported = SUPPORTED_PROTOCOL_VERSIONS.find((version) => version === protocolVersion);
      revision = supported ?? SUPPORTED_PROTOCOL_VERSIONS[0];
      return {
        protocolVersion: revision,
        capabilities: { tools: { listChanged: false } },
        serverInfo: options.serverInfo,
        instructions: options.instructions,
      };
    },
    initializeParams,
  );
  peer.onNotification('notifications/initialized', () => undefined);
  peer.setRequestHandler('tools/list', () => ({
    tools: options.tools.map((tool) => {
      if (structured()) return tool.listing;
      const { outputSchema: _outputSchema, title: _title, ...listing } = tool.listing;
      return listing;
    }),
  }));
  peer.setRequestHandler(
    'tools/call',
    (params, context) => {
      const { name, arguments: args } = params as z.infer<typeof callParams>;
      const tool = tools.get(name);
      if (!tool)
        throw new RpcError(
          RpcErrorCode.InvalidParams,
          `unknown tool "${name}"; tools/list names them: ${[...tools.keys()].join(', ')}`,
        );
      let step = 0;
      const pacer = new ProgressPacer({
        send: (message) => {
          step += 1;
          context.progress({ progress: step, message });
        },
        intervalMs: PROGRESS_INTERVAL_MS,
        heartbeatMs: PROGRESS_HEARTBEAT_MS,
        maxCharacters: PROGRESS_MAX_CHARACTERS,
        now: Date.now,
        after: (ms, callback) => {
          const timer = setTimeout(callback, ms);
          return () => clearTimeout(timer);
        },
      });
      return tool
        .call(args, { signal: context.signal, progress: (message) => pacer.push(message) })
        .then((result) => {
          if (structured()) return result;
          const { structuredContent: _structuredContent, ...textOnly } = result;
          return textOnly;
        })
        .finally(() => (context.signal.aborted ? pacer.drop() : pacer.finish()));
    },
    callParams,
  );
}
