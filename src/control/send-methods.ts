import { z } from 'zod'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { DeliveryTargetError, type ChannelDeliverer, type DeliveryReceipt, type DeliveryTarget } from '../channels/channel-delivery.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import { mirrorToTranscript } from '../channels/mirror-to-transcript.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { canonicalizeSessionKey, channelSessionKey, directSessionKey, parseAgentIdFromKey } from '../sessions/session-key.js'
import { DedupeCache } from './dedupe-cache.js'
import { parseMethodParams } from './method-params.js'
import { MethodError, type MethodContext, type MethodDefinition } from './methods.js'

// Upstream's default channel for `send` and `poll` (WhatsApp); a gateway without it answers `unsupported channel`.
const DEFAULT_CHANNEL = 'whatsapp'
const DEDUPE = { ttlMs: 5 * 60_000, maxEntries: 1_000 }

const SendParams = z.strictObject({
  to: z.string().min(1),
  message: z.string().min(1),
  idempotencyKey: z.string().min(1),
  mediaUrl: z.string().optional(),
  mediaUrls: z.array(z.string()).optional(),
  gifPlayback: z.boolean().optional(),
  channel: z.string().optional(),
  accountId: z.string().optional(),
  sessionKey: z.string().optional(),
})

const PollParams = z.strictObject({
  to: z.string().min(1),
  question: z.string().min(1),
  options: z.array(z.string().min(1)).min(2).max(12),
  maxSelections: z.number().int().min(1).optional(),
  durationHours: z.number().min(1).optional(),
  channel: z.string().optional(),
  accountId: z.string().optional(),
  idempotencyKey: z.string().min(1),
})

/**
 * `send` and `poll` (spec/agent-api.md §3): deliver through the channel registry without running the agent. A
 * repeated idempotency key within five minutes returns the first call's result (or error) and posts nothing, also
 * while the first call is still in flight. `send` mirrors the text into the session transcript.
 */
export function createSendMethods(runtime: AgentRuntime, delivery: DeliveryRegistry): MethodDefinition[] {
  const caches = new WeakMap<AppDeps, DedupeCache<Promise<unknown>>>()
  const cacheOf = (deps: AppDeps) => {
    let cache = caches.get(deps)
    if (cache === undefined) caches.set(deps, (cache = new DedupeCache({ ...DEDUPE, now: deps.now })))
    return cache
  }
  const once = (context: MethodContext, key: string, work: () => Promise<unknown>): Promise<unknown> => {
    const cache = cacheOf(context.deps)
    const known = cache.get(key)
    if (known !== undefined) return known
    const result = work().catch((error: unknown) => {
      if (error instanceof MethodError) throw error
      // Upstream reports `String(err)`, i.e. `Error: <message>`, whatever the error's class.
      throw new MethodError('UNAVAILABLE', error instanceof Error ? `Error: ${error.message}` : String(error))
    })
    result.catch(() => undefined)
    cache.set(key, result)
    return result
  }

  return [
    {
      name: 'send',
      admin: false,
      async call(context, raw) {
        const params = parseMethodParams('send', SendParams, raw)
        const key = `send:${params.idempotencyKey}`
        const cached = cacheOf(context.deps).get(key)
        if (cached !== undefined) return cached
        const deliverer = channelOf(delivery, params.channel, 'unsupported channel')
        const target = checkedTarget(deliverer, { channel: deliverer.channel, to: params.to.trim(), ...(params.accountId ? { accountId: params.accountId } : {}) })
        const media = [...(params.mediaUrl ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])]
        // Channels here post text; media go as links on their own lines, which Discord and Telegram preview.
        const text = [params.message.trim(), ...media].filter((line) => line !== '').join('\n')
        return once(context, key, async () => {
          const receipt = await delivery.deliver(target, { text })
          await mirror(context, runtime, params.sessionKey, target, receipt, text)
          return toResult(params.idempotencyKey, receipt)
        })
      },
    },
    {
      name: 'poll',
      admin: false,
      async call(context, raw) {
        const params = parseMethodParams('poll', PollParams, raw)
        const key = `poll:${params.idempotencyKey}`
        const cached = cacheOf(context.deps).get(key)
        if (cached !== undefined) return cached
        const deliverer = channelOf(delivery, params.channel, 'unsupported poll channel')
        const sendPoll = deliverer.sendPoll?.bind(deliverer)
        if (sendPoll === undefined) throw new MethodError('INVALID_REQUEST', `unsupported poll channel: ${deliverer.channel}`)
        const target = checkedTarget(deliverer, { channel: deliverer.channel, to: params.to.trim(), ...(params.accountId ? { accountId: params.accountId } : {}) })
        const poll = { question: params.question, options: params.options, maxSelections: params.maxSelections, durationHours: params.durationHours }
        return once(context, key, async () => toResult(params.idempotencyKey, await sendPoll(target, poll)))
      },
    },
  ]
}

function channelOf(delivery: DeliveryRegistry, requested: string | undefined, refusal: string): ChannelDeliverer {
  const input = requested?.trim() || DEFAULT_CHANNEL
  const deliverer = delivery.get(input.toLowerCase())
  if (deliverer === undefined) throw new MethodError('INVALID_REQUEST', `${refusal}: ${input}`)
  return deliverer
}

function checkedTarget(deliverer: ChannelDeliverer, target: DeliveryTarget): DeliveryTarget {
  try {
    deliverer.checkTarget(target)
  } catch (error) {
    if (error instanceof DeliveryTargetError) throw new MethodError('INVALID_REQUEST', error.message)
    throw error
  }
  return target
}

function toResult(runId: string, receipt: DeliveryReceipt): Record<string, unknown> {
  const where = receipt.channel === 'discord' ? { channelId: receipt.conversationId } : { chatId: receipt.conversationId }
  return { runId, messageId: receipt.messageId, channel: receipt.channel, ...where }
}

async function mirror(context: MethodContext, runtime: AgentRuntime, sessionKey: string | undefined, target: DeliveryTarget, receipt: DeliveryReceipt, text: string): Promise<void> {
  const config = context.deps.state.config
  const defaultAgentId = getDefaultAgentId(config)
  // The given session, else the session a message on that route would land in (a DM collapses per dmScope).
  const isDirect = /^(user:|discord:|<@|@)/i.test(target.to)
  const key = sessionKey?.trim()
    ? canonicalizeSessionKey(sessionKey.toLowerCase(), defaultAgentId)
    : isDirect
      ? directSessionKey({ agentId: defaultAgentId, peerId: receipt.conversationId, channel: target.channel, dmScope: config.session?.dmScope })
      : channelSessionKey(defaultAgentId, receipt.conversationId, target.channel)
  try {
    const agentId = parseAgentIdFromKey(key) ?? defaultAgentId
    await mirrorToTranscript(runtime.sessions, config, context.deps.now, { agentId, sessionKey: key, channel: target.channel, to: target.to }, text)
  } catch (error) {
    // The message is out; a transcript hiccup must not turn a delivered send into an error the caller retries.
    context.deps.logger.child('send').warn(`could not mirror a sent message into ${key}: ${String(error)}`)
  }
}
