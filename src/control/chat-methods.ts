import { z } from 'zod'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import { canonicalizeSessionKey, parseAgentIdFromKey } from '../sessions/session-key.js'
import type { ChatBridge } from './chat-bridge.js'
import { limitedText, TEXT_LIMITS } from '../sessions/text-limits.js'
import { readChatHistory } from './read-chat-history.js'
import { defineMethod, MethodError, type MethodContext, type MethodDefinition } from './methods.js'

// Words the upstream UI turns into chat.abort itself; other clients may still send them as text.
const STOP_WORDS = /^\/?(stop|esc|abort|wait|exit|interrupt)$/i
const KNOWN_RUNS = 1_000

const ChatSendParams = z.looseObject({
  sessionKey: limitedText(TEXT_LIMITS.sessionKey).min(1),
  message: limitedText(TEXT_LIMITS.message).default(''),
  idempotencyKey: limitedText(TEXT_LIMITS.id).min(1).optional(),
  attachments: z.array(z.looseObject({ type: z.string().optional(), mimeType: z.string(), content: z.string() })).optional(),
})

/**
 * `chat.send`, `chat.history` and `chat.abort` on top of the agent runtime (spec/protocol.md §4.1). A send is
 * acknowledged at once; progress arrives as `chat` events through the bridge, ending in exactly one terminal event
 * whose `runId` is the idempotency key.
 */
export function createChatMethods(runtime: AgentRuntime, bridge: ChatBridge): MethodDefinition[] {
  const runs = new Map<string, { status: 'in_flight' | 'ok' | 'error'; sessionKey: string }>()
  const keys = (context: MethodContext, sessionKey: string) => {
    const defaultAgentId = getDefaultAgentId(context.deps.state.config)
    const canonical = canonicalizeSessionKey(sessionKey, defaultAgentId)
    return { canonical, agentId: parseAgentIdFromKey(canonical) ?? defaultAgentId }
  }

  return [
    defineMethod('chat.send', ChatSendParams, async (context, params) => {
      const { canonical, agentId } = keys(context, params.sessionKey)
      context.connection.watchedSessions.add(params.sessionKey)
      const images = (params.attachments ?? [])
        .filter((attachment) => (attachment.type ?? 'image') === 'image' && attachment.mimeType.startsWith('image/'))
        .map((attachment) => ({ mimeType: attachment.mimeType, data: attachment.content.replace(/^data:[^,]*,/, '') }))
      const text = params.message.trim()
      if (!text && images.length === 0) throw new MethodError('INVALID_REQUEST', 'message or attachment required')
      if (STOP_WORDS.test(text) && images.length === 0) {
        const active = runtime.activeRun(canonical)
        return { ok: true, aborted: runtime.abort(canonical), runIds: active ? [active.runId] : [] }
      }
      const runId = params.idempotencyKey ?? crypto.randomUUID()
      const known = runs.get(runId)
      if (known) return { runId, status: known.status === 'in_flight' ? 'in_flight' : known.status }
      runs.set(runId, { status: 'in_flight', sessionKey: canonical })
      trim(runs)
      const handle = runtime.send({ agentId, sessionKey: canonical, text, images, channel: 'webchat', chatType: 'direct', runId })
      void handle.done.then((outcome) => {
        runs.set(runId, { status: outcome.kind === 'failed' ? 'error' : 'ok', sessionKey: canonical })
        // Runs that never started (aborted while queued) emit nothing; the UI still needs its terminal event.
        if (outcome.kind === 'aborted') bridge.settle(runId, canonical, 'aborted', { stopReason: 'rpc' })
        if (outcome.kind === 'failed') bridge.settle(runId, canonical, 'error', { errorMessage: outcome.message })
      })
      return { runId, status: 'started' }
    }),

    defineMethod('chat.history', z.looseObject({ sessionKey: limitedText(TEXT_LIMITS.sessionKey).min(1), limit: z.number().int().positive().max(1_000).optional() }), async (context, params) => {
      const { canonical, agentId } = keys(context, params.sessionKey)
      context.connection.watchedSessions.add(params.sessionKey)
      const history = await readChatHistory(runtime.sessions, agentId, canonical, params.limit ?? 200)
      return { sessionKey: params.sessionKey, ...history }
    }),

    defineMethod('chat.abort', z.looseObject({ sessionKey: limitedText(TEXT_LIMITS.sessionKey).min(1), runId: z.string().optional() }), async (context, params) => {
      const { canonical } = keys(context, params.sessionKey)
      context.connection.watchedSessions.add(params.sessionKey)
      const active = runtime.activeRun(canonical)
      if (params.runId) {
        const owner = runs.get(params.runId)?.sessionKey
        if (owner !== undefined && owner !== canonical) {
          throw new MethodError('INVALID_REQUEST', `run ${params.runId} belongs to another session`)
        }
        if (active?.runId !== params.runId) return { ok: true, aborted: false, runIds: [] }
      }
      const aborted = runtime.abort(canonical)
      return { ok: true, aborted, runIds: aborted && active ? [active.runId] : [] }
    }),
  ]
}

function trim(runs: Map<string, unknown>): void {
  for (const key of runs.keys()) {
    if (runs.size <= KNOWN_RUNS) return
    runs.delete(key)
  }
}
