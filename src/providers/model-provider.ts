/**
 * Our own small provider interface: every model API (Anthropic Messages, OpenAI-compatible chat completions) is
 * adapted to it, so the runtime, failover and tests never see an SDK type.
 */

/** A piece of message content a provider understands. Images are base64 with their media type. */
export type ContentPart = { type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string }

/** A tool call the model made, with its arguments already parsed from the streamed JSON. */
export type ToolCallPart = {
  type: 'toolCall'
  id: string
  name: string
  arguments: Record<string, unknown>
}

/**
 * One message of the conversation. Tool results are their own role (pi-ai's shape); each adapter maps them to its
 * API: Anthropic `tool_result` blocks in a user turn, OpenAI `tool` messages.
 */
export type ProviderMessage =
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string | (ContentPart | ToolCallPart)[] }
  | { role: 'toolResult'; toolCallId: string; toolName: string; content: ContentPart[]; isError: boolean }

/** A tool the model may call: its name, what it is for, and a JSON Schema of its arguments. */
export interface ToolSpec {
  name: string
  description: string
  parameters: Record<string, unknown>
}

export interface ModelRequest {
  /** The provider's own model id, without the `provider/` prefix. */
  model: string
  system: string
  messages: ProviderMessage[]
  maxTokens: number
  temperature?: number
  /** Tools offered for this call; absent or empty means a plain chat call. */
  tools?: readonly ToolSpec[]
  /** Aborting cancels the HTTP request to the provider. */
  signal: AbortSignal
}

export interface ModelUsage {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  totalTokens: number
}

/** Why generation stopped, in the transcript's vocabulary. */
export type StopReason = 'stop' | 'length' | 'toolUse' | 'error' | 'aborted'

/**
 * What a provider stream yields: text as it arrives, each tool call once its arguments are complete (in the order
 * the model wrote them), then exactly one `finish`. `argumentsInvalid` marks arguments that were not a JSON object;
 * they arrive as `{}` so validation reports what is missing.
 */
export type ProviderEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; call: ToolCallPart; argumentsInvalid?: boolean }
  | { type: 'finish'; stopReason: StopReason; usage: ModelUsage }

export type ProviderApi = 'anthropic-messages' | 'openai-completions'

export interface ModelProvider {
  /** The provider id as written in model refs (`anthropic`, `openai`, `groq`, a custom id…). */
  readonly id: string
  readonly api: ProviderApi
  /**
   * Streams one completion. Errors are thrown as they come from the SDK (they carry `status` and the provider's
   * message), so failover can classify them; an abort surfaces as an error whose name contains `Abort`.
   */
  stream(request: ModelRequest): AsyncIterable<ProviderEvent>
}

/** An all-zero usage record, for aborted or failed turns. */
export const EMPTY_USAGE: ModelUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0 }
