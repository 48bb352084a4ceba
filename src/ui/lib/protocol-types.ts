/** The frames and payloads of gateway protocol v3 that the UI reads (spec/protocol.md §2–§6). */

export interface ErrorShape {
  code: string
  message: string
  details?: unknown
}

export type Frame =
  | { type: 'res'; id: string; ok: boolean; payload?: unknown; error?: ErrorShape }
  | { type: 'event'; event: string; payload?: unknown; seq?: number }

export interface HelloOk {
  type: 'hello-ok'
  protocol: number
  server: { version: string; connId: string }
  snapshot: {
    uptimeMs?: number
    configPath?: string
    presence?: unknown[]
    sessionDefaults?: { defaultAgentId: string; mainKey: string; mainSessionKey: string; scope?: string }
  }
  policy?: { maxPayload: number; tickIntervalMs: number }
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'toolCall' | 'tool_use' | 'toolUse'; id?: string; name: string; arguments?: unknown; input?: unknown }
  | { type: 'image'; data?: string; mimeType?: string; source?: { type: string; media_type: string; data: string }; url?: string }
  | { type: string; [key: string]: unknown }

export interface ChatMessage {
  role: 'user' | 'assistant' | 'toolResult' | string
  content: string | ContentBlock[]
  timestamp?: number
  toolName?: string
  toolCallId?: string
  isError?: boolean
  errorMessage?: string
  stopReason?: string
  model?: string
}

/** An `agent` event (spec/agent-tools.md §1.6); the chat view reads the `tool` stream for live cards. */
export interface AgentEvent {
  runId: string
  seq?: number
  stream: string
  ts?: number
  sessionKey?: string
  data?: Record<string, unknown> & { phase?: string; name?: string; toolCallId?: string; args?: unknown; isError?: boolean; durationMs?: number; result?: unknown; partialResult?: unknown }
}

export interface ChatEvent {
  runId: string
  sessionKey: string
  seq?: number
  state: 'delta' | 'final' | 'aborted' | 'error'
  message?: { role: string; content: { type: string; text?: string }[] }
  errorMessage?: string
  stopReason?: string
}

export interface SessionRow {
  key: string
  kind: string
  label: string | null
  displayName: string
  channel: string | null
  updatedAt: number | null
  totalTokens: number | null
  contextTokens: number | null
  inputTokens?: number | null
  outputTokens?: number | null
  model: string | null
  modelProvider: string | null
  /** `on` shows tool summary lines in channel replies and sends upstream clients the tool stream. */
  verboseLevel?: string | null
}

export interface SessionsList {
  count: number
  path: string
  defaults: { modelProvider: string; model: string; contextTokens?: number }
  sessions: SessionRow[]
}

export interface ConfigIssue {
  path: string
  message: string
}

export interface ConfigSnapshot {
  path: string
  exists: boolean
  raw: string | null
  valid: boolean
  config: Record<string, unknown>
  hash: string
  issues: ConfigIssue[]
  warnings?: string[]
}

export interface ModelInfo {
  id: string
  name: string
  provider: string
  alias?: string
  contextWindow?: number
}

export interface LogsTail {
  cursor: number
  lines: string[]
  truncated?: boolean
  reset?: boolean
}
