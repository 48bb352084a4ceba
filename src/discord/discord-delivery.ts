import type { ChannelDeliverer, DeliveryTarget } from '../channels/channel-delivery.js'
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
      const { account, channelId } = await openConversation(discord, target)
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
    async sendPoll(target, poll) {
      // Discord's own limits; checked here so the caller gets a clear message instead of a 50035 form error.
      if (poll.options.length > MAX_POLL_ANSWERS) throw new DeliveryTargetError(`Discord polls allow at most ${MAX_POLL_ANSWERS} options`)
      if (poll.question.length > 300) throw new DeliveryTargetError('Discord poll questions are at most 300 characters')
      if (poll.options.some((option) => option.length > 55)) throw new DeliveryTargetError('Discord poll options are at most 55 characters each')
      const { account, channelId } = await openConversation(discord, target)
      const duration = Math.min(MAX_POLL_HOURS, Math.max(1, Math.floor(poll.durationHours ?? 24)))
      const body = {
        poll: {
          question: { text: poll.question },
          answers: poll.options.map((text) => ({ poll_media: { text } })),
          duration,
          // Discord has single choice or "any number"; more than one allowed selection maps to the latter.
          allow_multiselect: (poll.maxSelections ?? 1) > 1,
        },
        allowed_mentions: NO_MENTIONS,
      }
      const messageId = idOf(await account.rest.request('POST', `/channels/${channelId}/messages`, { body }))
      return { channel: 'discord', messageId, messageIds: [messageId], conversationId: channelId }
    },
  }
}

const MAX_POLL_ANSWERS = 10
const MAX_POLL_HOURS = 32 * 24

// The account to post with and the channel to post in; a `user:` target opens (or reuses) the DM channel.
async function openConversation(discord: DiscordChannel, target: DeliveryTarget) {
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
  return { account, channelId }
}
