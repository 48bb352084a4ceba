import { DeliveryTargetError, type ChannelDeliverer } from '../channels/channel-delivery.js'
import type { Logger } from '../logging/logger.js'
import { sendTelegramText } from './send-telegram-text.js'
import { TelegramApiError } from './telegram-api.js'
import type { TelegramChannel } from './telegram-channel.js'
import { parseTelegramTarget } from './telegram-target.js'
import { DEFAULT_ACCOUNT_ID, missingTokenText } from './resolve-telegram-account.js'

const TARGET_HELP = 'use a chat id (123, -100…), @username, t.me/<name>, or <chat>:topic:<n>'

/**
 * Telegram's outbound side for senders that are not replying to an update (cron, heartbeat, `send`, hooks): the same
 * HTML chunks, parse-error fallback and retries as replies, with upstream's explanation for `chat not found`.
 * @see spec/telegram.md §3 (delivery targets), §5.6
 */
export function createTelegramDelivery(telegram: TelegramChannel, logger: Logger): ChannelDeliverer {
  return {
    channel: 'telegram',
    checkTarget(target) {
      if (parseTelegramTarget(target.to) === undefined) throw new DeliveryTargetError(`[telegram] unknown target "${target.to}": ${TARGET_HELP}`)
    },
    async deliver(target, message) {
      const recipient = parseTelegramTarget(target.to)
      if (recipient === undefined) throw new DeliveryTargetError(`[telegram] unknown target "${target.to}": ${TARGET_HELP}`)
      const accountId = target.accountId ?? DEFAULT_ACCOUNT_ID
      const account = telegram.account(accountId)
      if (account === undefined) throw new DeliveryTargetError(`Telegram account "${accountId}" is not configured (channels.telegram.accounts)`)
      const settings = await account.settings()
      if (settings.token === undefined) throw new DeliveryTargetError(missingTokenText(accountId))
      if (message.text.trim() === '') throw new DeliveryTargetError('[telegram] nothing to send: the message is empty')
      const threadId = target.threadId ?? recipient.threadId
      let ids: number[]
      try {
        ids = await sendTelegramText(await account.api(), { chatId: recipient.chatId, threadId }, message.text, settings.settings, logger)
      } catch (error) {
        if (error instanceof TelegramApiError && /chat not found/i.test(error.description)) {
          throw new DeliveryTargetError(
            `Telegram send failed: chat not found (chat_id=${recipient.chatId}). Likely: bot not started in DM, bot removed from group/channel, ` +
              `group migrated (new -100… id), or wrong bot token. Input was: "${target.to}".`,
          )
        }
        throw error
      }
      if (ids.length === 0) throw new DeliveryTargetError('[telegram] nothing was sent: the message is empty after formatting')
      const messageIds = ids.map(String)
      return { channel: 'telegram', messageId: messageIds[messageIds.length - 1] as string, messageIds, conversationId: recipient.chatId }
    },
  }
}
