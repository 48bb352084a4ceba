import { z } from 'zod'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { isModelAllowed, notAllowedMessage, parseModelRef, resolveEffectiveModel, contextWindowFor } from '../agent/model-ref.js'
import { getDefaultAgentId, listAgentIds, normalizeAgentId } from '../config/config-lookup.js'
import { resetSession } from '../sessions/resolve-session.js'
import type { SessionEntry } from '../sessions/session-entry.js'
import { canonicalizeSessionKey, mainSessionKey, parseAgentIdFromKey, sessionKind } from '../sessions/session-key.js'
import { sessionsIndexKey } from '../storage/keys.js'
import { limitedText, TEXT_LIMITS } from '../sessions/text-limits.js'
import { readChatHistory } from './read-chat-history.js'
import { defineMethod, MethodError, type MethodContext, type MethodDefinition } from './methods.js'

const SessionsPatchParams = z.looseObject({
  key: limitedText(TEXT_LIMITS.sessionKey).min(1),
  label: limitedText(TEXT_LIMITS.label).nullable().optional(),
  thinkingLevel: z.enum(['off', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullable().optional(),
  verboseLevel: z.enum(['on', 'off']).nullable().optional(),
  reasoningLevel: z.enum(['off', 'on', 'stream']).nullable().optional(),
  model: limitedText(TEXT_LIMITS.modelRef).nullable().optional(),
})
const SessionKeyParam = limitedText(TEXT_LIMITS.sessionKey).min(1)
const PATCHABLE = ['label', 'thinkingLevel', 'verboseLevel', 'reasoningLevel'] as const

/** `sessions.list|patch|reset|delete|preview` over the runtime's session stores (spec/protocol.md §4.2). */
export function createSessionMethods(runtime: AgentRuntime): MethodDefinition[] {
  const locate = (context: MethodContext, key: string) => {
    const defaultAgentId = getDefaultAgentId(context.deps.state.config)
    const canonical = canonicalizeSessionKey(key, defaultAgentId)
    const agentId = parseAgentIdFromKey(canonical) ?? defaultAgentId
    return { canonical, agentId, store: runtime.sessions.store(agentId), path: sessionsIndexKey(agentId) }
  }

  return [
    defineMethod('sessions.list', z.looseObject({
      includeGlobal: z.boolean().optional(),
      includeUnknown: z.boolean().optional(),
      limit: z.number().int().positive().optional(),
      activeMinutes: z.number().positive().optional(),
      agentId: limitedText(64).optional(),
      search: z.string().optional(),
    }), async (context, params) => {
      const config = context.deps.state.config
      const defaultAgentId = getDefaultAgentId(config)
      const agentIds = params.agentId ? [normalizeAgentId(params.agentId)] : listAgentIds(config)
      const now = context.deps.now()
      const rows = []
      for (const agentId of agentIds) {
        for (const { key, entry } of await runtime.sessions.store(agentId).list()) {
          const kind = sessionKind(key, entry.chatType)
          if (kind === 'unknown' && !params.includeUnknown) continue
          if (kind === 'global' && params.includeGlobal === false) continue
          if (params.activeMinutes && now - entry.updatedAt > params.activeMinutes * 60_000) continue
          if (params.search && !`${key} ${entry.label ?? ''} ${entry.displayName ?? ''}`.toLowerCase().includes(params.search.toLowerCase())) continue
          rows.push(toRow(key, kind, entry))
        }
      }
      rows.sort((left, right) => (right.updatedAt ?? 0) - (left.updatedAt ?? 0))
      const model = parseModelRef(resolveEffectiveModel({ config, agentId: defaultAgentId }), config)
      return {
        ts: now,
        path: sessionsIndexKey(defaultAgentId),
        count: rows.length,
        defaults: { modelProvider: model.provider, model: model.model, contextTokens: contextWindowFor(model.ref, config) },
        sessions: rows.slice(0, params.limit ?? rows.length),
      }
    }),

    defineMethod('sessions.patch', SessionsPatchParams, async (context, params) => {
      const { canonical, store, path } = locate(context, params.key)
      const config = context.deps.state.config
      let modelRef: string | null | undefined = params.model
      if (typeof modelRef === 'string') {
        modelRef = parseModelRef(modelRef, config).ref
        if (!isModelAllowed(modelRef, config)) throw new MethodError('INVALID_REQUEST', notAllowedMessage(modelRef))
      }
      const entry = await store.update(canonical, (current) => {
        const next: Record<string, unknown> = { ...(current ?? { sessionId: crypto.randomUUID(), updatedAt: context.deps.now() }) }
        for (const field of PATCHABLE) {
          if (params[field] === null) delete next[field]
          else if (params[field] !== undefined) next[field] = params[field]
        }
        if (modelRef === null) delete next.modelOverride
        else if (modelRef !== undefined) next.modelOverride = modelRef
        return next as SessionEntry
      })
      return { ok: true, path, key: canonical, entry }
    }, { admin: true }),

    defineMethod('sessions.reset', z.looseObject({ key: SessionKeyParam }), async (context, params) => {
      const { canonical, store } = locate(context, params.key)
      runtime.abort(canonical)
      const { entry } = await resetSession({ store, transcripts: runtime.sessions.transcripts, key: canonical, now: context.deps.now })
      return { ok: true, key: canonical, entry }
    }, { admin: true }),

    defineMethod('sessions.delete', z.looseObject({ key: SessionKeyParam, deleteTranscript: z.boolean().optional() }), async (context, params) => {
      const { canonical, agentId, store } = locate(context, params.key)
      const main = mainSessionKey(getDefaultAgentId(context.deps.state.config))
      if (canonical === main || canonical === mainSessionKey(agentId)) {
        throw new MethodError('INVALID_REQUEST', `Cannot delete the main session (${canonical}). Reset it instead.`)
      }
      runtime.abort(canonical)
      const entry = await store.get(canonical)
      const deleted = await store.delete(canonical)
      if (entry && params.deleteTranscript !== false) await runtime.sessions.transcripts.delete(agentId, entry.sessionId)
      return { ok: true, key: canonical, deleted, archived: [] }
    }, { admin: true }),

    defineMethod('sessions.preview', z.looseObject({
      keys: z.array(SessionKeyParam).max(100),
      limit: z.number().int().positive().max(100).optional(),
      maxChars: z.number().int().positive().max(10_000).optional(),
    }), async (context, params) => {
      const previews = []
      for (const key of params.keys) {
        const { canonical, agentId } = locate(context, key)
        try {
          const history = await readChatHistory(runtime.sessions, agentId, canonical, params.limit ?? 12)
          if (history.sessionId === undefined) {
            previews.push({ key, status: 'missing', items: [] })
            continue
          }
          const items = history.messages.map((message) => ({ role: (message as { role: string }).role, text: previewText(message).slice(0, params.maxChars ?? 240) }))
          previews.push({ key, status: items.length > 0 ? 'ok' : 'empty', items })
        } catch {
          previews.push({ key, status: 'error', items: [] })
        }
      }
      return { ts: context.deps.now(), previews }
    }),
  ]
}

function toRow(key: string, kind: string, entry: SessionEntry) {
  return {
    key,
    kind,
    sessionId: entry.sessionId,
    label: entry.label ?? null,
    displayName: entry.displayName ?? entry.label ?? key,
    channel: entry.channel ?? null,
    updatedAt: entry.updatedAt ?? null,
    totalTokens: entry.totalTokens ?? null,
    contextTokens: entry.contextTokens ?? null,
    inputTokens: entry.inputTokens ?? null,
    outputTokens: entry.outputTokens ?? null,
    thinkingLevel: entry.thinkingLevel ?? null,
    verboseLevel: entry.verboseLevel ?? null,
    reasoningLevel: entry.reasoningLevel ?? null,
    modelProvider: entry.modelProvider ?? null,
    model: entry.modelOverride ?? (entry.model ? `${entry.modelProvider ?? ''}/${entry.model}` : null),
  }
}

function previewText(message: unknown): string {
  const content = (message as { content?: unknown }).content
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.flatMap((block) => (block?.type === 'text' ? [String(block.text)] : [])).join(' ')
}
