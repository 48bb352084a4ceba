import type { ResolvedConfig } from '../config/load-config.js'
import { resolveAgentRoute } from '../routing/resolve-agent-route.js'
import { directSessionKey, groupSessionKey } from '../sessions/session-key.js'
import type { InboundMessage } from './inbound-message.js'

/** Which agent and session a Telegram conversation belongs to, and what its session entry records. */
export interface TelegramTarget {
  agentId: string
  sessionKey: string
  chatType: 'direct' | 'group'
  sessionMeta: Record<string, unknown>
}

/**
 * Routes a message (bindings on `channel:"telegram"`, peer ids compared exactly) and builds upstream's session key:
 * DMs by `session.dmScope` (+ `:thread:<t>` for private topics), groups `…:telegram:group:<chatId>`, forum topics
 * `…:topic:<threadId>` (General included).
 * @see spec/telegram.md §3
 */
export function toTelegramTarget(config: ResolvedConfig, accountId: string, message: InboundMessage): TelegramTarget {
  const peerId = message.kind === 'group' && message.threadId !== undefined ? `${message.chatId}:topic:${message.threadId}` : message.chatId
  const peer = { kind: message.kind === 'dm' ? ('dm' as const) : ('group' as const), id: peerId }
  const { agentId } = resolveAgentRoute({ config, channel: 'telegram', accountId, peer })
  const session = config.session
  let sessionKey: string
  if (message.kind === 'dm') {
    sessionKey = directSessionKey({
      agentId,
      peerId: message.chatId,
      channel: 'telegram',
      accountId,
      dmScope: session?.dmScope,
      scope: session?.scope,
      identityLinks: session?.identityLinks,
    })
    if (message.threadId !== undefined) sessionKey = `${sessionKey}:thread:${message.threadId}`
  } else {
    sessionKey = groupSessionKey(agentId, message.chatId, 'telegram')
    if (message.threadId !== undefined) sessionKey = `${sessionKey}:topic:${message.threadId}`
  }
  const chatType = message.kind === 'dm' ? 'direct' : 'group'
  const from = message.kind === 'dm' ? `telegram:${message.chatId}` : `telegram:group:${peerId}`
  const to = `telegram:${message.chatId}`
  const threadId = message.threadId
  const sessionMeta: Record<string, unknown> = {
    displayName: message.kind === 'dm' ? message.sender.name : message.chatTitle,
    origin: { provider: 'telegram', surface: 'telegram', chatType, from, to, accountId, threadId },
    deliveryContext: { channel: 'telegram', to: message.chatId, accountId, threadId },
  }
  if (message.kind === 'group') {
    sessionMeta.groupId = message.chatId
    if (message.chatTitle !== undefined) sessionMeta.subject = message.chatTitle
  }
  return { agentId, sessionKey: sessionKey.toLowerCase(), chatType, sessionMeta }
}

/**
 * Parses a delivery target: `123`, `-100…`, `@name`, `t.me/name`, `telegram:`/`tg:`/`telegram:group:` prefixes, and
 * `<chat>:topic:<n>` or `<chat>:<n>` for topics. Returns undefined for anything else.
 */
export function parseTelegramTarget(raw: string): { chatId: string; threadId?: string } | undefined {
  let value = raw.trim().replace(/^(telegram|tg):/i, '').replace(/^group:/i, '')
  value = value.replace(/^(https?:\/\/)?(www\.)?t\.me\//i, '@')
  const topic = /^(-?\d+|@[A-Za-z0-9_]{4,})(?::topic)?:(\d+)$/.exec(value)
  if (topic !== null) return { chatId: topic[1] as string, threadId: topic[2] as string }
  if (/^-?\d+$/.test(value) || /^@[A-Za-z0-9_]{4,}$/.test(value)) return { chatId: value }
  return undefined
}
