import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import type { Logger } from '../logging/logger.js'
import type { SessionEntry } from '../sessions/session-entry.js'

/** The delivery half of an `agent` call's params, with upstream's `reply…` precedence already applied. */
export interface AgentDeliveryRequest {
  deliver: boolean
  channel?: string
  to?: string
  accountId?: string
  threadId?: string
  /** Main and global sessions: a failed delivery is logged and does not fail the run. */
  bestEffort: boolean
}

/** A checked delivery: where the reply goes and how to send it once the run has a reply. */
export interface AgentDeliveryTarget {
  channel: string
  to: string
  accountId?: string
  deliver(texts: string[], logger: Logger): Promise<void>
}

const WEBCHAT_REFUSAL = 'Delivering to WebChat is not supported via `clawdbot agent`; use WhatsApp/Telegram or run with --deliver=false.'

/**
 * Resolves and checks an `agent` delivery (spec/agent-api.md §1.5): channel `last` is the session's last channel,
 * the target falls back to the session's `lastTo` on that same channel, and the channel's own target rules apply.
 * Returns undefined when nothing is to be delivered. DEVIATION (inferred improvement): upstream checks the target
 * after the model ran, billing a turn whose reply can never be delivered; we check before the run, with the same
 * texts in the final error.
 */
export function resolveAgentDelivery(registry: DeliveryRegistry, request: AgentDeliveryRequest, session: SessionEntry | undefined): AgentDeliveryTarget | undefined {
  if (!request.deliver) return undefined
  const requested = request.channel ?? 'last'
  const channel = requested === 'last' ? (session?.lastChannel ?? 'whatsapp') : requested
  const to = request.to ?? (channel === session?.lastChannel ? session?.lastTo : undefined) ?? ''
  const threadId = request.threadId ?? (session?.lastThreadId === undefined ? undefined : String(session.lastThreadId))
  const accountId = request.accountId ?? (channel === session?.lastChannel ? session?.lastAccountId : undefined)
  const target = { channel, to, ...(accountId ? { accountId } : {}), ...(threadId ? { threadId } : {}) }
  try {
    if (channel === 'webchat') throw new Error(WEBCHAT_REFUSAL)
    const deliverer = registry.get(channel)
    if (deliverer === undefined) throw new Error(`Unknown channel: ${channel}`)
    deliverer.checkTarget(target)
  } catch (error) {
    if (!request.bestEffort) throw error
    // Best effort: the run still happens, only the delivery is skipped.
    return { channel, to, ...(accountId ? { accountId } : {}), deliver: async (_texts, logger) => logger.warn(`Delivery failed (${channel} to ${to}): ${String(error)}`) }
  }
  return {
    channel,
    to,
    ...(accountId ? { accountId } : {}),
    async deliver(texts, logger) {
      for (const text of texts) {
        if (text.trim() === '') continue
        try {
          await registry.deliver(target, { text })
        } catch (error) {
          if (!request.bestEffort) throw error
          logger.warn(`Delivery failed (${channel} to ${to}): ${String(error)}`)
        }
      }
    },
  }
}
