import type { ChannelDeliverer } from '../channels/channel-delivery.js'
import { DeliveryTargetError } from '../channels/channel-delivery.js'
import { chunkMessage } from './chunk-message.js'
import { NO_MENTIONS } from './discord-api.js'
import type { DiscordChannel } from './discord-channel.js'
import { parseDiscordTarget } from './parse-discord-target.js'
import { DEFAULT_ACCOUNT_ID } from './resolve-discord-account.js'

const idOf = (value: unknown): string => (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : '')

/**
 * Discord's outbound side for senders that are not replying to an interaction (cron, heartbeat, `send`, hooks):
 * posts with the bot token to a channel, or to a DM opened with `user:<id>`, chunked like replies, never pinging.
 */
export function createDiscordDelivery(discord: DiscordChannel): ChannelDeliverer {
  return {
    channel: 'discord',
    checkTarget(target) {
      parseDiscordTarget(target.to)
    },
    async deliver(target, message) {
      const recipient = parseDiscordTarget(target.to)
      const accountId = target.accountId ?? DEFAULT_ACCOUNT_ID
      const account = discord.account(accountId)
      if (account === undefined) throw new DeliveryTargetError(`Discord account "${accountId}" is not configured (channels.discord.accounts)`)
      if (account.settings().token === undefined) {
        throw new DeliveryTargetError(`Discord bot token missing for account "${accountId}" (set DISCORD_BOT_TOKEN or channels.discord.token)`)
      }
      let channelId = target.threadId ?? recipient.id
      if (recipient.kind === 'user') {
        const dm = await account.rest.request<{ id?: unknown }>('POST', '/users/@me/channels', { body: { recipient_id: recipient.id } })
        channelId = idOf(dm)
        if (channelId === '') throw new Error('[discord] opening the DM channel returned no id')
      }
      const settings = account.settings().settings
      const chunks = chunkMessage(message.text, { maxChars: settings.textChunkLimit, maxLines: settings.maxLinesPerMessage })
      if (chunks.length === 0 || message.text.trim() === '') throw new DeliveryTargetError('[discord] nothing to send: the message is empty')
      const messageIds: string[] = []
      for (const content of chunks) {
        const sent = await account.rest.request('POST', `/channels/${channelId}/messages`, { body: { content, allowed_mentions: NO_MENTIONS } })
        messageIds.push(idOf(sent))
      }
      return { channel: 'discord', messageId: messageIds[messageIds.length - 1] as string, messageIds, conversationId: channelId }
    },
  }
}
