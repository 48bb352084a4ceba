import type { Logger } from '../logging/logger.js'
import { TelegramApiError, type TelegramApi } from './telegram-api.js'
import type { TelegramSettings } from './resolve-telegram-account.js'
import { toTelegramChunks } from './to-telegram-chunks.js'

/** Where a text goes and what it may reply to. */
export interface TelegramTextTarget {
  chatId: string
  /** Forum topic or private topic; General ("1") is never sent, Telegram rejects it for sends. */
  threadId?: string
  /** The inbound message `[[reply_to_current]]` points at. */
  currentMessageId?: number
}

const REPLY_TAG = /\[\[\s*reply_to(?:_current|:\s*(\d+))\s*\]\]/g

/**
 * Sends model Markdown as Telegram messages: reply tags applied per `replyToMode` and stripped, HTML chunks within the
 * limit, each resent as plain text when Telegram cannot parse its entities. Returns the sent message ids.
 * @see spec/telegram.md §5.1–5.3
 */
export async function sendTelegramText(
  api: TelegramApi,
  target: TelegramTextTarget,
  markdown: string,
  settings: TelegramSettings,
  logger: Logger,
): Promise<number[]> {
  let replyTo: number | undefined
  const text = markdown.replace(REPLY_TAG, (_, id: string | undefined) => {
    replyTo ??= id === undefined ? target.currentMessageId : Number(id)
    return ''
  })
  const mode = settings.replyToMode ?? 'first'
  const chunks = toTelegramChunks(text.trim(), { limit: settings.textChunkLimit, mode: settings.chunkMode, tables: settings.markdown?.tables })
  const ids: number[] = []
  for (const [index, chunk] of chunks.entries()) {
    const base: Record<string, unknown> = { chat_id: target.chatId }
    if (target.threadId !== undefined && target.threadId !== '1') base.message_thread_id = Number(target.threadId)
    if (replyTo !== undefined && (mode === 'all' || (mode === 'first' && index === 0))) {
      base.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true }
    }
    if (settings.linkPreview === false) base.link_preview_options = { is_disabled: true }
    let sent: { message_id?: number }
    try {
      sent = await api.call<{ message_id?: number }>('sendMessage', { ...base, text: chunk.html, parse_mode: 'HTML' })
    } catch (error) {
      if (!(error instanceof TelegramApiError) || !/can't parse entities|find end of the entity/i.test(error.description)) throw error
      logger.warn(`telegram HTML parse failed; retrying without formatting: ${error.description}`)
      sent = await api.call<{ message_id?: number }>('sendMessage', { ...base, text: chunk.text })
    }
    if (typeof sent?.message_id === 'number') ids.push(sent.message_id)
  }
  return ids
}
