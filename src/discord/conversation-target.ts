import type { ResolvedConfig } from '../config/load-config.js'
import { resolveAgentRoute } from '../routing/resolve-agent-route.js'
import { channelSessionKey, directSessionKey, groupSessionKey, threadSessionKey } from '../sessions/session-key.js'
import type { InteractionContext } from './interaction-context.js'

/** Which agent and session a Discord conversation belongs to, plus what the session entry records about it. */
export interface ConversationTarget {
  agentId: string
  sessionKey: string
  chatType: 'direct' | 'group' | 'channel'
  sessionMeta: Record<string, unknown>
}

/**
 * Routes an interaction to an agent (bindings) and its conversation session key: DMs by `session.dmScope`, guild
 * channels and threads by channel id, group DMs by channel id.
 * @see spec/config-and-runtime.md §5.1, §5.2
 */
export function toConversationTarget(
  config: ResolvedConfig,
  accountId: string,
  context: InteractionContext,
  names: { guildName?: string } = {},
): ConversationTarget {
  const { user, channel } = context
  const peer =
    context.kind === 'dm'
      ? { kind: 'dm' as const, id: user.id }
      : { kind: context.kind === 'group-dm' ? ('group' as const) : ('channel' as const), id: channel.id }
  const { agentId } = resolveAgentRoute({ config, channel: 'discord', accountId, peer, guildId: context.guildId })
  const session = config.session
  const threadId = channel.isThread ? channel.id : undefined
  let sessionKey: string
  let parentSessionKey: string | undefined
  let chatType: ConversationTarget['chatType']
  if (context.kind === 'dm') {
    chatType = 'direct'
    sessionKey = directSessionKey({
      agentId,
      peerId: user.id,
      channel: 'discord',
      accountId,
      dmScope: session?.dmScope,
      scope: session?.scope,
      identityLinks: session?.identityLinks,
    })
  } else if (context.kind === 'group-dm') {
    chatType = 'group'
    sessionKey = groupSessionKey(agentId, channel.id)
  } else {
    chatType = 'channel'
    if (threadId !== undefined && channel.parentId !== undefined) {
      const keys = threadSessionKey(agentId, threadId, channel.parentId)
      sessionKey = keys.key
      parentSessionKey = keys.parentKey
    } else {
      sessionKey = channelSessionKey(agentId, channel.id)
    }
  }
  const from = context.kind === 'dm' ? `discord:${user.id}` : `discord:${context.kind === 'group-dm' ? 'group' : 'channel'}:${channel.id}`
  const to = `channel:${channel.id}`
  const sessionMeta: Record<string, unknown> = {
    displayName: context.kind === 'dm' ? (user.globalName ?? user.username) : channel.name,
    origin: { provider: 'discord', surface: 'discord', chatType, from, to, accountId, threadId },
    deliveryContext: { channel: 'discord', to, accountId, threadId },
  }
  if (context.kind !== 'dm') {
    sessionMeta.groupId = channel.id
    if (channel.name !== undefined) sessionMeta.groupChannel = `#${channel.name}`
    if (context.guildId !== undefined) sessionMeta.space = context.guildId
    if (names.guildName !== undefined) sessionMeta.subject = names.guildName
  }
  if (parentSessionKey !== undefined) sessionMeta.parentSessionKey = parentSessionKey
  return { agentId, sessionKey, chatType, sessionMeta }
}
