import { z } from 'zod'
import type { RunOutcome } from '../agent/agent-runner.js'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { parseModelRef } from '../agent/model-ref.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import { getDefaultAgentId, listAgentIds, normalizeAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import type { SessionEntry } from '../sessions/session-entry.js'
import { canonicalizeSessionKey, GLOBAL_SESSION_KEY, mainSessionKey, parseAgentIdFromKey } from '../sessions/session-key.js'
import type { RunEvent } from '../agent/run-events.js'
import { resolveAgentDelivery, type AgentDeliveryRequest } from './agent-delivery.js'
import { readAgentAttachments } from './agent-attachments.js'
import { DedupeCache } from './dedupe-cache.js'
import { parseMethodParams } from './method-params.js'
import { MethodError, type MethodContext, type MethodDefinition } from './methods.js'

const THINKING_LEVELS = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh']
/** Channel ids upstream accepts in `channel`/`replyChannel` whether or not they are configured (spec §1.2 step 4). */
const UPSTREAM_CHANNELS = ['telegram', 'whatsapp', 'discord', 'googlechat', 'slack', 'signal', 'imessage', 'webchat', 'last']

const optionalText = z.string().optional()
const AgentParams = z.strictObject({
  message: z.string().min(1),
  idempotencyKey: z.string().min(1),
  agentId: z.string().min(1).optional(),
  sessionKey: optionalText,
  sessionId: optionalText,
  to: optionalText,
  replyTo: optionalText,
  channel: optionalText,
  replyChannel: optionalText,
  accountId: optionalText,
  replyAccountId: optionalText,
  threadId: optionalText,
  deliver: z.boolean().optional(),
  thinking: optionalText,
  timeout: z.number().int().min(0).optional(),
  attachments: z
    .array(z.strictObject({ type: optionalText, mimeType: optionalText, fileName: optionalText, content: z.unknown() }))
    .optional(),
  extraSystemPrompt: optionalText,
  label: z.string().min(1).max(64).optional(),
  lane: optionalText,
  spawnedBy: optionalText,
  groupId: optionalText,
  groupChannel: optionalText,
  groupSpace: optionalText,
})
type AgentParams = z.output<typeof AgentParams>

/** The accepted ack and the eventual final (or its error) of one `agent` call, kept for replays. */
interface AgentJob {
  ack: { runId: string; status: 'accepted'; acceptedAt: number }
  final: Promise<unknown>
}

/** What the `agent` method needs besides the caller's context. */
export interface AgentMethodServices {
  runtime: AgentRuntime
  delivery: DeliveryRegistry
  /** Ends a run that failed before the runtime took it (`agent` events and `agent.wait` see a `run-error`). */
  reportEarlyEnd: (event: RunEvent) => void
}

/**
 * Upstream's `agent` method (spec/agent-api.md §1): checks in upstream's order and wording, then an `accepted` ack
 * and, under the same request id, the final result once the turn (and any delivery) is done. A repeated
 * idempotency key replays the ack and shares the same final, also while the first run is still going.
 */
export function createAgentMethod(services: AgentMethodServices): MethodDefinition {
  const jobs = new WeakMap<AppDeps, DedupeCache<Promise<AgentJob>>>()
  const cacheFor = (deps: AppDeps) => {
    let cache = jobs.get(deps)
    if (cache === undefined) {
      cache = new DedupeCache<Promise<AgentJob>>({ ttlMs: 5 * 60_000, maxEntries: 1_000, now: deps.now })
      jobs.set(deps, cache)
    }
    return cache
  }
  return {
    name: 'agent',
    admin: false,
    async call(context, raw) {
      const params = parseMethodParams('agent', AgentParams, raw)
      const cache = cacheFor(context.deps)
      const key = `agent:${params.idempotencyKey}`
      let job = cache.get(key)
      if (job === undefined) {
        // Cached before the first await, so a duplicate sent right behind this one joins it instead of running twice.
        job = prepareRun(context, services, params).then((prepared) => {
          const final = runAndDeliver(context, services, params, prepared)
          // The cached copy must not count as an unhandled rejection; callers still see the error.
          final.catch(() => undefined)
          return { ack: { runId: params.idempotencyKey, status: 'accepted' as const, acceptedAt: context.deps.now() }, final }
        })
        cache.set(key, job)
        // A request refused by the checks never ran; forget it so a corrected retry with the same key can.
        job.catch(() => cache.delete(key))
      }
      const { ack, final } = await job
      context.acknowledge?.(ack)
      return final
    },
  }
}

