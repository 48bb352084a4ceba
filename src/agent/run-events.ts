import type { ModelUsage, StopReason } from '../providers/model-provider.js'
import type { ToolResult } from '../tools/agent-tool.js'

/**
 * The one event stream every run produces. Discord, the WebSocket protocol and the OpenAI-compatible endpoint all
 * consume it. `text` is always the cumulative reply so far; `delta` is what this event added.
 */
export type RunEvent =
  | { type: 'run-start'; runId: string; sessionKey: string; agentId: string; model: string; at: number }
  | { type: 'run-delta'; runId: string; sessionKey: string; text: string; delta: string; at: number }
  | {
      type: 'run-end'
      runId: string
      sessionKey: string
      text: string
      /** True when the reply is `NO_REPLY`: channels send nothing. */
      silent: boolean
      model: string
      usage: ModelUsage
      stopReason: StopReason
      at: number
    }
  | {
      type: 'run-error'
      runId: string
      sessionKey: string
      /** Short, friendly text for the user. */
      message: string
      /** The technical summary, e.g. `All models failed (2): …`, for logs and operators. */
      detail: string
      at: number
    }
  | { type: 'run-abort'; runId: string; sessionKey: string; text: string; at: number }
  /**
   * Tool activity, in call order. `name` is lower-cased; `meta` summarises the arguments (query, URL, path).
   * `verbose` says whether this run shows its tool stream (spec/agent-tools.md §1.6): the WebSocket `agent` tool
   * stream and channel summary lines only go out when it is true; status lines are shown regardless.
   */
  | { type: 'tool-call'; runId: string; sessionKey: string; toolCallId: string; name: string; arguments: unknown; meta?: string; verbose: boolean; at: number }
  | { type: 'tool-update'; runId: string; sessionKey: string; toolCallId: string; name: string; partialResult: ToolResult; verbose: boolean; at: number }
  | {
      type: 'tool-result'
      runId: string
      sessionKey: string
      toolCallId: string
      name: string
      result: ToolResult
      isError: boolean
      /** The call's arguments again, so consumers need not keep the `tool-call` event. */
      arguments?: unknown
      meta?: string
      durationMs: number
      verbose: boolean
      at: number
    }

export type RunEventListener = (event: RunEvent) => void
