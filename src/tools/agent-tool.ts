import type { ResolvedConfig } from '../config/load-config.js'
import type { ContentPart } from '../providers/model-provider.js'

/** What a tool returns: content blocks the model reads, plus structured `details` kept in the transcript. */
export interface ToolResult {
  content: ContentPart[]
  details?: unknown
  /** Set for failures the model should see as errors (§1.2 layer two). */
  isError?: boolean
}

/** Everything one tool call gets besides its arguments. */
export interface ToolCallContext {
  toolCallId: string
  /** One signal for the whole run: the user's abort, `/stop` and the run timeout all fire it. */
  signal: AbortSignal
  /** Reports partial output (an `update` on the tool stream). */
  onUpdate: (partial: ToolResult) => void
}

/**
 * One tool as the model sees it (name, description, JSON Schema) plus how to run it. `parameters` is a JSON
 * Schema object; arguments are validated against it (with type coercion) before `execute` runs.
 */
export interface AgentTool {
  /** The exact, lower-case name the model calls (upstream's names: `web_search`, `memory_get`, …). */
  name: string
  /** Display title, e.g. `Web Search`. */
  label: string
  description: string
  parameters: Record<string, unknown>
  /** Policy group this tool belongs to besides the built-in groups (e.g. `bundle-mcp` for MCP tools). */
  group?: string
  execute(args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>
}

/** Who a run is for: the tool sources decide which tools exist and how they behave from this. */
export interface ToolRunContext {
  config: ResolvedConfig
  agentId: string
  sessionKey: string
  /** The agent's workspace root, e.g. `/data/workspace`. */
  workspace: string
  /** `provider/model` of the primary candidate, for `tools.byProvider`. */
  modelRef: string
  /** The surface the message came from (`discord`, `webchat`, …). */
  channel: string
}

/**
 * A set of tools offered per run. The built-in tools are one source; MCP servers and the cron tool plug in as
 * others. `list` may be async (an MCP source asks its servers) and returns only the tools that should exist for
 * this run; the policy pipeline then removes what config denies.
 */
export interface ToolSource {
  /** For logs and errors, e.g. `builtin`, `mcp`. */
  id: string
  list(run: ToolRunContext): AgentTool[] | Promise<AgentTool[]>
}

/** Wraps a JSON payload as upstream's result envelope: pretty JSON text for the model, the object as details. */
export function jsonResult(payload: unknown): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(payload, null, 2) }], details: payload }
}

/** A tool failure whose message is meant for the model (becomes `{status:"error", tool, error}`). */
export class ToolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ToolError'
  }
}