interface PreparedRun {
  agentId: string
  sessionKey: string
  /** The session entry as it was before this run (its `lastChannel`/`lastTo` drive `channel:"last"`). */
  before: SessionEntry | undefined
  images: { data: string; mimeType: string }[]
  delivery: AgentDeliveryRequest
}

async function prepareRun(context: MethodContext, services: AgentMethodServices, params: AgentParams): Promise<PreparedRun> {
  const { deps } = context
  const config = deps.state.config
  const images = readAgentAttachments(params.attachments ?? [], (warning) => deps.logger.child('agent').warn(warning))
  const known = new Set([...UPSTREAM_CHANNELS, ...services.delivery.channels()])
  for (const raw of [params.channel, params.replyChannel]) {
    const channel = raw?.trim().toLowerCase()
    if (channel !== undefined && channel !== '' && !known.has(channel)) invalid(`unknown channel: ${channel}`)
  }
  const defaultAgentId = getDefaultAgentId(config)
  const requestedAgent = params.agentId === undefined ? undefined : normalizeAgentId(params.agentId)
  if (requestedAgent !== undefined && !listAgentIds(config).includes(requestedAgent)) invalid(`unknown agent id "${params.agentId}"`)

  const store = (agentId: string) => services.runtime.sessions.store(agentId)
  let sessionKey: string
  let agentId: string
  const explicitKey = params.sessionKey?.trim()
  if (explicitKey) {
    sessionKey = canonicalizeSessionKey(explicitKey, requestedAgent ?? defaultAgentId)
    agentId = parseAgentIdFromKey(sessionKey) ?? requestedAgent ?? defaultAgentId
    if (requestedAgent !== undefined && requestedAgent !== agentId) {
      invalid(`agent "${params.agentId}" does not match session key agent "${agentId}"`)
    }
  } else if (requestedAgent !== undefined) {
    agentId = requestedAgent
    sessionKey = mainSessionKey(agentId)
  } else {
    agentId = defaultAgentId
    sessionKey = await findKeyOfSessionId(store(agentId), params.sessionId?.trim()) ?? explicitSessionKey(agentId, params.sessionId)
  }
  const before = await store(agentId).get(sessionKey)
  if (before?.sendPolicy === 'deny') throw new MethodError('INVALID_REQUEST', 'send blocked by session policy')

  // Upstream writes the entry (created or refreshed) before the ack, so `sessions.list` shows the run at once.
  const requestedId = params.sessionId?.trim()
  await store(agentId).update(sessionKey, (current) => ({
    ...(current ?? { sessionId: isSafeSessionId(requestedId) ? requestedId : crypto.randomUUID() }),
    ...(params.label ? { label: params.label } : {}),
    updatedAt: deps.now(),
  }))
  const delivery: AgentDeliveryRequest = {
    deliver: params.deliver === true,
    channel: (params.replyChannel ?? params.channel)?.trim().toLowerCase() || undefined,
    to: (params.replyTo ?? params.to)?.trim() || undefined,
    accountId: (params.replyAccountId ?? params.accountId)?.trim() || undefined,
    threadId: params.threadId?.trim() || undefined,
    bestEffort: sessionKey === mainSessionKey(agentId) || sessionKey === GLOBAL_SESSION_KEY,
  }
  return { agentId, sessionKey, before, images, delivery }
}

