import type { DeliveryTarget } from '../channels/channel-delivery.js'
import type { SessionEntry } from '../sessions/session-entry.js'

/** Where a scheduled message goes, or why it cannot go anywhere. */
export type ResolvedTarget = { ok: true; target: DeliveryTarget } | { ok: false; reason: string }

/**
 * Resolves `channel` (`last` or a channel id) and `to` against a session's last route: `last` takes the session's
 * last channel and recipient; a channel id takes `to`, else the session's last recipient on that channel. A session
 * last seen in the Control UI (`webchat`) is delivered back into that session. Without any channel, the first
 * registered channel is used; without a recipient there is nothing to resolve.
 * @see spec/automation.md §1.5 step 4, §2.7
 */
export function resolveDeliveryTarget(
  request: { channel?: string; to?: string },
  session: { key: string; entry?: SessionEntry },
  channels: readonly string[],
): ResolvedTarget {
  const route = lastRoute(session.entry)
  const requested = request.channel?.trim().toLowerCase() || 'last'
  const channel = requested === 'last' ? (route.channel ?? channels[0]) : requested
  if (channel === undefined) return { ok: false, reason: 'no-target' }
  const sameChannel = route.channel === channel
  const to = request.to?.trim() || (sameChannel ? route.to : undefined) || (channel === 'webchat' ? session.key : undefined)
  if (to === undefined || to === '') return { ok: false, reason: 'no-target' }
  return {
    ok: true,
    target: {
      channel,
      to,
      ...(sameChannel && route.accountId ? { accountId: route.accountId } : {}),
      ...(sameChannel && !request.to?.trim() && route.threadId ? { threadId: route.threadId } : {}),
    },
  }
}

function lastRoute(entry: SessionEntry | undefined): { channel?: string; to?: string; accountId?: string; threadId?: string } {
  if (entry === undefined) return {}
  const context = entry.deliveryContext
  const channel = entry.lastChannel ?? context?.channel ?? entry.channel
  // The delivery context describes one channel; it says nothing about a later message from another one.
  const fromContext = context !== undefined && context.channel === channel ? context : undefined
  const threadId = entry.lastThreadId ?? fromContext?.threadId
  return {
    channel,
    to: entry.lastTo ?? fromContext?.to,
    accountId: entry.lastAccountId ?? fromContext?.accountId,
    threadId: threadId === undefined ? undefined : String(threadId),
  }
}
