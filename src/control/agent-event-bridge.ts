import type { AgentRunner } from '../agent/agent-runner.js'
import type { RunEvent } from '../agent/run-events.js'
import type { ContentPart } from '../providers/model-provider.js'
import type { ToolResult } from '../tools/agent-tool.js'
import type { ConnectionRegistry } from './connections.js'
import { SerializedPayload } from './event-frame-text.js'
import { sessionAliasFor } from './session-alias.js'

const MAX_EVENT_TEXT = 8_000
const RUNS_KEPT = 500
/** A client capability: send the tool stream even when the run is not verbose (our Control UI's live cards). */
export const TOOL_EVENTS_CAP = 'tool-events'

/**
 * Broadcasts every run as upstream `agent` events `{runId, seq, stream, ts, sessionKey?, data}` to all operator
 * connections (spec/agent-tools.md §1.6): `lifecycle` and `assistant` always, `tool` only for verbose runs (or to
 * clients declaring the `tool-events` capability). Tool results are sanitised: text over 8000 characters is cut
 * and image data is left out. `sessionKey` is the spelling the connection used, when it watches the session.
 */
export class AgentEventBridge {
  readonly #seq = new Map<string, number>()

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly canonical: (key: string) => string,
  ) {}

  attach(runner: AgentRunner): () => void {
    return runner.subscribe((event) => this.onEvent(event))
  }

  onEvent(event: RunEvent): void {
    const base = { runId: event.runId, ts: event.at }
    switch (event.type) {
      case 'run-start':
        return this.#send(event, 'lifecycle', { phase: 'start', startedAt: event.at }, false)
      case 'run-delta':
        return this.#send(event, 'assistant', { text: event.text, delta: event.delta }, false, true)
      case 'run-end':
      case 'run-abort':
        this.#send(event, 'lifecycle', { phase: 'end', endedAt: event.at, ...(event.type === 'run-abort' ? { aborted: true } : {}) }, false)
        return void this.#seq.delete(base.runId)
      case 'run-error':
        this.#send(event, 'lifecycle', { phase: 'error', error: event.message }, false)
        return void this.#seq.delete(base.runId)
      case 'tool-call':
        return this.#send(event, 'tool', { phase: 'start', name: event.name, toolCallId: event.toolCallId, args: event.arguments }, !event.verbose)
      case 'tool-update':
        return this.#send(event, 'tool', { phase: 'update', name: event.name, toolCallId: event.toolCallId, partialResult: sanitizeResult(event.partialResult) }, !event.verbose, true)
      case 'tool-result':
        return this.#send(
          event,
          'tool',
          { phase: 'result', name: event.name, toolCallId: event.toolCallId, ...(event.meta ? { meta: event.meta } : {}), isError: event.isError, result: sanitizeResult(event.result), durationMs: event.durationMs },
          !event.verbose,
        )
    }
  }

  // `capOnly`: only clients that asked for the tool stream regardless of verbose get this event.
  #send(event: RunEvent, stream: string, data: Record<string, unknown>, capOnly: boolean, dropIfSlow = false): void {
    const seq = (this.#seq.get(event.runId) ?? 0) + 1
    this.#seq.set(event.runId, seq)
    if (this.#seq.size > RUNS_KEPT) this.#seq.delete(this.#seq.keys().next().value!)
    const target = this.canonical(event.sessionKey)
    // Every operator gets this, so serialise once per spelling of the session key, not once per client.
    const serialized = new Map<string, SerializedPayload>()
    for (const connection of this.connections.list()) {
      if (connection.info.role !== 'operator') continue
      if (capOnly && !connection.info.caps?.includes(TOOL_EVENTS_CAP)) continue
      const sessionKey = sessionAliasFor(connection, target, this.canonical) ?? target
      let shared = serialized.get(sessionKey)
      if (!shared) {
        shared = SerializedPayload.of({ runId: event.runId, seq, stream, ts: event.at, sessionKey, data })
        serialized.set(sessionKey, shared)
      }
      connection.sendEvent('agent', shared, { dropIfSlow })
    }
  }
}

/** A copy of a tool result safe to broadcast: long text cut with upstream's marker, image bytes omitted. */
export function sanitizeResult(result: ToolResult): { content: unknown[]; details?: unknown; isError?: boolean } {
  const content = result.content.map((part: ContentPart) => {
    if (part.type === 'text') return part.text.length > MAX_EVENT_TEXT ? { type: 'text', text: `${part.text.slice(0, MAX_EVENT_TEXT)}\n…(truncated)…` } : part
    return { type: 'image', mimeType: part.mimeType, bytes: Math.floor((part.data.length * 3) / 4), omitted: true }
  })
  // `details` repeats the text for JSON tools; events carry the (cut) text only.
  return { content, ...(result.isError ? { isError: true } : {}) }
}