async function runAndDeliver(context: MethodContext, services: AgentMethodServices, params: AgentParams, prepared: PreparedRun): Promise<unknown> {
  const { deps } = context
  const runId = params.idempotencyKey
  const startedAt = deps.now()
  let runStarted = false
  try {
    if (params.thinking !== undefined && !THINKING_LEVELS.includes(params.thinking.trim().toLowerCase())) {
      throw new Error(`Invalid thinking level. Use one of: ${THINKING_LEVELS.join(', ')}.`)
    }
    if (params.timeout === 0) throw new Error('--timeout must be a positive integer (seconds)')
    const target = resolveAgentDelivery(services.delivery, prepared.delivery, prepared.before)
    const runChannel = target?.channel ?? 'webchat'
    const handle = services.runtime.send({
      agentId: prepared.agentId,
      sessionKey: prepared.sessionKey,
      text: params.message.trim(),
      images: prepared.images,
      channel: runChannel,
      chatType: 'direct',
      runId,
      ...(params.timeout === undefined ? {} : { timeoutSeconds: params.timeout }),
      ...(params.extraSystemPrompt ? { extraSystemPrompt: params.extraSystemPrompt } : {}),
      ...(target?.to ? { sessionMeta: { lastTo: target.to, ...(target.accountId ? { lastAccountId: target.accountId } : {}) } } : {}),
    })
    runStarted = true
    const outcome = await handle.done
    if (outcome.kind === 'failed') throw new Error(outcome.detail || outcome.message)
    const payloads = toPayloads(outcome)
    // A stopped run's partial text is returned to the caller but not posted to a channel.
    if (target !== undefined && outcome.kind === 'completed') await target.deliver(payloads.map((payload) => payload.text), deps.logger.child('agent'))
    const entry = await services.runtime.sessions.store(prepared.agentId).get(prepared.sessionKey)
    return {
      runId,
      status: 'ok',
      summary: 'completed',
      result: { payloads, meta: toMeta(outcome, entry?.sessionId ?? '', deps.now() - startedAt, deps) },
    }
  } catch (error) {
    const summary = error instanceof Error ? `Error: ${error.message}` : String(error)
    // Upstream emits no lifecycle end for failures before the run starts, so its waits time out (spec §2); we end them.
    if (!runStarted) services.reportEarlyEnd({ type: 'run-error', runId, sessionKey: prepared.sessionKey, message: summary, detail: summary, at: deps.now() })
    throw new MethodError('UNAVAILABLE', summary, undefined, { payload: { runId, status: 'error', summary } })
  }
}

function toPayloads(outcome: Exclude<RunOutcome, { kind: 'failed' }>): { text: string; mediaUrl: null }[] {
  if (outcome.kind === 'completed' && outcome.silent) return []
  return outcome.text.trim() === '' ? [] : [{ text: outcome.text, mediaUrl: null }]
}

function toMeta(outcome: Exclude<RunOutcome, { kind: 'failed' }>, sessionId: string, durationMs: number, deps: AppDeps) {
  if (outcome.kind === 'aborted') return { durationMs, agentMeta: { sessionId }, aborted: true }
  const ref = parseModelRef(outcome.model, deps.state.config)
  const { usage } = outcome
  return {
    durationMs,
    agentMeta: {
      sessionId,
      provider: ref.provider,
      model: ref.model,
      usage: { input: usage.input, output: usage.output, cacheRead: usage.cacheRead, cacheWrite: usage.cacheWrite, total: usage.totalTokens },
    },
    stopReason: outcome.stopReason,
  }
}

function invalid(detail: string): never {
  throw new MethodError('INVALID_REQUEST', `invalid agent params: ${detail}`)
}

async function findKeyOfSessionId(store: ReturnType<AgentRuntime['sessions']['store']>, sessionId: string | undefined): Promise<string | undefined> {
  if (!sessionId) return undefined
  return (await store.list()).find((row) => row.entry.sessionId === sessionId)?.key
}

/**
 * DEVIATION: upstream runs a bare `sessionId` as a keyless transcript with no index entry. Our runtime keys every
 * run, so it gets `agent:<id>:explicit:<sessionId>` whose transcript is that id; a repeat continues it.
 */
function explicitSessionKey(agentId: string, sessionId: string | undefined): string {
  const id = sessionId?.trim()
  return `agent:${agentId}:explicit:${(id || crypto.randomUUID()).toLowerCase()}`
}

function isSafeSessionId(id: string | undefined): id is string {
  return id !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)
}
