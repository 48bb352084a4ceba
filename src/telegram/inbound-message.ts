import type { TelegramEntity, TelegramMessage, TelegramUser } from './update-schema.js'

/** A message reduced to what access, routing and the turn need. */
export interface InboundMessage {
  kind: 'dm' | 'group'
  chatId: string
  messageId: number
  /** Forum topic (General = "1") in groups; a private topic in DMs; undefined otherwise. */
  threadId?: string
  isForum: boolean
  chatTitle?: string
  sender: { id: string; username?: string; name: string; isBot: boolean }
  /** Body as the model sees it: text or caption, link labels expanded, media placeholders, reply context. */
  body: string
  /** The raw text or caption, for mention and command detection. */
  rawText: string
  entities: TelegramEntity[]
  replyToBot: boolean
  /** The largest size of each photo: one, or an album's. */
  photoFileIds: string[]
  document?: { fileId: string; size?: number; mimeType?: string; name?: string }
}

/**
 * Normalises a `message` (or a clicked button's synthetic message): DMs and (super)groups only, a forum's topic
 * resolved (General = 1; `message_thread_id` outside forums is a reply chain and ignored), the body built as upstream.
 * @see spec/telegram.md §2.2 step 1, §4.3
 */
export function toInboundMessage(message: TelegramMessage, from: TelegramUser | undefined, botId: number | undefined): InboundMessage | undefined {
  const chat = message.chat
  if (from === undefined) return undefined
  const kind = chat.type === 'private' ? 'dm' : chat.type === 'group' || chat.type === 'supergroup' ? 'group' : undefined
  if (kind === undefined) return undefined
  const isForum = chat.is_forum === true
  const threadId =
    kind === 'group' ? (isForum ? String(message.message_thread_id ?? 1) : undefined) : message.message_thread_id === undefined ? undefined : String(message.message_thread_id)
  const photo = message.photo?.[message.photo.length - 1]
  const photoFileIds = message.album_photos ?? (photo === undefined ? [] : [photo.file_id])
  const rawText = message.text ?? message.caption ?? ''
  const entities = message.entities ?? message.caption_entities ?? []
  let body = expandTextLinks(rawText, entities)
  const placeholder = mediaPlaceholder(message)
  if (body.trim() === '' && placeholder !== undefined) body = photoFileIds.length > 1 ? `<media:image> (${photoFileIds.length} images)` : placeholder
  const reply = message.reply_to_message
  if (reply !== undefined) {
    const quoted = (reply.text ?? reply.caption ?? mediaPlaceholder(reply) ?? '').trim()
    body += `\n\n[Replying to ${displayName(reply.from)} id:${reply.message_id}]\n${quoted}\n[/Replying]`
  }
  const document = message.document
  return {
    kind,
    chatId: String(chat.id),
    messageId: message.message_id,
    threadId,
    isForum,
    chatTitle: chat.title,
    sender: { id: String(from.id), username: from.username, name: displayName(from), isBot: from.is_bot === true },
    body: body.trim(),
    rawText,
    entities,
    replyToBot: botId !== undefined && reply?.from?.id === botId,
    photoFileIds,
    document: document === undefined ? undefined : { fileId: document.file_id, size: document.file_size, mimeType: document.mime_type, name: document.file_name },
  }
}

/**
 * Mention detection (spec/telegram.md §2.3): `@<bot>` in the text or a `mention` entity equal to it; when the message
 * has mention entities only that explicit check counts, otherwise the mention regexes may also match.
 */
export function isMentioned(message: InboundMessage, botUsername: string | undefined, patterns: readonly RegExp[]): boolean {
  if (message.replyToBot) return true
  const handle = botUsername === undefined ? undefined : `@${botUsername.toLowerCase()}`
  const text = message.rawText
  const explicit =
    handle !== undefined &&
    (text.toLowerCase().includes(handle) ||
      message.entities.some((entity) => entity.type === 'mention' && text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === handle))
  if (explicit) return true
  const hasMentionEntity = message.entities.some((entity) => entity.type === 'mention')
  if (hasMentionEntity && handle !== undefined) return false
  const cleaned = text.replace(/[\u200b-\u200d\ufeff]/g, '').toLowerCase()
  return patterns.some((pattern) => pattern.test(cleaned))
}

/** A text command after normalisation: `/cmd@thisbot args` → `{name:"cmd", args}`; another bot's command is text. */
export function parseCommand(text: string, botUsername: string | undefined): { name: string; args: string } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?:?(?:\s+([\s\S]*))?$/.exec(text.trim())
  if (match === null) return undefined
  const addressee = match[2]
  if (addressee !== undefined && (botUsername === undefined || addressee.toLowerCase() !== botUsername.toLowerCase())) return undefined
  return { name: (match[1] as string).toLowerCase(), args: (match[3] ?? '').trim() }
}

/** Upstream's bare abort words, treated as `/stop`. */
export const ABORT_WORDS = new Set(['stop', 'esc', 'abort', 'wait', 'exit', 'interrupt'])

/** `First Last (@user) id:<id>`-style sender name for prompts and reply context. */
export function displayName(user: TelegramUser | undefined): string {
  if (user === undefined) return 'unknown'
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ')
  return name !== '' ? name : user.username !== undefined ? `@${user.username}` : `id:${user.id}`
}

function expandTextLinks(text: string, entities: readonly TelegramEntity[]): string {
  const links = entities.filter((entity) => entity.type === 'text_link' && entity.url !== undefined).sort((left, right) => right.offset - left.offset)
  let result = text
  for (const link of links) {
    const label = result.slice(link.offset, link.offset + link.length)
    result = `${result.slice(0, link.offset)}[${label}](${link.url})${result.slice(link.offset + link.length)}`
  }
  return result
}

function mediaPlaceholder(message: Pick<TelegramMessage, 'photo' | 'video' | 'audio' | 'voice' | 'document'>): string | undefined {
  if (message.photo !== undefined && message.photo.length > 0) return '<media:image>'
  if (message.video !== undefined) return '<media:video>'
  if (message.audio !== undefined || message.voice !== undefined) return '<media:audio>'
  if (message.document !== undefined) return '<media:document>'
  return undefined
}
